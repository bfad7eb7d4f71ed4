#!/usr/bin/env bash
# Install everything the tests need (Python packages, system packages, services), run the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The browser tests drive Debian's Chromium through Playwright (never Playwright's own browser
# download, which this network does not allow). Without it they skip; CI must not skip them.
if [ ! -x /usr/bin/chromium ]; then
  echo "installing chromium and chromium-driver for the browser tests" >&2
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        chromium chromium-driver >/dev/null; }; then
    echo "could not install chromium: the browser tests will be skipped" >&2
    if [ "${CI:-}" = "true" ]; then exit 1; fi
  fi
fi
# The store tests run against both backends: start a PostgreSQL server on loopback.
if url=$(bash scripts/postgres.sh); then
  export FRONTLINES_TEST_PG="$url"
else
  echo "test.sh: could not start PostgreSQL; its store tests will be skipped" >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
fi
exec .venv/bin/python -m pytest "$@"
