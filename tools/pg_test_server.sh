#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on 127.0.0.1 for tests and benchmarks, and prints its
# connection URL (postgresql://hearth:hearth@127.0.0.1:PORT/hearth_test) on stdout.
#
#   tools/pg_test_server.sh [start] [DIR]   start (or find running) server in DIR
#   tools/pg_test_server.sh stop [DIR]      stop it and delete DIR
#
# DIR defaults to ${TMPDIR:-/tmp}/hearth-pg-test-$UID. Starting twice is harmless: a running
# server in DIR is reused and its URL printed again. Installs the postgresql package with
# apt-get when the server binaries are missing. PostgreSQL refuses to run as root, so as root
# the cluster belongs to the `postgres` OS user. fsync stays on (tests measure real commits).
#
# Typical use:
#   export HEARTH_TEST_PG_URL=$(tools/pg_test_server.sh)
#   build/tests/unit_storage_tests
#   tools/pg_test_server.sh stop
set -euo pipefail

mode=start
if [[ $# -gt 0 && ( $1 == start || $1 == stop ) ]]; then mode=$1; shift; fi
dir=${1:-${TMPDIR:-/tmp}/hearth-pg-test-$(id -u)}

log() { echo "pg_test_server: $*" >&2; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@";
  elif command -v sudo >/dev/null; then sudo -n "$@";
  else log "need root (or sudo) to run: $*"; exit 1; fi
}

find_bin() {
  local d
  for d in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [[ -x $d/initdb && -x $d/pg_ctl ]]; then echo "$d"; return 0; fi
  done
  return 1
}

pgbin=$(find_bin || true)
if [[ -z $pgbin ]]; then
  log "PostgreSQL server binaries missing; installing the postgresql package"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 \
    || { as_root apt-get update -q >&2 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; }
  pgbin=$(find_bin) || { log "no initdb/pg_ctl after installing postgresql"; exit 1; }
fi

# Runs a server-side command as the cluster owner: `postgres` when we are root.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [[ $mode == stop ]]; then
  if [[ -f $dir/pgdata/PG_VERSION ]]; then
    as_owner "$pgbin/pg_ctl" -D "$dir/pgdata" -m fast -w stop >&2 || true
  fi
  rm -rf "$dir"
  exit 0
fi

if [[ -f $dir/url ]] && as_owner "$pgbin/pg_ctl" -D "$dir/pgdata" status >/dev/null 2>&1; then
  cat "$dir/url"
  exit 0
fi

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
    2>/dev/null && return 0
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo $p; return 0; fi
  done
  return 1
}

rm -rf "$dir"
mkdir -p "$dir"
if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$dir"; fi
port=$(free_port)

as_owner "$pgbin/initdb" -D "$dir/pgdata" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || as_owner "$pgbin/initdb" -D "$dir/pgdata" -U postgres --auth-local=trust \
       --auth-host=scram-sha-256 -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }

as_owner "$pgbin/pg_ctl" -D "$dir/pgdata" -l "$dir/pgdata/server.log" -w -t 20 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=100" \
  start >&2 || { cat "$dir/pgdata/server.log" >&2; exit 1; }

as_owner "$pgbin/psql" -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres >&2 <<SQL
CREATE ROLE hearth LOGIN CREATEDB PASSWORD 'hearth';
CREATE DATABASE hearth_test OWNER hearth;
SQL

url="postgresql://hearth:hearth@127.0.0.1:$port/hearth_test"
echo "$url" >"$dir/url"
log "running in $dir (stop with: $0 stop $dir)"
echo "$url"
