# PgBouncer for the transaction-pooling test (tests/core/test_pgbouncer.py; docs/operations.md,
# "Connection pooling and read replicas"): Debian's pgbouncer, installed when missing (as root),
# started with the other services (scripts/services.sh runs SERVICE_START_HOOKS) in front of the
# tests' PostgreSQL, in transaction mode with ONE server connection per database: every client
# shares it, so session state one client leaves behind is what the next one finds — the hazard
# the test looks for. Debian 12 ships PgBouncer 1.18, which does not track prepared statements
# (deploy/ runs >= 1.21 with max_prepared_statements): the test runs the app with
# DB_PREPARED_STATEMENTS=false. Exports PGBOUNCER_URL=postgres://postgres@127.0.0.1:<port>.
# shellcheck shell=bash

pgbouncer_bin() { command -v pgbouncer || echo /usr/sbin/pgbouncer; }

if [ ! -x "$(pgbouncer_bin)" ]; then
  if is_root && command -v apt-get >/dev/null; then
    apt_install pgbouncer
  else
    die "pgbouncer is missing and we are not root: apt-get install pgbouncer (the pooling test needs it)"
  fi
fi

PGBOUNCER_DIR=""

start_pgbouncer() {
  local port pg_port
  PGBOUNCER_DIR="$SERVICES_DIR/pgbouncer"
  mkdir -p "$PGBOUNCER_DIR"
  port=$(free_port)
  pg_port=$(.venv/bin/python -c 'import os, urllib.parse as u; print(u.urlsplit(os.environ["DATABASE_URL"]).port)')
  printf '"postgres" ""\n' >"$PGBOUNCER_DIR/userlist.txt"
  cat >"$PGBOUNCER_DIR/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$pg_port user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $PGBOUNCER_DIR/userlist.txt
pool_mode = transaction
default_pool_size = 1
max_client_conn = 50
ignore_startup_parameters = extra_float_digits,options
logfile = $PGBOUNCER_DIR/pgbouncer.log
pidfile = $PGBOUNCER_DIR/pgbouncer.pid
INI
  [ -z "$PG_USER" ] || chown -R "$PG_USER" "$PGBOUNCER_DIR"
  log "PgBouncer ($("$(pgbouncer_bin)" --version | head -1), transaction mode, 1 server connection) on 127.0.0.1:$port"
  as_pg "$(pgbouncer_bin)" -d -q "$PGBOUNCER_DIR/pgbouncer.ini" || { cat "$PGBOUNCER_DIR/pgbouncer.log" >&2 2>/dev/null; die "PgBouncer did not start"; }
  for _ in $(seq 1 100); do
    "$(pg_client)" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "SELECT 1" >/dev/null 2>&1 && break
    .venv/bin/python -c 'import time; time.sleep(0.1)'
  done
  "$(pg_client)" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "SELECT 1" >/dev/null \
    || { cat "$PGBOUNCER_DIR/pgbouncer.log" >&2 2>/dev/null; die "PgBouncer does not answer"; }
  export PGBOUNCER_URL="postgres://postgres@127.0.0.1:$port"
}

stop_pgbouncer() {
  [ -n "$PGBOUNCER_DIR" ] && [ -f "$PGBOUNCER_DIR/pgbouncer.pid" ] || return 0
  kill "$(cat "$PGBOUNCER_DIR/pgbouncer.pid")" 2>/dev/null || true
  PGBOUNCER_DIR=""
}

SERVICE_START_HOOKS+=(start_pgbouncer)
SERVICE_STOP_HOOKS+=(stop_pgbouncer)
