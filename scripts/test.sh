#!/usr/bin/env bash
# Set-up, then the linter and the whole test suite, browser tests included. Extra arguments go to
# pytest (`./scripts/test.sh -m browser` runs the browser tests alone).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_setup.sh
sync_env
# Without Chromium the browser tests fail in CI and are skipped elsewhere, saying why.
ensure_debian_packages "${BROWSER_PACKAGES[@]}" || _say "Les tests dans le navigateur ne pourront pas tourner."

uv run --frozen ruff check .
uv run --frozen ruff format --check .
uv run --frozen pytest "$@"
