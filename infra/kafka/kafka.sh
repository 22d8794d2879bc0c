# Local Apache Kafka: one KRaft node (broker + controller) run as a plain JVM from Maven Central jars.
# Sourced by the stack entry point after infra/lib/common.sh. Defines:
#   kafka_up      start (or reuse) the broker and wait until it answers a metadata request
#   kafka_down    stop the broker this checkout started (by recorded pid only)
#   kafka_status  one line: running (pid, port, version) / reused external / stopped
#   kafka_env     KAFKA_BROKERS=127.0.0.1:PORT, and KAFKA_VERSION of a broker this stack started
#   kafka_tool    run a Kafka tool class on the cached jars (e.g. org.apache.kafka.tools.ProducerPerformance)
# Env overrides: KAFKA_VERSION (4.4.0; 3.9.1 is the other line kept working), KAFKA_PORT (9092),
# KAFKA_CONTROLLER_PORT (9093), KAFKA_HEAP (512m), KAFKA_SECURITY (plaintext; sasl_ssl: TLS with a
# CA the stack makes, SCRAM-SHA-512 users and ACLs, see infra/kafka/secure.sh).
#
# What differs between the 3.x and 4.x lines is kept here, keyed by the major version: the
# SLF4J binding (a Maven profile), the logging configuration (log4j 1.x properties on 3.x,
# log4j2 YAML on 4.x, KIP-653) and the class of the readiness probe. Both lines format storage
# with kafka.tools.StorageTool and a static controller.quorum.voters, and read the same
# server.properties keys. KRaft metadata written by 4.x cannot be read by 3.x, so each version
# has its own data folder; the jars are cached per version too.

KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}" # the default is also <kafka.version> in infra/kafka/pom.xml
KAFKA_MAJOR="${KAFKA_VERSION%%.*}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${KAFKA_HEAP:-512m}"
KAFKA_READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-90}"

KAFKA_LIBS_DIR="$FJC_CACHE_DIR/kafka-$KAFKA_VERSION/libs"
KAFKA_SECURITY="${KAFKA_SECURITY:-plaintext}"
case "$KAFKA_SECURITY" in
  plaintext) KAFKA_HOME_DIR="$FJC_DATA_DIR/kafka-$KAFKA_VERSION" ;; # server.properties, logging config, cluster.id
  sasl_ssl) KAFKA_HOME_DIR="$FJC_DATA_DIR/kafka-$KAFKA_VERSION-sasl_ssl" ;;
  *) die kafka "KAFKA_SECURITY=$KAFKA_SECURITY is not supported (plaintext or sasl_ssl)" ;;
esac
KAFKA_TLS_DIR="$KAFKA_HOME_DIR/tls" # sasl_ssl: CA, broker certificate, users' passwords
# shellcheck source=secure.sh
source "$(dirname "${BASH_SOURCE[0]}")/secure.sh"
KAFKA_LOG_DIRS="$KAFKA_HOME_DIR/logs"       # Kafka's data (log.dirs), not text logs
KAFKA_TEXT_LOG_DIR="$FJC_LOG_DIR/kafka"     # server.log, controller.log, gc.log, ...
KAFKA_VERSION_FILE="$FJC_RUN_DIR/kafka.version" # the version of the broker we started, beside its pid

case "$KAFKA_VERSION" in
  3.*.* | 4.*.*) ;;
  *) die kafka "KAFKA_VERSION=$KAFKA_VERSION is not supported (use 4.4.0, the default, or 3.9.1)" ;;
esac

# The JVM option that points the Kafka line's logging framework at a configuration file.
_kafka_log_config_opt() {
  if [ "$KAFKA_MAJOR" = 3 ]; then echo "-Dlog4j.configuration=file:$1"; else echo "-Dlog4j2.configurationFile=$1"; fi
}

# Assemble the jars once; the marker is written last, so a half-finished copy is never used.
_kafka_assemble() {
  local marker="$KAFKA_LIBS_DIR/.complete" tmp
  [ -f "$marker" ] && return 0
  command -v mvn >/dev/null || die kafka "mvn not found (needed once to fetch the Kafka jars)"
  log kafka "assembling Kafka $KAFKA_VERSION jars into $KAFKA_LIBS_DIR (first run only)"
  tmp="$KAFKA_LIBS_DIR.tmp.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  mvn_quiet -f "$FJC_HOME/infra/kafka/pom.xml" package -P "kafka-$KAFKA_MAJOR" \
    -Dkafka.version="$KAFKA_VERSION" -Dkafka.libs="$tmp" || { rm -rf "$tmp"; die kafka "jar assembly failed"; }
  ls "$tmp"/kafka_2.13-"$KAFKA_VERSION".jar "$tmp"/kafka-tools-"$KAFKA_VERSION".jar >/dev/null 2>&1 \
    || { rm -rf "$tmp"; die kafka "jar assembly produced no kafka jars"; }
  rm -rf "$KAFKA_LIBS_DIR"
  mv "$tmp" "$KAFKA_LIBS_DIR"
  : >"$marker"
}

# kafka_tool CLASS ARGS...: a short-lived JVM on the Kafka jars, logging WARN+ to stderr.
# The default JVM options favour fast start (probes, topic admin); for a benchmark such as
# org.apache.kafka.tools.ProducerPerformance set KAFKA_TOOL_OPTS (e.g. "-Xmx1g").
kafka_tool() {
  local cls="$1"; shift
  _kafka_assemble
  local conf="$KAFKA_HOME_DIR/tools-log4j2.yaml"
  [ "$KAFKA_MAJOR" = 3 ] && conf="$KAFKA_HOME_DIR/tools-log4j.properties"
  if [ ! -f "$conf" ]; then
    mkdir -p "$KAFKA_HOME_DIR"
    if [ "$KAFKA_MAJOR" = 3 ]; then
      printf '%s\n' "log4j.rootLogger=WARN, stderr" \
        "log4j.appender.stderr=org.apache.log4j.ConsoleAppender" \
        "log4j.appender.stderr.Target=System.err" \
        "log4j.appender.stderr.layout=org.apache.log4j.PatternLayout" \
        "log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n" >"$conf"
    else
      printf '%s\n' "Configuration:" \
        "  Appenders:" \
        "    Console:" \
        "      name: STDERR" \
        "      target: SYSTEM_ERR" \
        "      PatternLayout: { pattern: \"[%d] %p %m (%c)%n\" }" \
        "  Loggers:" \
        "    Root:" \
        "      level: WARN" \
        "      AppenderRef: { ref: STDERR }" >"$conf"
    fi
  fi
  # shellcheck disable=SC2086 # KAFKA_TOOL_OPTS is a list of JVM options
  java ${KAFKA_TOOL_OPTS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} \
    "$(_kafka_log_config_opt "$conf")" \
    -cp "$KAFKA_LIBS_DIR/*" "$cls" "$@"
}

_kafka_write_config() {
  mkdir -p "$KAFKA_HOME_DIR" "$KAFKA_LOG_DIRS" "$KAFKA_TEXT_LOG_DIR"
  cat >"$KAFKA_HOME_DIR/server.properties" <<EOF
# Generated by infra/kafka/kafka.sh on each start; edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$FJC_BIND:$KAFKA_CONTROLLER_PORT
$(_kafka_listener_config)
controller.listener.names=CONTROLLER
log.dirs=$KAFKA_LOG_DIRS
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  # 4.x has share groups (KIP-932) on by default; their state topic would otherwise ask for three
  # replicas. 3.x does not know these keys and would warn about them.
  if [ "$KAFKA_MAJOR" != 3 ]; then
    printf '%s\n' "share.coordinator.state.topic.replication.factor=1" \
      "share.coordinator.state.topic.min.isr=1" >>"$KAFKA_HOME_DIR/server.properties"
  fi
  if [ "$KAFKA_MAJOR" = 3 ]; then _kafka_write_log4j_config; else _kafka_write_log4j2_config; fi
}

# Broker logging, the same on both lines: everything at INFO to files under $FJC_LOG_DIR/kafka
# (size-capped); WARN and above also to stdout, which start_bg sends to $FJC_LOG_DIR/kafka.log,
# so a failed start shows its cause in the tail that wait_for prints.
KAFKA_BROKER_LOG_CONFIG="$KAFKA_HOME_DIR/log4j2.yaml"
[ "$KAFKA_MAJOR" = 3 ] && KAFKA_BROKER_LOG_CONFIG="$KAFKA_HOME_DIR/log4j.properties"

_kafka_write_log4j_config() {
  cat >"$KAFKA_BROKER_LOG_CONFIG" <<EOF
log4j.rootLogger=INFO, serverFile, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.Threshold=WARN
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.appender.serverFile=org.apache.log4j.RollingFileAppender
log4j.appender.serverFile.File=\${kafka.logs.dir}/server.log
log4j.appender.serverFile.MaxFileSize=20MB
log4j.appender.serverFile.MaxBackupIndex=3
log4j.appender.serverFile.layout=org.apache.log4j.PatternLayout
log4j.appender.serverFile.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.appender.controllerFile=org.apache.log4j.RollingFileAppender
log4j.appender.controllerFile.File=\${kafka.logs.dir}/controller.log
log4j.appender.controllerFile.MaxFileSize=20MB
log4j.appender.controllerFile.MaxBackupIndex=2
log4j.appender.controllerFile.layout=org.apache.log4j.PatternLayout
log4j.appender.controllerFile.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.appender.stateChangeFile=org.apache.log4j.RollingFileAppender
log4j.appender.stateChangeFile.File=\${kafka.logs.dir}/state-change.log
log4j.appender.stateChangeFile.MaxFileSize=20MB
log4j.appender.stateChangeFile.MaxBackupIndex=2
log4j.appender.stateChangeFile.layout=org.apache.log4j.PatternLayout
log4j.appender.stateChangeFile.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.org.apache.kafka.controller=INFO, controllerFile, stdout
log4j.additivity.org.apache.kafka.controller=false
log4j.logger.kafka.controller=INFO, controllerFile, stdout
log4j.additivity.kafka.controller=false
log4j.logger.state.change.logger=INFO, stateChangeFile, stdout
log4j.additivity.state.change.logger=false
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel\$=WARN
log4j.logger.org.apache.kafka.storage.internals.log.LogCleaner=WARN
EOF
}

_kafka_write_log4j2_config() {
  cat >"$KAFKA_BROKER_LOG_CONFIG" <<'EOF'
# Generated by infra/kafka/kafka.sh on each start; edits are overwritten.
Configuration:
  Properties:
    Property:
      - { name: logPattern, value: "[%d] %p %m (%c)%n" }
  Appenders:
    Console:
      name: STDOUT
      target: SYSTEM_OUT
      ThresholdFilter: { level: WARN }
      PatternLayout: { pattern: "${logPattern}" }
    RollingFile:
      - name: ServerFile
        fileName: "${sys:kafka.logs.dir}/server.log"
        filePattern: "${sys:kafka.logs.dir}/server.log.%i"
        PatternLayout: { pattern: "${logPattern}" }
        SizeBasedTriggeringPolicy: { size: 20MB }
        DefaultRolloverStrategy: { max: 3, fileIndex: min }
      - name: ControllerFile
        fileName: "${sys:kafka.logs.dir}/controller.log"
        filePattern: "${sys:kafka.logs.dir}/controller.log.%i"
        PatternLayout: { pattern: "${logPattern}" }
        SizeBasedTriggeringPolicy: { size: 20MB }
        DefaultRolloverStrategy: { max: 2, fileIndex: min }
      - name: StateChangeFile
        fileName: "${sys:kafka.logs.dir}/state-change.log"
        filePattern: "${sys:kafka.logs.dir}/state-change.log.%i"
        PatternLayout: { pattern: "${logPattern}" }
        SizeBasedTriggeringPolicy: { size: 20MB }
        DefaultRolloverStrategy: { max: 2, fileIndex: min }
  Loggers:
    Root:
      level: INFO
      AppenderRef: [{ ref: ServerFile }, { ref: STDOUT }]
    Logger:
      - name: org.apache.kafka.controller
        level: INFO
        additivity: false
        AppenderRef: [{ ref: ControllerFile }, { ref: STDOUT }]
      - name: kafka.controller
        level: INFO
        additivity: false
        AppenderRef: [{ ref: ControllerFile }, { ref: STDOUT }]
      - name: state.change.logger
        level: INFO
        additivity: false
        AppenderRef: [{ ref: StateChangeFile }, { ref: STDOUT }]
      - { name: kafka.request.logger, level: WARN }
      - { name: "kafka.network.RequestChannel$", level: WARN }
      - { name: org.apache.kafka.storage.internals.log.LogCleaner, level: WARN }
EOF
}

# 16 random bytes, base64url without padding, not starting with '-' (Kafka's Uuid format).
_kafka_new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [ "${id:0:1}" != "-" ] && { echo "$id"; return; }
  done
}

# Format the storage once; the cluster id lives beside the data so restarts keep it.
_kafka_format_once() {
  local idf="$KAFKA_HOME_DIR/cluster.id"
  [ -f "$KAFKA_LOG_DIRS/meta.properties" ] && return 0
  [ -s "$idf" ] || _kafka_new_cluster_id >"$idf"
  local scram=()
  mapfile -t scram < <(_kafka_scram_format_args)
  log kafka "formatting storage (cluster id $(cat "$idf"))"
  kafka_tool kafka.tools.StorageTool format -t "$(cat "$idf")" \
    -c "$KAFKA_HOME_DIR/server.properties" -g "${scram[@]}" >>"$FJC_LOG_DIR/kafka.log" 2>&1 \
    || { tail -n 20 "$FJC_LOG_DIR/kafka.log" >&2; die kafka "storage format failed"; }
}

# Readiness: the broker answers a metadata request listing itself (i.e. it is registered and
# unfenced). Cheap port check first, so the JVM probe runs only when it can succeed.
_kafka_ready() {
  port_open "$KAFKA_PORT" || return 1
  local cls=org.apache.kafka.tools.BrokerApiVersionsCommand # 4.x; Scala kafka.admin one in 3.x
  [ "${KAFKA_VERSION%%.*}" = 3 ] && cls=kafka.admin.BrokerApiVersionsCommand
  local out
  out="$(kafka_tool "$cls" --bootstrap-server "$FJC_BIND:$KAFKA_PORT" \
    --command-config "$KAFKA_HOME_DIR/probe.properties" 2>/dev/null)" || return 1
  [[ "$out" == *"(id: 1 rack"* ]]
}

_kafka_wait_ready() {
  # TLS and SCRAM handshakes take longer than a plaintext probe, the more so on a busy machine.
  local rt=3000 at=5000
  [ "$KAFKA_SECURITY" = sasl_ssl ] && rt=15000 at=20000
  { printf '%s\n' "request.timeout.ms=$rt" "default.api.timeout.ms=$at" "connections.max.idle.ms=5000"
    _kafka_admin_client_config; } >"$KAFKA_HOME_DIR/probe.properties"
  chmod 600 "$KAFKA_HOME_DIR/probe.properties"
  if ! WAIT_PID_NAME=kafka wait_for kafka "$KAFKA_READY_TIMEOUT" _kafka_ready; then
    if pid_alive kafka; then # timed out while running: show the detailed log, then stop it
      log kafka "last lines of $KAFKA_TEXT_LOG_DIR/server.log:"
      tail -n 20 "$KAFKA_TEXT_LOG_DIR/server.log" >&2 2>/dev/null || true
    fi
    stop_pid kafka 30 # also forgets the pid of a process that already exited
    rm -f "$KAFKA_VERSION_FILE"
    die kafka "broker did not become ready on $FJC_BIND:$KAFKA_PORT"
  fi
}

# The version of the broker this stack started. Before versions were recorded beside the pid,
# the stack ran only 3.9.1.
_kafka_running_version() { cat "$KAFKA_VERSION_FILE" 2>/dev/null || echo 3.9.1; }

# Data from before the folders were per version is 3.9.1 data: move it where 3.9.1 looks.
_kafka_adopt_unversioned_data() {
  local old="$FJC_DATA_DIR/kafka" new="$FJC_DATA_DIR/kafka-3.9.1"
  [ -d "$old" ] && [ ! -e "$new" ] || return 0
  pid_alive kafka && return 0 # a broker started before the move may still be using it
  log kafka "moving $old (Kafka 3.9.1 data) to $new"
  mv "$old" "$new"
}

kafka_up() {
  local t0=$SECONDS running
  _kafka_adopt_unversioned_data
  if pid_alive kafka; then
    running="$(_kafka_running_version)"
    if [ "$running" != "$KAFKA_VERSION" ]; then
      die kafka "Kafka $running runs on port $KAFKA_PORT (pid $(cat "$(pid_file kafka)"), started by this stack)," \
        "but Kafka $KAFKA_VERSION was asked for (KAFKA_VERSION); stop it first with" \
        "'npm run stack -- down kafka', or set KAFKA_VERSION=$running to use it"
    fi
    log kafka "Kafka $running already started by this checkout (pid $(cat "$(pid_file kafka)")); waiting for readiness"
    _kafka_wait_ready
    return 0
  fi
  if port_open "$KAFKA_PORT"; then
    log kafka "something already answers on $FJC_BIND:$KAFKA_PORT; reusing the running broker"
    return 0
  fi
  if port_open "$KAFKA_CONTROLLER_PORT"; then
    die kafka "controller port $KAFKA_CONTROLLER_PORT is taken by another process (set KAFKA_CONTROLLER_PORT)"
  fi
  command -v java >/dev/null || die kafka "java not found"
  _kafka_assemble
  _kafka_make_tls
  _kafka_write_config
  _kafka_format_once
  log kafka "starting Kafka $KAFKA_VERSION on $FJC_BIND:$KAFKA_PORT (heap $KAFKA_HEAP)"
  start_bg kafka java -Xms"$KAFKA_HEAP" -Xmx"$KAFKA_HEAP" \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:MaxDirectMemorySize=256m -Djava.awt.headless=true \
    "-Xlog:gc*:file=$KAFKA_TEXT_LOG_DIR/gc.log:time,tags:filecount=3,filesize=10M" \
    -Dkafka.logs.dir="$KAFKA_TEXT_LOG_DIR" \
    "$(_kafka_log_config_opt "$KAFKA_BROKER_LOG_CONFIG")" \
    -cp "$KAFKA_LIBS_DIR/*" kafka.Kafka "$KAFKA_HOME_DIR/server.properties"
  echo "$KAFKA_VERSION" >"$KAFKA_VERSION_FILE"
  _kafka_wait_ready
  _kafka_apply_acls || die kafka "setting the ACLs failed; see $FJC_LOG_DIR/kafka.log"
  log kafka "ready on $FJC_BIND:$KAFKA_PORT (pid $(cat "$(pid_file kafka)"), $((SECONDS - t0))s)"
}

kafka_down() {
  if pid_alive kafka; then
    stop_pid kafka 60
    rm -f "$KAFKA_VERSION_FILE"
    log kafka "stopped"
  else
    rm -f "$(pid_file kafka)" "$KAFKA_VERSION_FILE"
    if port_open "$KAFKA_PORT"; then
      log kafka "not started by this checkout; leaving the broker on port $KAFKA_PORT running"
    fi
  fi
}

kafka_status() {
  if pid_alive kafka; then
    echo "kafka: running (pid $(cat "$(pid_file kafka)"), port $KAFKA_PORT, Kafka $(_kafka_running_version))"
  elif port_open "$KAFKA_PORT"; then
    echo "kafka: reused external (port $KAFKA_PORT, version unknown)"
  else
    echo "kafka: stopped"
  fi
}

# KAFKA_VERSION only for a broker this stack started: it is the version tests expect to meet
# (test/stack/kafka.int.spec.ts checks it) and the one kafka_tool should use beside it.
kafka_env() {
  echo "KAFKA_BROKERS=$FJC_BIND:$KAFKA_PORT"
  _kafka_client_env
  if pid_alive kafka; then echo "KAFKA_VERSION=$(_kafka_running_version)"; fi
}
