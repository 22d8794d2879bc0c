#!/usr/bin/env bash
# The secured-transport suite (test/secure): FJC over a Kafka broker that takes only SASL_SSL
# (TLS with the stack's own CA, SCRAM-SHA-512, ACLs; infra/kafka/secure.sh). It runs in a stack of
# its own (.stack/secure; Kafka 17092, Flink REST 16081; the machine's PostgreSQL), brought up
# here and stopped again afterwards (FJC_KEEP_STACK=1 keeps it). Extra arguments go to jest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export FJC_STACK_DIR="$here/.stack/secure" KAFKA_SECURITY=sasl_ssl KAFKA_READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-240}"
export KAFKA_PORT=17092 KAFKA_CONTROLLER_PORT=17093 FLINK_REST_PORT=16081 FLINK_RPC_PORT=14123 \
  FLINK_BLOB_PORT=14124 FLINK_TM_RPC_PORT=14122 FLINK_TM_DATA_PORT=14121 FLINK_JM_METRICS_PORT=14125 \
  FLINK_TM_METRICS_PORT=14126
cd "$here"
if [ "${FJC_KEEP_STACK:-0}" != 1 ]; then
  trap 'bash infra/stack down flink kafka >/dev/null 2>&1 || true' EXIT
fi
bash infra/stack up
# This stack's own addresses, over any that `npm test` exported for the default stack: the
# suite must never reach (and kill) parts of another stack.
set -a
# shellcheck disable=SC1091
source "$FJC_STACK_DIR/stack.env"
set +a
npx jest -c test/secure/jest.config.js --runInBand "$@"
