# Flink REST over mutual TLS for the local stack (FLINK_REST_SECURITY=mtls), sourced by flink.sh.
# A CA made here (openssl, once per data folder) signs the JobManager's REST certificate and one
# client certificate for FJC; the JobManager takes only clients with a certificate of that CA
# (security.ssl.rest.authentication-enabled). Its key store and trust store are PKCS#12 files
# made with openssl and the JDK's keytool, with a random password in $FLINK_TLS_DIR/store.password
# (mode 0600, never printed). For FJC the stack writes $FLINK_TLS_DIR/clusters.yaml (the
# FJC_CLUSTERS_FILE form) naming the CA and the client certificate and key.

_FLINK_CURL_TLS=()
if [ "$FLINK_REST_SECURITY" = mtls ]; then
  _FLINK_CURL_TLS=(--cacert "$FLINK_TLS_DIR/ca.pem" --cert "$FLINK_TLS_DIR/client.crt" --key "$FLINK_TLS_DIR/client.key")
fi

# curl to the REST API, with the CA and client certificate when it takes only mutual TLS.
flink_curl() { curl "${_FLINK_CURL_TLS[@]}" "$@"; }

_flink_store_password() { cat "$FLINK_TLS_DIR/store.password"; }

_flink_make_tls() {
  [ "$FLINK_REST_SECURITY" = mtls ] || return 0
  [ -s "$FLINK_TLS_DIR/rest.truststore.p12" ] && return 0
  command -v openssl >/dev/null || { log flink "ERROR: openssl not found (needed for FLINK_REST_SECURITY=mtls)"; return 1; }
  command -v keytool >/dev/null || { log flink "ERROR: keytool (JDK) not found (needed for FLINK_REST_SECURITY=mtls)"; return 1; }
  mkdir -p "$FLINK_TLS_DIR" && chmod 700 "$FLINK_TLS_DIR"
  log flink "making a CA, the REST certificate and FJC's client certificate in $FLINK_TLS_DIR"
  (
    cd "$FLINK_TLS_DIR" && umask 077
    head -c 24 /dev/urandom | base64 | tr -d '+/=\n' >store.password
    pw="$(cat store.password)"
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=FJC local Flink CA" -keyout ca.key -out ca.pem
    openssl req -newkey rsa:2048 -nodes -subj "/CN=fjc-flink-rest" -keyout rest.key -out rest.csr
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >rest.ext
    openssl x509 -req -in rest.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -extfile rest.ext -out rest.crt
    openssl pkcs12 -export -in rest.crt -certfile ca.pem -inkey rest.key -name rest -passout "pass:$pw" -out rest.keystore.p12
    openssl req -newkey rsa:2048 -nodes -subj "/CN=fjc" -keyout client.key -out client.csr
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -extfile client.ext -out client.crt
    # The JobManager trusts client certificates of this CA only.
    keytool -importcert -noprompt -alias fjc-ca -file ca.pem -storetype PKCS12 -keystore rest.truststore.p12.tmp -storepass "$pw"
    mv rest.truststore.p12.tmp rest.truststore.p12
    rm -f rest.csr client.csr rest.ext client.ext
    chmod 644 ca.pem
  ) >>"$FJC_LOG_DIR/flink-tls.log" 2>&1 || { log flink "ERROR: making the TLS material failed; see $FJC_LOG_DIR/flink-tls.log"; return 1; }
}

# The REST part of config.yaml (the file is mode 0600: it holds the store password).
_flink_ssl_config() {
  [ "$FLINK_REST_SECURITY" = mtls ] || return 0
  local pw
  pw="$(_flink_store_password)"
  printf '%s\n' "# REST over mutual TLS (FLINK_REST_SECURITY=mtls)" \
    "security.ssl.rest.enabled: true" \
    "security.ssl.rest.authentication-enabled: true" \
    "security.ssl.rest.keystore: \"$FLINK_TLS_DIR/rest.keystore.p12\"" \
    "security.ssl.rest.keystore-password: \"$pw\"" \
    "security.ssl.rest.key-password: \"$pw\"" \
    "security.ssl.rest.truststore: \"$FLINK_TLS_DIR/rest.truststore.p12\"" \
    "security.ssl.rest.truststore-password: \"$pw\""
}

# Client settings for FJC and the tests: the material, and the cluster file that names it.
_flink_client_env() {
  [ "$FLINK_REST_SECURITY" = mtls ] || return 0
  cat >"$FLINK_TLS_DIR/clusters.yaml" <<EOF
# Written by infra/flink/secure.sh: the local cluster over mutual TLS (FJC_CLUSTERS_FILE).
clusters:
  default:
    url: $(flink_rest_url)
    tls:
      ca_file: $FLINK_TLS_DIR/ca.pem
      cert_file: $FLINK_TLS_DIR/client.crt
      key_file: $FLINK_TLS_DIR/client.key
EOF
  printf '%s\n' "FLINK_REST_SECURITY=mtls" "FLINK_REST_CA_FILE=$FLINK_TLS_DIR/ca.pem" \
    "FLINK_REST_CERT_FILE=$FLINK_TLS_DIR/client.crt" "FLINK_REST_KEY_FILE=$FLINK_TLS_DIR/client.key" \
    "FJC_CLUSTERS_FILE=$FLINK_TLS_DIR/clusters.yaml"
}
