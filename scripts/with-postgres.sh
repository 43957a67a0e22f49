#!/usr/bin/env bash
# Runs a command (the test suite) with a throwaway PostgreSQL cluster, so a newcomer's
# `make test` covers both store backends, not only CI's:
#   scripts/with-postgres.sh CMD [ARG...]
# If CLEARANCE_TEST_PG_URL is already set it is used as it is. Otherwise, when Debian's server
# binaries are present (package postgresql), a cluster is started on a free loopback port with
# scripts/pg-throwaway.sh, CLEARANCE_TEST_PG_URL is exported for CMD, and the cluster is stopped
# and deleted when CMD ends, however it ends. Without the binaries CMD runs alone (the
# PostgreSQL cases then skip, or fail under CI=true).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -z "${CLEARANCE_TEST_PG_URL:-}" ] && compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  out=$(bash "$here/pg-throwaway.sh" start)
  pg_dir=${out%% *}
  CLEARANCE_TEST_PG_URL=${out#* }
  export CLEARANCE_TEST_PG_URL
  # shellcheck disable=SC2064
  trap "bash '$here/pg-throwaway.sh' stop '$pg_dir'" EXIT
  echo "with-postgres: PostgreSQL at $CLEARANCE_TEST_PG_URL"
fi
"$@"
