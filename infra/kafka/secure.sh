# Secured Kafka for the local stack (KAFKA_SECURITY=sasl_ssl), sourced by kafka.sh.
# Clients connect over TLS (a CA made here, once per data folder) and log in with SCRAM-SHA-512.
# The controller listener takes only mutual TLS (KRaft controllers cannot use SCRAM).
# Authorization is on and denies whatever no ACL allows. Users, with their passwords in
# $KAFKA_TLS_DIR/<user>.password (mode 0600, never printed):
#   admin     the broker itself and the stack's own tools (super user)
#   fjc       the FJC services, relay and CLI: their topics and groups (prefixes fjc. and t, the
#             latter for the tests' isolated worlds)
#   upstream  an upstream system: writes fjc.spec.commands, reads fjc.spec.command-results
# SCRAM users are written when the storage is formatted, so a secured broker has a data folder
# of its own (kafka-VERSION-sasl_ssl).

KAFKA_SASL_USERS=(admin fjc upstream)
KAFKA_BROKER_DN="CN=fjc-kafka-broker"

_kafka_password() {
  local f="$KAFKA_TLS_DIR/$1.password"
  if [ ! -s "$f" ]; then
    mkdir -p "$KAFKA_TLS_DIR" && chmod 700 "$KAFKA_TLS_DIR"
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '+/=\n' >"$f")
  fi
  cat "$f"
}

# --add-scram arguments of the storage format: every user with its password.
_kafka_scram_format_args() {
  [ "$KAFKA_SECURITY" = sasl_ssl ] || return 0
  local u
  for u in "${KAFKA_SASL_USERS[@]}"; do
    printf '%s\n' --add-scram "SCRAM-SHA-512=[name=$u,password=$(_kafka_password "$u")]"
  done
}

_kafka_make_tls() {
  [ "$KAFKA_SECURITY" = sasl_ssl ] || return 0
  [ -s "$KAFKA_TLS_DIR/broker.pem" ] && return 0
  command -v openssl >/dev/null || die kafka "openssl not found (needed for KAFKA_SECURITY=sasl_ssl)"
  mkdir -p "$KAFKA_TLS_DIR" && chmod 700 "$KAFKA_TLS_DIR"
  log kafka "making a CA and the broker's certificate in $KAFKA_TLS_DIR"
  (
    cd "$KAFKA_TLS_DIR" && umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=FJC local Kafka CA" -keyout ca.key -out ca.pem
    openssl req -newkey rsa:2048 -nodes -subj "/$KAFKA_BROKER_DN" -keyout broker.key -out broker.csr
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n' >broker.ext
    openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -extfile broker.ext -out broker.crt
    # Kafka's PEM key store: the (PKCS#8) key and the certificate chain in one file.
    { openssl pkcs8 -topk8 -nocrypt -in broker.key; cat broker.crt ca.pem; } >broker.pem
    chmod 644 ca.pem
  ) >>"$FJC_LOG_DIR/kafka.log" 2>&1 || die kafka "making the TLS material failed; see $FJC_LOG_DIR/kafka.log"
}

# The listener part of server.properties.
_kafka_listener_config() {
  if [ "$KAFKA_SECURITY" != sasl_ssl ]; then
    printf '%s\n' "listeners=PLAINTEXT://$FJC_BIND:$KAFKA_PORT,CONTROLLER://$FJC_BIND:$KAFKA_CONTROLLER_PORT" \
      "advertised.listeners=PLAINTEXT://$FJC_BIND:$KAFKA_PORT" \
      "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT" \
      "inter.broker.listener.name=PLAINTEXT"
    return
  fi
  printf '%s\n' "listeners=SASL_SSL://$FJC_BIND:$KAFKA_PORT,CONTROLLER://$FJC_BIND:$KAFKA_CONTROLLER_PORT" \
    "advertised.listeners=SASL_SSL://$FJC_BIND:$KAFKA_PORT" \
    "listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SSL" \
    "inter.broker.listener.name=SASL_SSL" \
    "sasl.enabled.mechanisms=SCRAM-SHA-512" \
    "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512" \
    "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$(_kafka_password admin)\";" \
    "ssl.keystore.type=PEM" \
    "ssl.keystore.location=$KAFKA_TLS_DIR/broker.pem" \
    "ssl.truststore.type=PEM" \
    "ssl.truststore.location=$KAFKA_TLS_DIR/ca.pem" \
    "listener.name.controller.ssl.client.auth=required" \
    "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer" \
    "allow.everyone.if.no.acl.found=false" \
    "super.users=User:admin;User:$KAFKA_BROKER_DN" \
    "offsets.topic.num.partitions=8"
}

# Client settings of the stack's own tools (readiness probe, ACLs): admin over SASL_SSL.
_kafka_admin_client_config() {
  [ "$KAFKA_SECURITY" = sasl_ssl ] || return 0
  printf '%s\n' "security.protocol=SASL_SSL" "sasl.mechanism=SCRAM-SHA-512" \
    "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$(_kafka_password admin)\";" \
    "ssl.truststore.type=PEM" "ssl.truststore.location=$KAFKA_TLS_DIR/ca.pem"
}

# The users' ACLs (adding an ACL that exists changes nothing).
_kafka_apply_acls() {
  [ "$KAFKA_SECURITY" = sasl_ssl ] || return 0
  local cls=org.apache.kafka.tools.AclCommand p
  [ "$KAFKA_MAJOR" = 3 ] && cls=kafka.admin.AclCommand
  # Patient timeouts: TLS and SCRAM handshakes are slow on a busy machine.
  { printf '%s\n' "request.timeout.ms=30000" "default.api.timeout.ms=60000"; _kafka_admin_client_config; } >"$KAFKA_HOME_DIR/admin.properties"
  chmod 600 "$KAFKA_HOME_DIR/admin.properties"
  local acl=(kafka_tool "$cls" --bootstrap-server "$FJC_BIND:$KAFKA_PORT" --command-config "$KAFKA_HOME_DIR/admin.properties" --add --force)
  {
    for p in fjc. t; do
      "${acl[@]}" --allow-principal User:fjc --operation All --topic "$p" --resource-pattern-type prefixed
      "${acl[@]}" --allow-principal User:fjc --operation All --group "$p" --resource-pattern-type prefixed
    done
    "${acl[@]}" --allow-principal User:fjc --operation Describe --operation DescribeConfigs --cluster
    "${acl[@]}" --allow-principal User:upstream --operation Write --operation Describe --topic fjc.spec.commands
    "${acl[@]}" --allow-principal User:upstream --operation Read --operation Describe --topic fjc.spec.command-results
    "${acl[@]}" --allow-principal User:upstream --operation Read --group upstream --resource-pattern-type prefixed
  } >>"$FJC_LOG_DIR/kafka.log" 2>&1
}

# Client environment of the services (the fjc user).
_kafka_client_env() {
  [ "$KAFKA_SECURITY" = sasl_ssl ] || return 0
  printf '%s\n' "FJC_KAFKA_SECURITY_PROTOCOL=SASL_SSL" "FJC_KAFKA_SSL_CA_FILE=$KAFKA_TLS_DIR/ca.pem" \
    "FJC_KAFKA_SASL_MECHANISM=scram-sha-512" "FJC_KAFKA_SASL_USERNAME=fjc" \
    "FJC_KAFKA_SASL_PASSWORD_FILE=$KAFKA_TLS_DIR/fjc.password"
}
