#!/usr/bin/env bash
# npm test: install what is missing, bring the stack up (reusing one that runs), then lint,
# unit-test and build every project, run the integration tests against the real stack and the
# scenario tests. Exits non-zero on any failure. Stops the parts of the stack it started itself
# (set FJC_KEEP_STACK=1 to keep them).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FJC_HOME"
started=$SECONDS

ensure_installed
before="$(running_components)"
cleanup() {
  local rc=$?
  if [ "${FJC_KEEP_STACK:-0}" != 1 ]; then
    for c in flink kafka postgres; do
      case " $before " in *" $c "*) ;; *) bash infra/stack down "$c" || true ;; esac
    done
  fi
  # One closing line over every jest run: "N passed, N failed".
  if [ -s "${results:-}" ]; then
    sed 's/\x1b\[[0-9;]*m//g' "$results" | awk '/^Tests:/ { for (i = 2; i <= NF; i++) { if ($(i) ~ /^passed/) p += $(i-1); if ($(i) ~ /^failed/) f += $(i-1) } }
      END { printf "%d passed, %d failed\n", p, f }'
  fi
  log test "finished in $((SECONDS - started))s with exit code $rc"
  exit $rc
}
trap cleanup EXIT

bash infra/stack up
load_stack_env
results="$FJC_LOG_DIR/test-run.log"
: > "$results"

export NX_TUI=false NX_DAEMON=false
log test "lint, unit tests and build of every project"
npx nx run-many -t lint typecheck test build --outputStyle=static 2>&1 | tee -a "$results"
log test "integration tests against the real stack"
npx nx run-many -t int-test --parallel=1 --outputStyle=static 2>&1 | tee -a "$results"
log test "scenario tests over the whole stack"
npx nx run-many -t e2e --parallel=1 --outputStyle=static 2>&1 | tee -a "$results"
