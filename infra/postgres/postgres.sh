# PostgreSQL for the local stack. Uses DATABASE_URL when its server answers; otherwise starts a
# private cluster from the machine's PostgreSQL binaries in the stack's data folder.
# Either way the database named in the URL is created when missing.
# PG_SECURITY=tls: always a private cluster that takes TLS only, scram-sha-256 for the services'
# roles and a client certificate for the owner (infra/postgres/secure.sh).

PG_DEFAULT_URL="postgres://postgres@127.0.0.1:5432/fjc"
PG_PRIVATE_PORT="${FJC_PG_PORT:-5432}"
PG_PRIVATE_DIR="$FJC_DATA_DIR/postgres"
# As root the cluster runs as the postgres user, who must be able to reach its folder; a checkout
# in a private folder (mktemp -d, a home directory) is not reachable, so the cluster then lives
# under /var/tmp, in a folder named after the stack's own.
if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$FJC_DATA_DIR" 2>/dev/null; then
  PG_PRIVATE_DIR="/var/tmp/fjc-postgres-$(printf '%s' "$FJC_DATA_DIR" | sha256sum | cut -c1-16)"
fi

pg_bin_dir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$d" ] && [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

# The URL of the same server's maintenance database, for CREATE DATABASE (parameters kept: the
# query may name files, whose paths have slashes).
pg_admin_url() { local base="${1%%\?*}"; echo "${base%/*}/postgres${1#"$base"}"; }
pg_db_name() { local base="${1%%\?*}"; echo "${base##*/}"; }

pg_reachable() { psql "$(pg_admin_url "$1")" -XAtqc 'select 1' >/dev/null 2>&1; }

pg_ensure_database() {
  local url="$1" db
  db="$(pg_db_name "$url")"
  if ! psql "$(pg_admin_url "$url")" -XAtqc "select 1 from pg_database where datname = '$db'" | grep -q 1; then
    log postgres "creating database $db"
    psql "$(pg_admin_url "$url")" -Xqc "create database \"$db\"" >/dev/null
  fi
}

PG_SECURITY="${PG_SECURITY:-plain}"
case "$PG_SECURITY" in
  plain | tls) ;;
  *) die postgres "PG_SECURITY=$PG_SECURITY is not supported (plain or tls)" ;;
esac
# shellcheck source=secure.sh
source "$(dirname "${BASH_SOURCE[0]}")/secure.sh"

postgres_url() {
  if [ "$PG_SECURITY" = tls ]; then pg_tls_url; return; fi
  if [ -n "${DATABASE_URL:-}" ]; then echo "$DATABASE_URL"
  elif [ -f "$FJC_RUN_DIR/postgres.url" ]; then cat "$FJC_RUN_DIR/postgres.url"
  else echo "$PG_DEFAULT_URL"; fi
}

postgres_up() {
  command -v psql >/dev/null 2>&1 || die postgres "psql not found: install the PostgreSQL client (Debian package postgresql-client)"
  if [ "$PG_SECURITY" = tls ]; then pg_tls_up; return; fi
  local url; url="$(postgres_url)"
  if pg_reachable "$url"; then
    log postgres "using the server of $(echo "$url" | sed -E 's#://[^@]*@#://#')"
    echo "$url" > "$FJC_RUN_DIR/postgres.url"
    pg_ensure_database "$url"
    return 0
  fi
  log postgres "no server answers at the configured URL; starting a private cluster on port $PG_PRIVATE_PORT"
  local bin; bin="$(pg_bin_dir)" || die postgres "no PostgreSQL server binaries (initdb, postgres) found; install the Debian package postgresql or set DATABASE_URL"
  if [ ! -f "$PG_PRIVATE_DIR/PG_VERSION" ]; then
    log postgres "initialising $PG_PRIVATE_DIR"
    local owner_args=()
    # initdb refuses to run as root: the cluster then belongs to the postgres system user.
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || die postgres "running as root needs a 'postgres' system user for a private cluster"
      mkdir -p "$PG_PRIVATE_DIR" && chown postgres "$PG_PRIVATE_DIR"
      owner_args=(runuser -u postgres --)
    fi
    "${owner_args[@]}" "$bin/initdb" -D "$PG_PRIVATE_DIR" -U postgres --auth=trust -E UTF8 >>"$FJC_LOG_DIR/postgres.log" 2>&1 \
      || die postgres "initdb failed; see $FJC_LOG_DIR/postgres.log"
  fi
  local run_as=()
  [ "$(id -u)" = 0 ] && run_as=(runuser -u postgres --)
  touch "$FJC_LOG_DIR/postgres.log" && chmod 666 "$FJC_LOG_DIR/postgres.log"
  mkdir -p "$PG_PRIVATE_DIR/socket" && { [ "$(id -u)" != 0 ] || chown postgres "$PG_PRIVATE_DIR/socket"; }
  start_bg postgres "${run_as[@]}" "$bin/postgres" -D "$PG_PRIVATE_DIR" -p "$PG_PRIVATE_PORT" \
    -c listen_addresses="$FJC_BIND" -c unix_socket_directories="$PG_PRIVATE_DIR/socket" -c max_connections=200
  echo "$PG_PRIVATE_DIR" > "$FJC_RUN_DIR/postgres.datadir"
  url="postgres://postgres@$FJC_BIND:$PG_PRIVATE_PORT/fjc"
  WAIT_PID_NAME=postgres wait_for postgres 60 pg_reachable "$url" || die postgres "private cluster did not start"
  echo "$url" > "$FJC_RUN_DIR/postgres.url"
  pg_ensure_database "$url"
  log postgres "private cluster ready on $FJC_BIND:$PG_PRIVATE_PORT"
}

postgres_down() {
  if [ "$PG_SECURITY" = tls ]; then pg_tls_down; else stop_pid postgres 30; fi
}

postgres_status() {
  local url; url="$(postgres_url)"
  if pid_alive postgres; then echo "postgres: running (private cluster, pid $(cat "$(pid_file postgres)"), $url)"
  elif pg_reachable "$url"; then echo "postgres: reachable (external server, $url)"
  else echo "postgres: stopped"; fi
}

postgres_env() {
  if [ "$PG_SECURITY" = tls ]; then
    # Quoted: the URL's parameters are joined by '&', and stack.env is sourced by shells.
    echo "DATABASE_URL='$(postgres_url)'"
    pg_tls_env
  else
    echo "DATABASE_URL=$(postgres_url)"
  fi
}
