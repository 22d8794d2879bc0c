#!/usr/bin/env bash
# The scenario target: the per-minute cron scenario spends most of its three minutes waiting
# for the clock, so it runs beside the other stack and scenario tests (each in its own world;
# it needs a Flink slot for a few seconds a minute). The others run one at a time: they share
# the stack's four slots. Its output follows theirs; the exit code is non-zero if either fails.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cron_log="$(mktemp)"
trap 'rm -f "$cron_log"' EXIT

npx jest -c test/jest.config.js --runInBand test/scenarios/batch-cron.spec.ts > "$cron_log" 2>&1 &
cron=$!
npx jest -c test/jest.config.js --runInBand --testPathIgnorePatterns 'batch-cron\.spec\.ts' /node_modules/ /dist/ /faults/ /secure/ /deploy/
rest=$?
wait "$cron"
cron_rc=$?
cat "$cron_log" >&2
[ "$rest" -eq 0 ] && [ "$cron_rc" -eq 0 ]
