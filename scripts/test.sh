#!/usr/bin/env bash
# Set-up, then the linter and the whole test suite, browser tests included. Extra arguments go to
# pytest (`./scripts/test.sh -m browser` runs the browser tests alone).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_setup.sh
sync_env
# Without Chromium the browser tests fail in CI and are skipped elsewhere, saying why; the report's
# tests need the PDF's packages and poppler. One call, so that apt-get runs at most once.
ensure_debian_packages "${BROWSER_PACKAGES[@]}" "${REPORT_PACKAGES[@]}" "${REPORT_TEST_PACKAGES[@]}" \
  || _say "Les tests dans le navigateur et ceux du rapport annuel ne pourront pas tourner."

uv run --frozen ruff check .
uv run --frozen ruff format --check .
# Both cores (the CI machine has two): one pytest worker per core, each test file kept on one
# worker so that its module fixtures are built once. PTCE_TEST_WORKERS=1 runs everything in one
# process (for a debugger); the session fixtures (demo warehouse, browser app) are built per worker.
workers="${PTCE_TEST_WORKERS:-2}"
if [ "$workers" -gt 1 ]; then
  uv run --frozen pytest -n "$workers" --dist loadfile "$@"
else
  uv run --frozen pytest "$@"
fi
