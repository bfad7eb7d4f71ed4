#!/usr/bin/env bash
# Install everything the tests need (Python packages, system packages, services), run the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The store tests run against both backends: start a PostgreSQL server on loopback.
if url=$(bash scripts/postgres.sh); then
  export FRONTLINES_TEST_PG="$url"
else
  echo "test.sh: could not start PostgreSQL; its store tests will be skipped" >&2
fi
exec .venv/bin/python -m pytest "$@"
