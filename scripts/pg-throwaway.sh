#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite, on a free loopback port.
#   scripts/pg-throwaway.sh start       make a fresh cluster directory under ${TMPDIR:-/tmp},
#                                       start the server, create database "clearance_test",
#                                       print "DIR URL" (URL: its SQLAlchemy URL)
#   scripts/pg-throwaway.sh stop DIR    stop the server and delete DIR
# Uses Debian's server binaries (/usr/lib/postgresql/<version>/bin, package `postgresql`).
# As root the server runs as the `postgres` system user (initdb refuses root).
set -euo pipefail
action=${1:?usage: pg-throwaway.sh start | stop DIR}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "pg-throwaway: no PostgreSQL server binaries under /usr/lib/postgresql (install the Debian package postgresql)" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$action" in
  start)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/clearance-pg.XXXXXX")
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    as_owner "$bindir/initdb" -D "$dir/data" -U clearance --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c max_connections=100" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U clearance clearance_test
    echo "$dir postgresql+psycopg://clearance@127.0.0.1:$port/clearance_test"
    ;;
  stop)
    dir=${2:?usage: pg-throwaway.sh stop DIR}
    case "$dir" in */clearance-pg.*) ;; *) echo "pg-throwaway: not a throwaway cluster: $dir" >&2; exit 2 ;; esac
    if [ -d "$dir/data" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg-throwaway.sh start|stop DIR" >&2
    exit 2
    ;;
esac
