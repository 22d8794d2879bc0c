#!/usr/bin/env bash
# The scenario target: the per-minute cron scenario spends most of its three minutes waiting
# for the clock, so it runs beside the other stack and scenario tests (each in its own world;
# it needs a Flink slot for a few seconds a minute). The others run one at a time: they share
# the stack's four slots. Its output follows theirs; the exit code is non-zero if either fails.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cron_log="$(mktemp)"
trap 'rm -f "$cron_log"' EXIT

# The compat corner (FJC_CORNER=compat: Node 22, Flink 1.20, Kafka 3.9) runs the scenarios whose
# outcome hangs on what Flink or Kafka do (deploy, upgrades and rollbacks through savepoints and
# checkpoints, batch and cron runs, recovery from the log and its topics, crashes); the ones about
# FJC's own logic and surface (console, API paging and stream, audit files, templates, SLA reports,
# pipelines' graph, scale-out's sharing, the plan, metrics and alert docs, tracing, environment,
# secrets in logs, bad input, the CLI's wait) run on the default corner only.
default_only=()
if [ "${FJC_CORNER:-default}" = compat ]; then
  default_only=(console api-paging-stream audit-export templates sla pipelines scale-out plan metrics prometheus tracing service-environment secret-canary bad-input-and-upstream cli-wait)
  default_only=("${default_only[@]/%/\\.spec\\.ts}")
fi

npx jest -c test/jest.config.js --runInBand test/scenarios/batch-cron.spec.ts > "$cron_log" 2>&1 &
cron=$!
npx jest -c test/jest.config.js --runInBand --testPathIgnorePatterns 'batch-cron\.spec\.ts' /node_modules/ /dist/ /faults/ /secure/ /deploy/ "${default_only[@]}"
rest=$?
wait "$cron"
cron_rc=$?
cat "$cron_log" >&2
[ "$rest" -eq 0 ] && [ "$cron_rc" -eq 0 ]
