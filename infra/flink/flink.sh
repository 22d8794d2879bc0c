# Flink standalone session cluster (JobManager + one TaskManager) as plain JVM processes.
# Sourced after infra/lib/common.sh. Defines flink_up, flink_down, flink_status, flink_env.
#
# The classpath is assembled from Maven Central module jars by infra/flink/pom.xml into
# "$FJC_CACHE_DIR/flink-<version>/libs" once; a marker file makes later starts download nothing.
# Everything binds to 127.0.0.1 on fixed ports (overridable through the environment).

# Flink 2.3.0 by default; FLINK_VERSION=1.20.5 for the 1.20 LTS line (npm run test:compat).
FLINK_VERSION="${FLINK_VERSION:-2.3.0}"
# log4j.version of flink-parent of that line (the log4j jars the Flink distribution ships).
case "$FLINK_VERSION" in
  1.20.*) FLINK_LOG4J_VERSION=2.24.3 ;;
  2.*) FLINK_LOG4J_VERSION=2.25.3 ;;
  *) echo "FLINK_VERSION=$FLINK_VERSION is not supported (2.x or 1.20.x)" >&2; return 1 2>/dev/null || exit 1 ;;
esac

FLINK_REST_PORT="${FLINK_REST_PORT:-8081}"
FLINK_RPC_PORT="${FLINK_RPC_PORT:-6123}"              # JobManager RPC (pekko)
FLINK_BLOB_PORT="${FLINK_BLOB_PORT:-6124}"            # JobManager blob server
FLINK_TM_RPC_PORT="${FLINK_TM_RPC_PORT:-6122}"        # TaskManager RPC
FLINK_TM_DATA_PORT="${FLINK_TM_DATA_PORT:-6121}"      # TaskManager shuffle (netty)
FLINK_JM_METRICS_PORT="${FLINK_JM_METRICS_PORT:-6125}" # JobManager metric query service
FLINK_TM_METRICS_PORT="${FLINK_TM_METRICS_PORT:-6126}" # TaskManager metric query service
FLINK_JM_PROCESS_SIZE="${FLINK_JM_PROCESS_SIZE:-1024m}"
FLINK_TM_PROCESS_SIZE="${FLINK_TM_PROCESS_SIZE:-1728m}"
# Task slots of the one TaskManager. 4: the templates scenario rolls a change out to three stream
# jobs at once while the cron scenario beside it (test/run-e2e.sh) needs one slot a minute.
FLINK_TM_SLOTS="${FLINK_TM_SLOTS:-4}"
FLINK_START_TIMEOUT="${FLINK_START_TIMEOUT:-120}"
# REST security: plain (http) or mtls (https with a CA made here, client certificates required;
# infra/flink/secure.sh).
FLINK_REST_SECURITY="${FLINK_REST_SECURITY:-plain}"
case "$FLINK_REST_SECURITY" in
  plain | mtls) ;;
  *) echo "FLINK_REST_SECURITY=$FLINK_REST_SECURITY is not supported (plain or mtls)" >&2; return 1 2>/dev/null || exit 1 ;;
esac
FLINK_TLS_DIR="$FJC_DATA_DIR/flink-tls" # mtls: CA, JobManager key/trust stores, FJC's client certificate

FLINK_HOME_DIR="$FJC_CACHE_DIR/flink-$FLINK_VERSION"
FLINK_LIBS_DIR="$FLINK_HOME_DIR/libs"
FLINK_LIBS_MARKER="$FLINK_HOME_DIR/libs.complete"
# Per version: checkpoints and savepoints of one line are not promised to load on the other.
FLINK_DATA="$FJC_DATA_DIR/flink-$FLINK_VERSION"
FLINK_CONF_DIR="$FLINK_DATA/conf"
FLINK_POM="$FJC_HOME/infra/flink/pom.xml"

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  FLINK_JAVA="${FLINK_JAVA:-$JAVA_HOME/bin/java}"
else
  FLINK_JAVA="${FLINK_JAVA:-java}"
fi

# What the Flink distribution's config.yaml passes in env.java.opts.all for Java 17; we launch
# java directly, so it has to be on the command line.
FLINK_JAVA17_OPTS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

# shellcheck source=secure.sh
source "$FJC_HOME/infra/flink/secure.sh"

flink_rest_url() {
  if [ "$FLINK_REST_SECURITY" = mtls ]; then echo "https://$FJC_BIND:$FLINK_REST_PORT"; else echo "http://$FJC_BIND:$FLINK_REST_PORT"; fi
}

# The version the cluster at the REST port runs, from its own answer (GET /config); empty when
# nothing answers.
flink_running_version() {
  local body
  body="$(flink_curl -fsS --max-time 3 "$(flink_rest_url)/config" 2>/dev/null)" || return 0
  [[ $body =~ \"flink-version\":\"([^\"]+)\" ]] && echo "${BASH_REMATCH[1]}"
}

flink_env() {
  echo "FLINK_REST_URL=$(flink_rest_url)"
  _flink_client_env
  local v; v="$(flink_running_version)"
  echo "FLINK_VERSION=${v:-$FLINK_VERSION}"
}

# The marker records the pom's checksum and the log4j version: editing the pom re-assembles.
_flink_pom_sum() { { sha256sum "$FLINK_POM" | cut -d' ' -f1; echo "$FLINK_LOG4J_VERSION"; } | sha256sum | cut -d' ' -f1; }

# Assemble the jars once into the cache.
flink_fetch() {
  if [ -f "$FLINK_LIBS_MARKER" ] && [ "$(cat "$FLINK_LIBS_MARKER")" = "$(_flink_pom_sum)" ]; then
    return 0
  fi
  log flink "assembling Flink $FLINK_VERSION jars into $FLINK_LIBS_DIR"
  rm -rf "$FLINK_LIBS_DIR" "$FLINK_LIBS_MARKER"
  mkdir -p "$FLINK_HOME_DIR"
  mvn_quiet -f "$FLINK_POM" package -Dflink.version="$FLINK_VERSION" -Dlog4j.version="$FLINK_LOG4J_VERSION" \
    -Dflink.libs.dir="$FLINK_LIBS_DIR" \
    || { log flink "ERROR: assembling the Flink jars failed (see $FJC_LOG_DIR/maven.log)"; return 1; }
  ls "$FLINK_LIBS_DIR"/flink-runtime-web-"$FLINK_VERSION".jar >/dev/null 2>&1 \
    || { log flink "ERROR: flink-runtime-web missing from $FLINK_LIBS_DIR"; return 1; }
  _flink_pom_sum > "$FLINK_LIBS_MARKER"
}

_flink_write_conf() {
  mkdir -p "$FLINK_CONF_DIR" "$FLINK_DATA/checkpoints" "$FLINK_DATA/savepoints" "$FLINK_DATA/web-upload" \
    "$FLINK_DATA/web-tmp" "$FLINK_DATA/tmp" "$FLINK_DATA/blob" "$FLINK_DATA/work"
  cat > "$FLINK_CONF_DIR/config.yaml" <<EOF
# Written by infra/flink/flink.sh on every start; edits are lost.
jobmanager.rpc.address: $FJC_BIND
jobmanager.rpc.port: $FLINK_RPC_PORT
jobmanager.bind-host: $FJC_BIND
jobmanager.memory.process.size: $FLINK_JM_PROCESS_SIZE
jobmanager.execution.failover-strategy: region
taskmanager.host: $FJC_BIND
taskmanager.bind-host: $FJC_BIND
taskmanager.rpc.port: $FLINK_TM_RPC_PORT
taskmanager.data.port: $FLINK_TM_DATA_PORT
taskmanager.numberOfTaskSlots: $FLINK_TM_SLOTS
taskmanager.memory.process.size: $FLINK_TM_PROCESS_SIZE
blob.server.port: $FLINK_BLOB_PORT
rest.address: $FJC_BIND
rest.bind-address: $FJC_BIND
rest.port: $FLINK_REST_PORT
parallelism.default: 1
execution.checkpointing.dir: "file://$FLINK_DATA/checkpoints"
execution.checkpointing.savepoint-dir: "file://$FLINK_DATA/savepoints"
web.upload.dir: "$FLINK_DATA/web-upload"
web.tmpdir: "$FLINK_DATA/web-tmp"
io.tmp.dirs: "$FLINK_DATA/tmp"
blob.storage.directory: "$FLINK_DATA/blob"
process.working-dir: "$FLINK_DATA/work"
# seconds a finished job stays in /jobs/overview and /jobs/:id
jobstore.expiration-time: 3600
# ms before the TaskManager retries an unreachable ResourceManager (default 10 s): both start together
cluster.registration.error-delay: 1000
# ms between the JobManager's metric fetches from the TaskManager (REST metric freshness)
metrics.fetcher.update-interval: 2000
EOF
  _flink_ssl_config >>"$FLINK_CONF_DIR/config.yaml"
  chmod 600 "$FLINK_CONF_DIR/config.yaml"
  cat > "$FLINK_CONF_DIR/log4j.properties" <<'EOF'
# One plain appending file per process (${sys:log.file}); the process's stdout/stderr
# (start_bg) append to the same file, so print() output and JVM errors sit in order with the log.
monitorInterval = 30
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
appender.main.name = MainAppender
appender.main.type = File
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
EOF
}

# _flink_resource_params JM|TM: BashJavaUtils' two result lines (JVM args, then -D settings).
_flink_resource_params() {
  local out
  out="$("$FLINK_JAVA" -cp "$FLINK_LIBS_DIR/*" org.apache.flink.runtime.util.bash.BashJavaUtils \
    "GET_$1_RESOURCE_PARAMS" --configDir "$FLINK_CONF_DIR" 2>&1)" || { echo "$out" >&2; return 1; }
  out="$(grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$out" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')"
  [ "$(wc -l <<<"$out")" -eq 2 ] || { log flink "ERROR: unexpected BashJavaUtils output: $out"; return 1; }
  echo "$out"
}

# _flink_overview_ready: REST answers and the TaskManager's slots are all registered and free.
_flink_overview_ready() {
  local body tms slots
  body="$(flink_curl -fsS --max-time 3 "$(flink_rest_url)/overview")" || return 1
  [[ $body =~ \"taskmanagers\":([0-9]+) ]] || return 1; tms="${BASH_REMATCH[1]}"
  [[ $body =~ \"slots-available\":([0-9]+) ]] || return 1; slots="${BASH_REMATCH[1]}"
  ((tms >= 1 && slots >= 2))
}

# A TaskManager registered (its slots may go to waiting jobs at once).
_flink_tm_registered() {
  local body
  body="$(flink_curl -fsS --max-time 3 "$(flink_rest_url)/overview")" || return 1
  [[ $body =~ \"taskmanagers\":([1-9][0-9]*) ]]
}

_flink_rest_up() { flink_curl -fsS --max-time 3 "$(flink_rest_url)/config" >/dev/null; }

flink_up() {
  if port_open "$FLINK_REST_PORT"; then
    local running
    running="$(flink_running_version)"
    if [ -n "$running" ] && [ "$running" != "$FLINK_VERSION" ]; then
      log flink "ERROR: Flink $running answers at $(flink_rest_url), but Flink $FLINK_VERSION was asked for;" \
        "stop it first with 'npm run stack -- down flink' (or set FLINK_VERSION=$running)"
      return 1
    fi
    # Our own JobManager whose TaskManager died (killed, or out of memory): start just that.
    if pid_alive flink-jobmanager && ! pid_alive flink-taskmanager; then
      log flink "JobManager running, TaskManager gone: starting a TaskManager"
      _flink_start_tm && WAIT_PID_NAME=flink-taskmanager wait_for flink-taskmanager "$FLINK_START_TIMEOUT" _flink_tm_registered
      return
    fi
    log flink "port $FLINK_REST_PORT already open; reusing the running Flink ${running:-?} at $(flink_rest_url)"
    return 0
  fi
  if pid_alive flink-jobmanager || pid_alive flink-taskmanager; then
    log flink "recorded Flink processes alive but REST port closed; stopping them first"
    flink_down
  fi
  local p
  for p in "$FLINK_RPC_PORT" "$FLINK_BLOB_PORT" "$FLINK_TM_RPC_PORT" "$FLINK_TM_DATA_PORT" \
    "$FLINK_JM_METRICS_PORT" "$FLINK_TM_METRICS_PORT"; do
    if port_open "$p"; then
      log flink "ERROR: port $p is taken by another process (override the FLINK_*_PORT variables)"
      return 1
    fi
  done
  local started=$SECONDS
  flink_fetch || return 1
  _flink_make_tls || return 1
  _flink_write_conf

  local params jm_jvm jm_dyn
  params="$(_flink_resource_params JM)" || return 1
  jm_jvm="$(head -n1 <<<"$params")"; jm_dyn="$(tail -n1 <<<"$params")"

  local log_conf="-Dlog4j.configurationFile=file:$FLINK_CONF_DIR/log4j.properties"
  # FLINK_PLUGINS_DIR: an empty plugins dir of our own (the default is ./plugins of the cwd).
  local envs=(env "FLINK_CONF_DIR=$FLINK_CONF_DIR" "FLINK_PLUGINS_DIR=$FLINK_HOME_DIR/plugins")
  mkdir -p "$FLINK_HOME_DIR/plugins"
  log flink "starting JobManager (rest $FLINK_REST_PORT, rpc $FLINK_RPC_PORT)"
  # shellcheck disable=SC2086 # the BashJavaUtils results are whitespace-separated argument lists
  start_bg flink-jobmanager "${envs[@]}" "$FLINK_JAVA" $jm_jvm "${FLINK_JAVA17_OPTS[@]}" \
    "-Dlog.file=$FJC_LOG_DIR/flink-jobmanager.log" "$log_conf" \
    -cp "$FLINK_LIBS_DIR/*" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    --configDir "$FLINK_CONF_DIR" $jm_dyn -D "metrics.internal.query-service.port=$FLINK_JM_METRICS_PORT"
  _flink_start_tm || return 1

  if ! WAIT_PID_NAME=flink-jobmanager wait_for flink-jobmanager "$FLINK_START_TIMEOUT" _flink_rest_up \
    || ! WAIT_PID_NAME=flink-taskmanager wait_for flink-taskmanager \
      $((FLINK_START_TIMEOUT - (SECONDS - started) > 5 ? FLINK_START_TIMEOUT - (SECONDS - started) : 5)) \
      _flink_overview_ready; then
    log flink "ERROR: Flink did not become ready; stopping what was started"
    flink_down
    return 1
  fi
  log flink "ready at $(flink_rest_url) after $((SECONDS - started))s"
}

# The TaskManager alone (also used to replace one that died beside a running JobManager).
_flink_start_tm() {
  local params tm_jvm tm_dyn
  params="$(_flink_resource_params TM)" || return 1
  tm_jvm="$(head -n1 <<<"$params")"; tm_dyn="$(tail -n1 <<<"$params")"
  local log_conf="-Dlog4j.configurationFile=file:$FLINK_CONF_DIR/log4j.properties"
  local envs=(env "FLINK_CONF_DIR=$FLINK_CONF_DIR" "FLINK_PLUGINS_DIR=$FLINK_HOME_DIR/plugins")
  log flink "starting TaskManager (rpc $FLINK_TM_RPC_PORT, data $FLINK_TM_DATA_PORT)"
  # shellcheck disable=SC2086 # the BashJavaUtils results are whitespace-separated argument lists
  start_bg flink-taskmanager "${envs[@]}" "$FLINK_JAVA" $tm_jvm "${FLINK_JAVA17_OPTS[@]}" \
    "-Dlog.file=$FJC_LOG_DIR/flink-taskmanager.log" "$log_conf" \
    -cp "$FLINK_LIBS_DIR/*" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
    --configDir "$FLINK_CONF_DIR" $tm_dyn -D "metrics.internal.query-service.port=$FLINK_TM_METRICS_PORT"
}

flink_down() {
  stop_pid flink-taskmanager 30
  stop_pid flink-jobmanager 30
}

# flink_status: one line, like the other components' (always exit 0).
flink_status() {
  local body="" detail="" tms slots total
  body="$(flink_curl -fsS --max-time 3 "$(flink_rest_url)/overview" 2>/dev/null)" || body=""
  if [[ $body =~ \"taskmanagers\":([0-9]+) ]]; then
    tms="${BASH_REMATCH[1]}"
    [[ $body =~ \"slots-available\":([0-9]+) ]] && slots="${BASH_REMATCH[1]}" || slots="?"
    [[ $body =~ \"slots-total\":([0-9]+) ]] && total="${BASH_REMATCH[1]}" || total="?"
    detail="Flink $(flink_running_version) at $(flink_rest_url), $tms taskmanager(s), $slots/$total slots free"
  fi
  if pid_alive flink-jobmanager; then
    local tm="taskmanager stopped"
    pid_alive flink-taskmanager && tm="taskmanager pid $(cat "$(pid_file flink-taskmanager)")"
    echo "flink: running (jobmanager pid $(cat "$(pid_file flink-jobmanager)"), $tm, ${detail:-REST not answering})"
  elif [ -n "$detail" ]; then
    echo "flink: reused external ($detail)"
  else
    echo "flink: stopped"
  fi
}
