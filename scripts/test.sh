#!/usr/bin/env bash
# Set-up then the whole test suite and the linter. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_setup.sh
sync_env

uv run --frozen ruff check .
uv run --frozen ruff format --check .
uv run --frozen pytest "$@"
