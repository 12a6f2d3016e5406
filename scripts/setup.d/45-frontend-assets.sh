# Front-end assets of the manager pages come from npm (package.json, package-lock.json):
# installed with `npm ci` and copied into static/vendor/ (ignored by git, never hand-copied).
# shellcheck shell=bash
ensure_frontend_assets() {
  local target=static/vendor/htmx.min.js source=node_modules/htmx.org/dist/htmx.min.js
  if [ ! -f "$source" ] || [ package-lock.json -nt "$source" ]; then
    command -v npm >/dev/null || { is_root && apt_install nodejs npm; }
    command -v npm >/dev/null || die "npm is needed for the front-end assets (apt-get install npm)"
    log "npm ci (front-end assets)"
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null
  fi
  mkdir -p static/vendor
  cmp -s "$source" "$target" || cp "$source" "$target"
}
ensure_frontend_assets
