# shellcheck shell=bash
# The identity tests start a real OpenID Provider (panva/oidc-provider on Node) on
# loopback: install it from devtools/oidc/package-lock.json. Sourced by scripts/test.sh.
OIDC_DIR=devtools/oidc
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install nodejs npm
fi
lock_stamp="$OIDC_DIR/node_modules/.installed-$(sha256sum "$OIDC_DIR/package-lock.json" | cut -c1-16)"
if [ ! -f "$lock_stamp" ]; then
  log "npm ci (devtools/oidc: test OpenID Provider)"
  (cd "$OIDC_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  touch "$lock_stamp"
fi
