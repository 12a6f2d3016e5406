# ClamAV for the upload tests (tests/core/test_antivirus.py): Debian's clamav-daemon, installed
# when missing (as root), and a throwaway clamd started with the other services
# (scripts/services.sh runs SERVICE_START_HOOKS / SERVICE_STOP_HOOKS). Its database is ONE
# file of our own, the EICAR test signature (an MD5 hash signature, test.hdb): the official
# databases are not downloaded (no freshclam, no network), clamd loads it in well under a
# second, and it reports the EICAR string as "Eicar-Test-Signature.UNOFFICIAL FOUND".
# Exports CLAMD_URL=tcp://127.0.0.1:<free port> for pytest.
# shellcheck shell=bash

if ! command -v clamd >/dev/null; then
  if is_root && command -v apt-get >/dev/null; then
    apt_install clamav-daemon
  else
    die "clamd is missing and we are not root: apt-get install clamav-daemon (the antivirus tests need it)"
  fi
fi

# eicar_clamd_config DIR PORT: a clamd.conf in DIR (database in DIR/db) listening on 127.0.0.1:PORT.
eicar_clamd_config() {
  local dir="$1" port="$2"
  mkdir -p "$dir/db"
  # MD5:size:name of the 68-byte EICAR test file
  printf '44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n' >"$dir/db/test.hdb"
  cat >"$dir/clamd.conf" <<EOF
DatabaseDirectory $dir/db
TCPSocket $port
TCPAddr 127.0.0.1
Foreground yes
PidFile $dir/clamd.pid
LogFile $dir/clamd.log
LogTime yes
StreamMaxLength 1M
MaxThreads 4
SelfCheck 3600
EOF
}

# wait_for_clamd PORT PID: PONG within 30 s, or fail.
wait_for_clamd() {
  local port="$1" pid="$2"
  for _ in $(seq 1 300); do
    if .venv/bin/python - "$port" <<'PY' 2>/dev/null; then return 0; fi
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1) as s:
    s.sendall(b"zPING\0")
    sys.exit(0 if s.recv(16).startswith(b"PONG") else 1)
PY
    kill -0 "$pid" 2>/dev/null || return 1
    .venv/bin/python -c 'import time; time.sleep(0.1)'
  done
  return 1
}

CLAMD_DIR=""
CLAMD_PID=""

start_clamd() {
  local port
  CLAMD_DIR="$SERVICES_DIR/clamd"
  port=$(free_port)
  eicar_clamd_config "$CLAMD_DIR" "$port"
  log "ClamAV ($(command -v clamd), EICAR signature only) on 127.0.0.1:$port"
  clamd --config-file="$CLAMD_DIR/clamd.conf" >"$CLAMD_DIR/stdout.log" 2>&1 &
  CLAMD_PID=$!
  wait_for_clamd "$port" "$CLAMD_PID" || { cat "$CLAMD_DIR/clamd.log" "$CLAMD_DIR/stdout.log" >&2 2>/dev/null; die "clamd did not start"; }
  export CLAMD_URL="tcp://127.0.0.1:$port"
}

stop_clamd() {
  [ -n "$CLAMD_PID" ] || return 0
  kill "$CLAMD_PID" 2>/dev/null || true
  wait "$CLAMD_PID" 2>/dev/null || true
  CLAMD_PID=""
}

SERVICE_START_HOOKS+=(start_clamd)
SERVICE_STOP_HOOKS+=(stop_clamd)
