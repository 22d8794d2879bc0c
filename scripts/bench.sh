#!/usr/bin/env bash
# npm run bench: benchmarks against the real local stack (not tests; no pass/fail thresholds):
# the event log (PostgreSQL and Kafka), then the control path's latency, scale to 10,000 jobs, fault recovery times,
# FJC's overhead around a Flink submission, tick lateness and convergence after a topic wipe (the whole stack, all services).
# Results tables are written into docs/benchmarks.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FJC_HOME"
started=$SECONDS
ensure_installed
# Like npm test: the parts of the stack this run started are stopped at the end (FJC_KEEP_STACK=1
# keeps them), so a later run of the tests does not find a Kafka it did not start on its ports.
before="$(running_components)"
cleanup() {
  local rc=$?
  stop_started_components "$before"
  log bench "finished in $((SECONDS - started))s with exit code $rc"
  exit $rc
}
trap cleanup EXIT
bash infra/stack up postgres kafka
load_stack_env
NX_TUI=false NX_DAEMON=false npx nx run-many -t build -p event-log testing --outputStyle=static >/dev/null
SWC_NODE_PROJECT=libs/event-log/tsconfig.json node -r @swc-node/register libs/event-log/bench/event-log.bench.ts
bash infra/stack up
load_stack_env
NX_TUI=false NX_DAEMON=false npx nx run-many -t build --outputStyle=static >/dev/null
SWC_NODE_PROJECT=test/tsconfig.json node -r @swc-node/register test/bench/latency.bench.ts
BENCH_REPLICAS=2 SWC_NODE_PROJECT=test/tsconfig.json node -r @swc-node/register test/bench/latency.bench.ts
SWC_NODE_PROJECT=test/tsconfig.json node -r @swc-node/register test/bench/scale.bench.ts
BENCH_REPLICAS=2 SWC_NODE_PROJECT=test/tsconfig.json node -r @swc-node/register test/bench/scale.bench.ts
SWC_NODE_PROJECT=test/tsconfig.json node -r @swc-node/register test/bench/recovery.bench.ts
SWC_NODE_PROJECT=test/tsconfig.json node -r @swc-node/register test/bench/overhead.bench.ts
SWC_NODE_PROJECT=test/tsconfig.json node -r @swc-node/register test/bench/ticks.bench.ts
SWC_NODE_PROJECT=test/tsconfig.json node -r @swc-node/register test/bench/log-recovery.bench.ts
