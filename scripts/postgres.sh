#!/usr/bin/env bash
# Install (if needed) and start a PostgreSQL server on loopback for the store tests, with PostGIS, a
# role and a database of their own; print the database's SQLAlchemy URL on stdout.
#
# The database is frontlines_test unless FRONTLINES_PG_DATABASE names another (a developer sharing
# the server with others keeps a database of their own). Without PostGIS (no package for this
# server) the store still works, on plain indexes.
set -euo pipefail
log() { echo "postgres.sh: $*" >&2; }
updated=
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$updated" ]; then apt-get update -qq >&2 && updated=1; fi
  apt-get install -y -qq "$@" >&2
}
database=${FRONTLINES_PG_DATABASE:-frontlines_test}
if ! [[ $database =~ ^[a-z_][a-z0-9_]*$ ]]; then
  log "FRONTLINES_PG_DATABASE must be a plain lower-case name, not '$database'"; exit 2
fi
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing Debian's postgresql"
  apt_install postgresql
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
# PostGIS is packaged per server major version; `near` queries use its spatial index.
postgis="postgresql-$version-postgis-3"
if ! dpkg -s "$postgis" >/dev/null 2>&1; then
  log "installing PostGIS for PostgreSQL $version"
  apt_install "$postgis" || log "no PostGIS for PostgreSQL $version: plain indexes only"
fi
if ! pg_lsclusters -h | grep -q "^$version "; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $4=="online"' | grep -q .; then
  pg_ctlcluster "$version" main start >&2
fi
as_postgres() { su postgres -c "$1"; }
as_postgres "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='frontlines'\"" | grep -q 1 \
  || as_postgres "psql -qc \"CREATE ROLE frontlines LOGIN PASSWORD 'frontlines' CREATEDB\"" >&2
as_postgres "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='$database'\"" | grep -q 1 \
  || as_postgres "createdb -O frontlines $database" >&2
# Creating an extension takes a superuser; the store only looks for it. Only the test database gets
# it, not template1: other databases on a shared server stay as their owners made them.
if as_postgres "psql -qtAc \"SELECT 1 FROM pg_available_extensions WHERE name='postgis'\"" | grep -q 1; then
  as_postgres "psql -d $database -qc 'SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS postgis'" >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v {print $3; exit}')
echo "postgresql://frontlines:frontlines@127.0.0.1:${port}/${database}"
