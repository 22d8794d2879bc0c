# PostgreSQL over TLS only for the local stack (PG_SECURITY=tls), sourced by postgres.sh.
# Always a private cluster (the machine's server is never used or touched), on FJC_PG_PORT, in a
# data folder of its own. ssl=on with a server certificate for 127.0.0.1/localhost signed by a CA
# made here (openssl, once per data folder); password_encryption=scram-sha-256; pg_hba.conf has
# only hostssl lines (no Unix socket, no plain TCP):
#   postgres (the owner: the stack, the migration step, the tests' worlds)  client certificate (CN=postgres)
#   members of the role fjc_cert_login                                     client certificate (CN=the role)
#   every other role (the services' roles)                                  scram-sha-256
# $PG_TLS_DIR holds ca.pem (clients' sslrootcert), owner.crt/owner.key (the owner's client
# certificate) and passwords/<service> (FJC_PG_PASSWORD_DIR: the services' passwords, mode 0600,
# never printed; the migration step stores them as SCRAM verifiers).

PG_TLS_DIR="$FJC_DATA_DIR/postgres-tls"
PG_TLS_SERVICES=(spec-service reconciler scheduler deployer)
PG_TLS_MARK="fjc-tls-initialised"

pg_tls_url() {
  echo "postgres://postgres@$FJC_BIND:$PG_PRIVATE_PORT/fjc?sslmode=verify-full&sslrootcert=$PG_TLS_DIR/ca.pem&sslcert=$PG_TLS_DIR/owner.crt&sslkey=$PG_TLS_DIR/owner.key"
}

_pg_tls_make_material() {
  command -v openssl >/dev/null || die postgres "openssl not found (needed for PG_SECURITY=tls)"
  mkdir -p "$PG_TLS_DIR/passwords" && chmod 700 "$PG_TLS_DIR" "$PG_TLS_DIR/passwords"
  local s
  for s in "${PG_TLS_SERVICES[@]}"; do
    [ -s "$PG_TLS_DIR/passwords/$s" ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '+/=\n' >"$PG_TLS_DIR/passwords/$s")
  done
  [ -s "$PG_TLS_DIR/owner.key" ] && [ -s "$PG_TLS_DIR/server.key" ] && return 0
  log postgres "making a CA, the server's certificate and the owner's client certificate in $PG_TLS_DIR"
  (
    cd "$PG_TLS_DIR" && umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=FJC local PostgreSQL CA" -keyout ca.key -out ca.pem
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key.tmp -out server.csr
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -extfile server.ext -out server.crt
    openssl req -newkey rsa:2048 -nodes -subj "/CN=postgres" -keyout owner.key.tmp -out owner.csr
    printf 'extendedKeyUsage=clientAuth\n' >owner.ext
    openssl x509 -req -in owner.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -extfile owner.ext -out owner.crt
    rm -f server.csr server.ext owner.csr owner.ext
    # The keys last: their presence says the material is complete.
    mv owner.key.tmp owner.key && mv server.key.tmp server.key
    chmod 644 ca.pem
  ) >>"$FJC_LOG_DIR/postgres.log" 2>&1 || die postgres "making the TLS material failed; see $FJC_LOG_DIR/postgres.log"
}

# The server's files in its data folder (it must own its key), and its only access rules.
_pg_tls_install() {
  local d="$PG_PRIVATE_DIR" owner=() s
  [ "$(id -u)" = 0 ] && owner=(runuser -u postgres --)
  for s in server.crt server.key ca.pem; do
    cat "$PG_TLS_DIR/$s" | "${owner[@]}" tee "$d/$s" >/dev/null
  done
  "${owner[@]}" chmod 600 "$d/server.key"
  "${owner[@]}" tee "$d/pg_hba.conf" >/dev/null <<'EOF'
# Written by infra/postgres/secure.sh: TLS only; the owner by client certificate, every other
# role by SCRAM-SHA-256. No Unix socket, no plain TCP.
hostssl all postgres 127.0.0.1/32 cert
hostssl all postgres ::1/128      cert
# Members of fjc_cert_login (a role the stack makes) log in by certificate (CN = the role).
hostssl all +fjc_cert_login 127.0.0.1/32 cert
hostssl all +fjc_cert_login ::1/128      cert
hostssl all all      127.0.0.1/32 scram-sha-256
hostssl all all      ::1/128      scram-sha-256
EOF
}

# The postmaster of this data folder, from its own lock file, when it runs (the pid file of
# start_bg may name the runuser wrapper, which a kill can leave dead while the server lives on).
_pg_tls_postmaster() {
  local pid
  pid="$(head -n 1 "$PG_PRIVATE_DIR/postmaster.pid" 2>/dev/null)" || return 1
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  # Not a reused pid: the process is a postgres of this folder.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-D $PG_PRIVATE_DIR " || return 1
  echo "$pid"
}

# Fast shutdown (SIGINT: sessions are ended), then SIGKILL after 30 s.
pg_tls_down() {
  local pid i
  if pid="$(_pg_tls_postmaster)"; then
    log postgres "stopping the TLS cluster (postmaster pid $pid)"
    kill -INT "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { log postgres "pid $pid ignored SIGINT; killing"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  stop_pid postgres 5
}

# The group whose members log in by client certificate (pg_hba.conf above).
_pg_tls_cert_group() {
  psql "$(pg_admin_url "$1")" -Xqc "do \$\$ begin create role fjc_cert_login nologin; exception when duplicate_object then null; end \$\$" >/dev/null \
    || die postgres "could not make the role fjc_cert_login"
}

pg_tls_up() {
  local bin run_as=() pid
  bin="$(pg_bin_dir)" || die postgres "no PostgreSQL server binaries (initdb, postgres) found; install the Debian package postgresql"
  [ "$(id -u)" = 0 ] && run_as=(runuser -u postgres --)
  _pg_tls_make_material
  local url; url="$(pg_tls_url)"
  if pid="$(_pg_tls_postmaster)"; then
    # A cluster of this stack left running (FJC_KEEP_STACK=1, or a killed run): use it when it answers.
    if pg_reachable "$url"; then
      log postgres "TLS cluster already running (pid $pid)"
      echo "$pid" >"$(pid_file postgres)"
      echo "$url" >"$FJC_RUN_DIR/postgres.url"; pg_ensure_database "$url"; _pg_tls_cert_group "$url"; return 0
    fi
    pg_tls_down
  fi
  port_open "$PG_PRIVATE_PORT" && die postgres "port $PG_PRIVATE_PORT is taken by a process this stack did not start; set FJC_PG_PORT"
  # A folder a killed initdb left half made is made again.
  if [ ! -f "$PG_PRIVATE_DIR/$PG_TLS_MARK" ]; then
    log postgres "initialising $PG_PRIVATE_DIR (TLS only, scram-sha-256)"
    rm -rf "$PG_PRIVATE_DIR" && mkdir -p "$PG_PRIVATE_DIR" && chmod 700 "$PG_PRIVATE_DIR"
    [ "$(id -u)" = 0 ] && { id postgres >/dev/null 2>&1 || die postgres "running as root needs a 'postgres' system user for a private cluster"; chown postgres "$PG_PRIVATE_DIR"; }
    # trust only until _pg_tls_install replaces pg_hba.conf, before the first start.
    "${run_as[@]}" "$bin/initdb" -D "$PG_PRIVATE_DIR" -U postgres --auth=trust -E UTF8 >>"$FJC_LOG_DIR/postgres.log" 2>&1 \
      || die postgres "initdb failed; see $FJC_LOG_DIR/postgres.log"
    "${run_as[@]}" touch "$PG_PRIVATE_DIR/$PG_TLS_MARK"
  fi
  _pg_tls_install
  touch "$FJC_LOG_DIR/postgres.log" && chmod 666 "$FJC_LOG_DIR/postgres.log"
  log postgres "starting a private TLS-only cluster on port $PG_PRIVATE_PORT"
  start_bg postgres "${run_as[@]}" "$bin/postgres" -D "$PG_PRIVATE_DIR" -p "$PG_PRIVATE_PORT" \
    -c listen_addresses="$FJC_BIND" -c unix_socket_directories='' -c max_connections=200 \
    -c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key -c ssl_ca_file=ca.pem \
    -c password_encryption=scram-sha-256 -c log_connections=off
  echo "$PG_PRIVATE_DIR" >"$FJC_RUN_DIR/postgres.datadir"
  WAIT_PID_NAME=postgres wait_for postgres 60 pg_reachable "$url" || die postgres "private TLS cluster did not start"
  pid="$(_pg_tls_postmaster)" && echo "$pid" >"$(pid_file postgres)"
  echo "$url" >"$FJC_RUN_DIR/postgres.url"
  pg_ensure_database "$url"
  _pg_tls_cert_group "$url"
  log postgres "private TLS cluster ready on $FJC_BIND:$PG_PRIVATE_PORT (verify-full, owner by certificate, roles by scram-sha-256)"
}

pg_tls_env() {
  printf '%s\n' "PG_SECURITY=tls" "FJC_PG_PASSWORD_DIR=$PG_TLS_DIR/passwords"
}
