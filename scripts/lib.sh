# Shared by the root commands (npm start, npm test, npm run bench): prerequisite checks and
# installing what a fresh clone is missing. Sourced, not run.
FJC_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$FJC_HOME/infra/lib/common.sh"

# The Node.js FJC runs on comes with the repository: the pinned `node` dev dependency puts its
# binary at node_modules/.bin/node (npm scripts have that folder first on PATH; we add it here
# too, for these scripts run by hand). The machine's own node (>= 20.17, what npm 11 needs) only
# runs the first `npm ci`.
export PATH="$FJC_HOME/node_modules/.bin:$PATH"

require_prerequisites() {
  local java_v
  command -v node >/dev/null || die setup "Node.js is required to install FJC's own runtime (node not found)"
  command -v npm >/dev/null || die setup "npm is required (npm not found)"
  command -v java >/dev/null || die setup "Java 17 or newer is required (java not found)"
  java_v="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')"
  [ "${java_v%%.*}" -ge 17 ] 2>/dev/null || die setup "Java 17 or newer is required, found ${java_v:-unknown}"
  command -v mvn >/dev/null || die setup "Apache Maven is required (mvn not found)"
}

# The node on PATH after the install must be one FJC supports (package.json "engines").
require_runtime() {
  hash -r
  local v
  v="$(node -p 'process.versions.node')"
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit((a===22&&b>=12)||(a===24&&b>=11)?0:1)' \
    || die setup "Node.js 24 (or 22.12+) is required, found $v at $(command -v node); run npm ci to install the pinned one"
  log setup "Node.js $v ($(command -v node))"
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

# The test suite's Prometheus and promtool (alert rule tests, the Prometheus scenario): Debian's
# prometheus package, installed when missing (as root; otherwise it says what to install). Its
# service is never started: the tests run their own Prometheus on loopback.
ensure_observability_tools() {
  command -v promtool >/dev/null && command -v prometheus >/dev/null && return 0
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
    || die setup "Prometheus and promtool are required by the tests: install Debian's prometheus package (apt-get install prometheus)"
  log setup "installing Prometheus and promtool (Debian package prometheus)"
  # policy-rc.d keeps the package from starting its own service.
  local policy=/usr/sbin/policy-rc.d created=0
  [ -e "$policy" ] || { printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >"$FJC_LOG_DIR/apt-prometheus.log" 2>&1 \
    || { apt-get update >>"$FJC_LOG_DIR/apt-prometheus.log" 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >>"$FJC_LOG_DIR/apt-prometheus.log" 2>&1; } \
    || { [ $created = 1 ] && rm -f "$policy"; die setup "installing prometheus failed; see $FJC_LOG_DIR/apt-prometheus.log"; }
  [ $created = 1 ] && rm -f "$policy"
  command -v promtool >/dev/null || die setup "promtool missing after installing prometheus"
}

# The browser of the console's test (test/scenarios/console.spec.ts, driven by playwright-core):
# Debian's chromium, installed when missing (as root; otherwise it says what to install).
# playwright-core downloads no browser of its own.
ensure_browser() {
  [ -x /usr/bin/chromium ] && return 0
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
    || die setup "Chromium is required by the console's browser test: install Debian's chromium package (apt-get install chromium)"
  log setup "installing Chromium (Debian package chromium)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >"$FJC_LOG_DIR/apt-chromium.log" 2>&1 \
    || { apt-get update >>"$FJC_LOG_DIR/apt-chromium.log" 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >>"$FJC_LOG_DIR/apt-chromium.log" 2>&1; } \
    || die setup "installing chromium failed; see $FJC_LOG_DIR/apt-chromium.log"
  [ -x /usr/bin/chromium ] || die setup "/usr/bin/chromium missing after installing chromium"
}

ensure_installed() {
  require_prerequisites
  ensure_node_modules
  require_runtime
}

# Components of the stack that run now from our own pid files (so we know what we started).
running_components() {
  local c out=()
  pid_alive postgres && out+=(postgres)
  pid_alive kafka && out+=(kafka)
  pid_alive flink-jobmanager && out+=(flink)
  echo "${out[*]:-}"
}

# Stops the parts of the stack not in $1 (what running_components said before a run started them),
# unless FJC_KEEP_STACK=1: a run leaves behind only what it found running.
stop_started_components() {
  local before="$1" c
  [ "${FJC_KEEP_STACK:-0}" = 1 ] && return 0
  for c in flink kafka postgres; do
    case " $before " in *" $c "*) ;; *) bash infra/stack down "$c" || true ;; esac
  done
}

load_stack_env() {
  set -a
  # shellcheck disable=SC1091
  source "$FJC_STACK_DIR/stack.env"
  set +a
}

# The compatibility corner's Node.js (22): infra/runtimes/node22 pins it with a lockfile; it is
# installed once into the cache and put first on PATH for the rest of the calling script.
use_compat_node() {
  local src="$FJC_HOME/infra/runtimes/node22" dir want
  dir="$FJC_CACHE_DIR/runtime-node22"
  want="$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$dir/.fjc-install-stamp" 2>/dev/null)" != "$want" ]; then
    log setup "installing the compatibility corner's Node.js into $dir"
    rm -rf "$dir" && mkdir -p "$dir"
    cp "$src/package.json" "$src/package-lock.json" "$dir/"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || die setup "installing Node.js 22 failed"
    echo "$want" > "$dir/.fjc-install-stamp"
  fi
  export PATH="$dir/node_modules/.bin:$PATH"
  hash -r
  node -e 'process.exit(process.versions.node.split(".")[0] === "22" ? 0 : 1)' \
    || die setup "expected Node.js 22 from $dir, found $(node -v)"
  log setup "Node.js $(node -p 'process.versions.node') ($(command -v node)) for the compatibility corner"
}
