# Shared by the root commands (npm start, npm test, npm run bench): prerequisite checks and
# installing what a fresh clone is missing. Sourced, not run.
FJC_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$FJC_HOME/infra/lib/common.sh"

require_prerequisites() {
  local node_v java_v
  command -v node >/dev/null || die setup "Node.js >= 20.19 is required (node not found)"
  node_v="$(node -p 'process.versions.node')"
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
    || die setup "Node.js >= 20.19 is required, found $node_v"
  command -v java >/dev/null || die setup "Java 17 or newer is required (java not found)"
  java_v="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')"
  [ "${java_v%%.*}" -ge 17 ] 2>/dev/null || die setup "Java 17 or newer is required, found ${java_v:-unknown}"
  command -v mvn >/dev/null || die setup "Apache Maven is required (mvn not found)"
}

# npm ci when node_modules is missing or was installed from a different package-lock.json.
ensure_node_modules() {
  local stamp want
  stamp="$FJC_HOME/node_modules/.fjc-install-stamp"
  want="$(sha256sum "$FJC_HOME/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log setup "installing node modules (npm ci)"
    (cd "$FJC_HOME" && npm ci --no-audit --no-fund --loglevel=error) || die setup "npm ci failed"
    echo "$want" > "$stamp"
  fi
}

ensure_installed() {
  require_prerequisites
  ensure_node_modules
}

# Components of the stack that run now from our own pid files (so we know what we started).
running_components() {
  local c out=()
  pid_alive postgres && out+=(postgres)
  pid_alive kafka && out+=(kafka)
  pid_alive flink-jobmanager && out+=(flink)
  echo "${out[*]:-}"
}

load_stack_env() {
  set -a
  # shellcheck disable=SC1091
  source "$FJC_STACK_DIR/stack.env"
  set +a
}
