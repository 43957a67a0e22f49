#!/usr/bin/env bash
# Services the test suite needs, started by .ci/run (which sources this file) before
# `make test`: a throwaway PostgreSQL cluster on a free loopback port. Exports
# CLEARANCE_TEST_PG_URL for the store tests and stops the cluster when .ci/run exits.
_pg_out=$(bash "$(dirname "${BASH_SOURCE[0]}")/pg-throwaway.sh" start)
CLEARANCE_TEST_PG_DIR=${_pg_out%% *}
CLEARANCE_TEST_PG_URL=${_pg_out#* }
export CLEARANCE_TEST_PG_URL CLEARANCE_TEST_PG_DIR
# shellcheck disable=SC2064
trap "bash '$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pg-throwaway.sh' stop '$CLEARANCE_TEST_PG_DIR'" EXIT
echo "ci-services: PostgreSQL at $CLEARANCE_TEST_PG_URL"
unset _pg_out
