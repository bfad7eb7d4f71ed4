#!/usr/bin/env bash
# Install everything the tests need (Python packages, system packages, services), run the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
