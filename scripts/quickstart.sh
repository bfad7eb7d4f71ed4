#!/usr/bin/env bash
# Install everything, then analyse the bundled sample corpus into the default SQLite store.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/frontlines ingest --sample "$@"
