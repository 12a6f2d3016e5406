# The generated TypeScript client check (tests/core/test_typescript_client.py): openapi-typescript,
# openapi-fetch and tsc from clients/typescript/package-lock.json. Sourced by scripts/test.sh.
# shellcheck shell=bash
TS_CLIENT_DIR=clients/typescript
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install nodejs npm
fi
ts_stamp="$TS_CLIENT_DIR/node_modules/.installed-$(sha256sum "$TS_CLIENT_DIR/package-lock.json" | cut -c1-16)"
if [ ! -f "$ts_stamp" ]; then
  log "npm ci (clients/typescript: openapi-typescript, tsc)"
  (cd "$TS_CLIENT_DIR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
  touch "$ts_stamp"
fi
