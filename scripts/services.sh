# Throwaway PostgreSQL and Redis for the test command (sourced by scripts/test.sh).
# Uses the installed servers; installs the Debian packages when missing and running as root.
# Exports DATABASE_URL and REDIS_URL; everything is removed on exit.
# shellcheck shell=bash

free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The newest directory holding the PostgreSQL server programs (Debian keeps them off PATH).
pg_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -Vr) "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
      echo "$dir"; return
    fi
  done
}

pg_client() {  # psql from the server's directory, else from PATH
  if [ -x "$(pg_bindir)/psql" ]; then echo "$(pg_bindir)/psql"; else command -v psql; fi
}

ensure_service_binaries() {
  if [ -z "$(pg_bindir)" ]; then apt_install postgresql postgresql-contrib; fi
  if ! command -v redis-server >/dev/null; then apt_install redis-server; fi
}

SERVICES_DIR=""
PG_USER=""
# More services from scripts/setup.d/*.sh (sourced after start_services): function names that
# start_service_hooks runs once the steps are sourced, and stop_services runs before
# SERVICES_DIR is removed (clamd: 35-clamav.sh).
SERVICE_START_HOOKS=()
SERVICE_STOP_HOOKS=()
as_pg() { if [ -n "$PG_USER" ]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi; }

stop_services() {
  [ -n "$SERVICES_DIR" ] || return 0
  local hook
  for hook in "${SERVICE_STOP_HOOKS[@]}"; do "$hook" || true; done
  if [ -f "$SERVICES_DIR/redis.pid" ]; then kill "$(cat "$SERVICES_DIR/redis.pid")" 2>/dev/null || true; fi
  if [ -d "$SERVICES_DIR/pg" ]; then as_pg "$(pg_bindir)/pg_ctl" -D "$SERVICES_DIR/pg" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$SERVICES_DIR"
}

start_services() {
  ensure_service_binaries
  local bindir pg_port redis_port
  bindir=$(pg_bindir)
  SERVICES_DIR=$(mktemp -d /tmp/hokwe-test-XXXXXX)
  chmod 755 "$SERVICES_DIR"
  trap stop_services EXIT
  if is_root; then
    PG_USER=postgres
    id -u "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home "$PG_USER"
  fi
  mkdir -p "$SERVICES_DIR/pg" "$SERVICES_DIR/run"
  [ -z "$PG_USER" ] || chown "$PG_USER" "$SERVICES_DIR/pg" "$SERVICES_DIR/run"

  pg_port=$(free_port)
  log "PostgreSQL ($bindir) on 127.0.0.1:$pg_port"
  as_pg "$bindir/initdb" -D "$SERVICES_DIR/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  as_pg "$bindir/pg_ctl" -D "$SERVICES_DIR/pg" -l "$SERVICES_DIR/run/pg.log" -w -o \
    "-p $pg_port -k $SERVICES_DIR/run -c listen_addresses=127.0.0.1 -c max_connections=300 \
     -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB" start >/dev/null \
    || { cat "$SERVICES_DIR/run/pg.log" >&2; die "PostgreSQL did not start"; }
  "$(pg_client)" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE hokwe" >/dev/null

  redis_port=$(free_port)
  log "Redis ($(command -v redis-server)) on 127.0.0.1:$redis_port"
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --dir "$SERVICES_DIR" --pidfile "$SERVICES_DIR/redis.pid" --logfile "$SERVICES_DIR/redis.log" --databases 32
  for _ in $(seq 1 50); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
    .venv/bin/python -c 'import time; time.sleep(0.1)'
  done
  redis-cli -p "$redis_port" ping >/dev/null || die "Redis did not start"

  export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/hokwe"
  export REDIS_URL="redis://127.0.0.1:$redis_port/0"
  export PG_BINDIR="$bindir"
}

start_service_hooks() {
  local hook
  for hook in "${SERVICE_START_HOOKS[@]}"; do "$hook"; done
}
