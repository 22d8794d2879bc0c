#!/usr/bin/env bash
# The fault suite (test/faults): it restarts PostgreSQL, kill -9s Kafka and Flink, so it runs in
# a stack of its own that nothing else uses: its own folder (.stack/faults-OFFSET), a private
# PostgreSQL cluster and every port shifted by FJC_FAULT_PORT_OFFSET (default 20000: Kafka 29092,
# Flink REST 28081, PostgreSQL 25432). Brings that stack up, runs the suite in band, and stops the
# stack again (FJC_KEEP_STACK=1 keeps it). Extra arguments go to jest (a file pattern, -t NAME).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
offset="${FJC_FAULT_PORT_OFFSET:-20000}"
export FJC_STACK_DIR="$here/.stack/faults-$offset"
export KAFKA_PORT=$((9092 + offset)) KAFKA_CONTROLLER_PORT=$((9093 + offset)) \
  FLINK_REST_PORT=$((8081 + offset)) FLINK_RPC_PORT=$((6123 + offset)) FLINK_BLOB_PORT=$((6124 + offset)) \
  FLINK_TM_RPC_PORT=$((6122 + offset)) FLINK_TM_DATA_PORT=$((6121 + offset)) \
  FLINK_JM_METRICS_PORT=$((6125 + offset)) FLINK_TM_METRICS_PORT=$((6126 + offset)) \
  FJC_PG_PORT=$((5432 + offset))
# A private cluster: the suite restarts it, so it must not be a server others use.
export DATABASE_URL="postgres://postgres@127.0.0.1:$FJC_PG_PORT/fjc"
# A broker killed with SIGKILL replays its log on start; on a busy machine that can take minutes.
export KAFKA_READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-300}" FLINK_START_TIMEOUT="${FLINK_START_TIMEOUT:-600}"
# Three stream jobs and a spare.
export FLINK_TM_SLOTS="${FLINK_TM_SLOTS:-4}"
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
npx jest -c test/faults/jest.config.js --runInBand "$@"
