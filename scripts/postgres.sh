#!/usr/bin/env bash
# Install (if needed) and start a PostgreSQL server on loopback for the store tests, with a role and
# an empty database of their own; print the server's SQLAlchemy URL on stdout.
set -euo pipefail
log() { echo "postgres.sh: $*" >&2; }
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing Debian's postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$version "; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $4=="online"' | grep -q .; then
  pg_ctlcluster "$version" main start >&2
fi
as_postgres() { su postgres -c "$1"; }
as_postgres "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='frontlines'\"" | grep -q 1 \
  || as_postgres "psql -qc \"CREATE ROLE frontlines LOGIN PASSWORD 'frontlines' CREATEDB\"" >&2
as_postgres "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='frontlines_test'\"" | grep -q 1 \
  || as_postgres "createdb -O frontlines frontlines_test" >&2
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v {print $3; exit}')
echo "postgresql://frontlines:frontlines@127.0.0.1:${port}/frontlines_test"
