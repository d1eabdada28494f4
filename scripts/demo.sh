#!/usr/bin/env bash
# Main job on the demo data: set-up, fictitious raw files if data/raw/ is empty, pipeline, then the
# dashboards (http://127.0.0.1:8501) and the Dagster UI (http://127.0.0.1:3000). Ctrl-C stops them.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_setup.sh
sync_env
# The yearly report's PDF (« Rapports » page, `ptce report`) needs Pango, DejaVu and Chromium.
ensure_debian_packages "${REPORT_PACKAGES[@]}" || _say "Le rapport annuel ne pourra pas être produit en PDF."

DATA_DIR="${PTCE_DATA_DIR:-data}"
if [ -z "$(find "$DATA_DIR/raw" -type f ! -name .gitkeep 2>/dev/null | head -n 1)" ]; then
  uv run --frozen ptce sample --data-dir "$DATA_DIR"
fi
uv run --frozen ptce run --data-dir "$DATA_DIR"
exec uv run --frozen ptce dashboard --data-dir "$DATA_DIR" --dagster "$@"
