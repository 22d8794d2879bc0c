#!/usr/bin/env bash
# The secured-transport suite (test/secure): FJC over a Kafka broker that takes only SASL_SSL
# (TLS with the stack's own CA, SCRAM-SHA-512, ACLs; infra/kafka/secure.sh), a Flink whose REST
# API takes only mutual TLS (infra/flink/secure.sh) and a private PostgreSQL that takes only TLS
# (verify-full against its own CA; the owner by client certificate, the services' roles by
# scram-sha-256; infra/postgres/secure.sh). It runs in a stack of its own (.stack/secure;
# Kafka 17092, Flink REST 16081, PostgreSQL 13432), brought up here and stopped again
# afterwards (FJC_KEEP_STACK=1 keeps it; a run killed before its end leaves processes the next
# run finds by their pid files and reuses or stops). FJC_SECURE_PORT_OFFSET=N moves every port by N, which
# may be negative (and the stack to .stack/secure_N), so a second run never meets the first.
# Extra arguments go to jest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
o="${FJC_SECURE_PORT_OFFSET:-0}"
[[ $o =~ ^-?[0-9]+$ ]] || { echo "FJC_SECURE_PORT_OFFSET must be a whole number, got \"$o\"" >&2; exit 2; }
stack_dir="$here/.stack/secure"; [ "$o" = 0 ] || stack_dir="$here/.stack/secure_$o"
export FJC_STACK_DIR="$stack_dir" KAFKA_SECURITY=sasl_ssl FLINK_REST_SECURITY=mtls PG_SECURITY=tls FJC_PG_PORT=$((13432 + o)) KAFKA_READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-240}"
export KAFKA_PORT=$((17092 + o)) KAFKA_CONTROLLER_PORT=$((17093 + o)) FLINK_REST_PORT=$((16081 + o)) \
  FLINK_RPC_PORT=$((14123 + o)) FLINK_BLOB_PORT=$((14124 + o)) FLINK_TM_RPC_PORT=$((14122 + o)) \
  FLINK_TM_DATA_PORT=$((14121 + o)) FLINK_JM_METRICS_PORT=$((14125 + o)) FLINK_TM_METRICS_PORT=$((14126 + o))
cd "$here"
if [ "${FJC_KEEP_STACK:-0}" != 1 ]; then
  trap 'bash infra/stack down >/dev/null 2>&1 || true' EXIT
fi
bash infra/stack up
# This stack's own addresses, over any that `npm test` exported for the default stack: the
# suite must never reach (and kill) parts of another stack.
set -a
# shellcheck disable=SC1091
source "$FJC_STACK_DIR/stack.env"
set +a
npx jest -c test/secure/jest.config.js --runInBand "$@"
