# Shared shell helpers for the local stack: paths, logging, pid files and waiting.
# Sourced by infra/stack and by each component script (infra/<component>/<component>.sh).
# Every process we start is recorded by pid; we only ever stop what we recorded.

FJC_HOME="${FJC_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
FJC_STACK_DIR="${FJC_STACK_DIR:-$FJC_HOME/.stack}"
FJC_CACHE_DIR="${FJC_CACHE_DIR:-$FJC_HOME/.cache}"
FJC_DATA_DIR="$FJC_STACK_DIR/data"
FJC_LOG_DIR="$FJC_STACK_DIR/logs"
FJC_RUN_DIR="$FJC_STACK_DIR/run"
FJC_BIND="127.0.0.1"

mkdir -p "$FJC_DATA_DIR" "$FJC_LOG_DIR" "$FJC_RUN_DIR" "$FJC_CACHE_DIR"

# Structured one-line progress on stderr: time, component, message.
log() { printf '%s [%s] %s\n' "$(date -u +%H:%M:%S)" "${1}" "${*:2}" >&2; }
die() { log "${1}" "ERROR: ${*:2}"; exit 1; }

pid_file() { echo "$FJC_RUN_DIR/$1.pid"; }

# True when the recorded pid for NAME is a live process.
pid_alive() {
  local f; f="$(pid_file "$1")"
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null
}

# start_bg NAME CMD...: start CMD detached, stdout/stderr to logs/NAME.log, pid recorded.
start_bg() {
  local name="$1"; shift
  nohup setsid "$@" >>"$FJC_LOG_DIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$(pid_file "$name")"
}

# stop_pid NAME [TIMEOUT_S]: TERM the recorded pid, KILL after the timeout, forget it.
stop_pid() {
  local name="$1" timeout="${2:-30}" f pid i
  f="$(pid_file "$name")"
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    log "$name" "stopping pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < timeout * 5; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then log "$name" "pid $pid ignored TERM; killing"; kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$f"
}

# wait_for NAME TIMEOUT_S CMD...: poll CMD every 0.5 s until it succeeds; fail with the log tail.
wait_for() {
  local name="$1" timeout="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "$name" "not ready after ${timeout}s; last log lines:"
      tail -n 30 "$FJC_LOG_DIR/$name.log" >&2 2>/dev/null || true
      return 1
    fi
    if [ -n "${WAIT_PID_NAME:-}" ] && ! pid_alive "$WAIT_PID_NAME"; then
      log "$name" "process exited during start; last log lines:"
      tail -n 30 "$FJC_LOG_DIR/$WAIT_PID_NAME.log" >&2 2>/dev/null || true
      return 1
    fi
    sleep 0.5
  done
}

# port_open PORT: something listens on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/$FJC_BIND/$1") 2>/dev/null; }

# mvn_quiet ARGS...: Maven in batch mode, output to a log unless it fails.
mvn_quiet() {
  local logf="$FJC_LOG_DIR/maven.log"
  if ! mvn -B -q -ntp "$@" >>"$logf" 2>&1; then
    tail -n 40 "$logf" >&2; return 1
  fi
}
