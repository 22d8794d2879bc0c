#!/usr/bin/env bash
# npm start: install what is missing, bring up the local stack, build, then run the four
# services in the foreground (scripts/run-system.mjs). Ctrl-C stops the services and the parts
# of the stack this command started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FJC_HOME"

ensure_installed
# Room for the example specs (four stream jobs and the batch runs) beside each other.
export FLINK_TM_SLOTS="${FLINK_TM_SLOTS:-5}"
# Secrets by reference (docs/secrets.md): unless FJC_SECRETS_DIR names a real one, a private folder
# in the stack holds the one secret the examples refer to (default/orders-db/password: secret
# names start with the spec's namespace), made up once.
if [ -z "${FJC_SECRETS_DIR:-}" ]; then
  export FJC_SECRETS_DIR="$FJC_STACK_DIR/secrets"
  if [ ! -s "$FJC_SECRETS_DIR/default/orders-db/password" ]; then
    mkdir -p "$FJC_SECRETS_DIR/default/orders-db" && chmod 700 "$FJC_SECRETS_DIR" "$FJC_SECRETS_DIR/default" "$FJC_SECRETS_DIR/default/orders-db"
    (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$FJC_SECRETS_DIR/default/orders-db/password")
    log start "made the example secret default/orders-db/password in $FJC_SECRETS_DIR"
  fi
fi
before="$(running_components)"
bash infra/stack up
load_stack_env
log start "building"
NX_TUI=false NX_DAEMON=false npx nx run-many -t build --outputStyle=static >"$FJC_LOG_DIR/build.log" 2>&1 \
  || { tail -n 40 "$FJC_LOG_DIR/build.log" >&2; die start "build failed; see $FJC_LOG_DIR/build.log"; }

# The web console (http://127.0.0.1:8080/) links each job to the local Flink's web UI.
export FJC_CLUSTER_UI_URLS="${FJC_CLUSTER_UI_URLS:-default=$FLINK_REST_URL}"
log start "web console: http://127.0.0.1:${SPEC_SERVICE_PORT:-8080}/ (sign in with the token in .stack/admin-token)"
set +e
node scripts/run-system.mjs
rc=$?
set -e
if [ "${FJC_KEEP_STACK:-0}" != 1 ]; then
  for c in flink kafka postgres; do
    case " $before " in *" $c "*) ;; *) bash infra/stack down "$c" ;; esac
  done
fi
exit $rc
