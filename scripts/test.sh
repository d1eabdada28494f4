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
# The suite runs on every core (at most 4: each worker builds its own demo warehouse). Tests are sent
# to the workers by group (tests/conftest.py): a test file's tests together, so its module fixtures are
# built once; all browser tests together, on one worker. PTCE_TEST_WORKERS=0 runs the suite in this
# process alone (for a debugger, or `-x` in file order).
workers="${PTCE_TEST_WORKERS:-$(n="$(nproc 2>/dev/null || echo 1)"; echo $((n > 4 ? 4 : n)))}"
uv run --frozen pytest -n "$workers" --dist loadgroup "$@"
