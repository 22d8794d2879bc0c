#!/usr/bin/env bash
# npm test: install what is missing, bring the stack up (reusing one that runs), then lint,
# unit-test and build every project, run the integration tests against the real stack and the
# scenario tests, on the default corner: Node 24, the newest Flink 2.x and Kafka 4.x.
#
# npm run test:compat (scripts/test-compat.sh, FJC_CORNER=compat): the other corner, Node 22,
# Flink 1.20 and Kafka 3.9, in a stack of its own (its own folder and ports, so it neither
# reuses nor disturbs the default one): build, then the integration tests that talk to Kafka or
# Flink and the scenarios whose outcome depends on them (test/run-e2e.sh).
#
# The default corner then runs the fault suite (test/faults) and the secured suite (Kafka SASL_SSL,
# Flink REST mTLS, PostgreSQL TLS only with verify-full: test/secure), each in a stack of its own.
#
# Exits non-zero on any failure. Stops the parts of the stack it started itself (set
# FJC_KEEP_STACK=1 to keep them).
set -euo pipefail
corner="${FJC_CORNER:-default}"
if [ "$corner" = compat ]; then
  export FLINK_VERSION="${FJC_COMPAT_FLINK_VERSION:-1.20.5}" KAFKA_VERSION="${FJC_COMPAT_KAFKA_VERSION:-3.9.1}"
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  export FJC_STACK_DIR="${FJC_COMPAT_STACK_DIR:-$here/.stack/compat}"
  # Ports 10000 above the default stack's.
  export KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT=19093 FLINK_REST_PORT=18081 FLINK_RPC_PORT=16123 \
    FLINK_BLOB_PORT=16124 FLINK_TM_RPC_PORT=16122 FLINK_TM_DATA_PORT=16121 FLINK_JM_METRICS_PORT=16125 \
    FLINK_TM_METRICS_PORT=16126
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FJC_HOME"
started=$SECONDS

ensure_installed
ensure_observability_tools
ensure_browser
[ "$corner" = compat ] && use_compat_node
before="$(running_components)"
cleanup() {
  local rc=$?
  stop_started_components "$before"
  # One closing line over every jest run: "N passed, N failed".
  if [ -s "${results:-}" ]; then
    sed 's/\x1b\[[0-9;]*m//g' "$results" | awk '/^Tests:/ { for (i = 2; i <= NF; i++) { if ($(i) ~ /^passed/) p += $(i-1); if ($(i) ~ /^failed/) f += $(i-1) } }
      END { printf "%d passed, %d failed\n", p, f }'
  fi
  log test "$corner corner (Node $(node -p 'process.versions.node'), Flink ${FLINK_VERSION:-default}, Kafka ${KAFKA_VERSION:-default}) finished in $((SECONDS - started))s with exit code $rc"
  exit $rc
}
trap cleanup EXIT

bash infra/stack up
load_stack_env
results="$FJC_LOG_DIR/test-run.log"
: > "$results"

export NX_TUI=false NX_DAEMON=false
if [ "$corner" = compat ]; then
  log test "build of every project"
  npx nx run-many -t build --outputStyle=static 2>&1 | tee -a "$results"
else
  log test "lint, unit tests and build of every project"
  npx nx run-many -t lint typecheck test build --outputStyle=static 2>&1 | tee -a "$results"
fi
log test "integration tests against the real stack"
if [ "$corner" = compat ]; then
  # The projects whose integration tests talk to Kafka or Flink; the spec-service's (its HTTP API
  # over PostgreSQL) run on the default corner, and the spec-service runs under Node 22 in the scenarios.
  npx nx run-many -t int-test -p event-log messaging service-runtime cli scheduler deployer --parallel=1 --outputStyle=static 2>&1 | tee -a "$results"
else
  npx nx run-many -t int-test --parallel=1 --outputStyle=static 2>&1 | tee -a "$results"
fi
log test "scenario tests over the whole stack"
npx nx run-many -t e2e --parallel=1 --outputStyle=static 2>&1 | tee -a "$results"
if [ "$corner" != compat ]; then
  log test "fault suite in a stack of its own (PostgreSQL restarted, Kafka and Flink killed)"
  npx nx run-many -t fault-test --parallel=1 --outputStyle=static 2>&1 | tee -a "$results"
  log test "FJC over a Kafka that takes SASL_SSL only, Flink REST over mutual TLS and PostgreSQL over TLS only, in a stack of its own"
  npx nx run-many -t secure-test --parallel=1 --outputStyle=static 2>&1 | tee -a "$results"
fi
