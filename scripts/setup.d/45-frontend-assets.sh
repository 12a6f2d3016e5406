# Front-end assets of the pages come from npm (package.json, package-lock.json, exact
# versions): installed with `npm ci` and copied into static/vendor/ (ignored by git, never
# hand-copied). htmx for the manager pages; Leaflet for the market's maps (its marker
# images next to it, and its source map, which the manifest static storage follows); GraphiQL 3 (its UMD build) with React 18 for
# /graphql, served from our own origin under the page CSP (templates/graphene/graphiql.html).
# shellcheck shell=bash
FRONTEND_ASSETS=(
  "node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js"
  "node_modules/leaflet/dist/leaflet.js static/vendor/leaflet/leaflet.js"
  "node_modules/leaflet/dist/leaflet.js.map static/vendor/leaflet/leaflet.js.map"
  "node_modules/leaflet/dist/leaflet.css static/vendor/leaflet/leaflet.css"
  "node_modules/leaflet/dist/images/marker-icon.png static/vendor/leaflet/images/marker-icon.png"
  "node_modules/leaflet/dist/images/marker-icon-2x.png static/vendor/leaflet/images/marker-icon-2x.png"
  "node_modules/leaflet/dist/images/marker-shadow.png static/vendor/leaflet/images/marker-shadow.png"
  "node_modules/leaflet/dist/images/layers.png static/vendor/leaflet/images/layers.png"
  "node_modules/leaflet/dist/images/layers-2x.png static/vendor/leaflet/images/layers-2x.png"
  "node_modules/react/umd/react.production.min.js static/vendor/graphiql/react.production.min.js"
  "node_modules/react-dom/umd/react-dom.production.min.js static/vendor/graphiql/react-dom.production.min.js"
  "node_modules/graphiql/graphiql.min.js static/vendor/graphiql/graphiql.min.js"
  "node_modules/graphiql/graphiql.min.css static/vendor/graphiql/graphiql.min.css"
)

ensure_frontend_assets() {
  local entry source target stale=
  for entry in "${FRONTEND_ASSETS[@]}"; do
    source=${entry%% *}
    if [ ! -f "$source" ] || [ package-lock.json -nt "$source" ]; then stale=1; fi
  done
  if [ -n "$stale" ]; then
    command -v npm >/dev/null || { is_root && apt_install nodejs npm; }
    command -v npm >/dev/null || die "npm is needed for the front-end assets (apt-get install npm)"
    log "npm ci (front-end assets)"
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null
  fi
  for entry in "${FRONTEND_ASSETS[@]}"; do
    source=${entry%% *}
    target=${entry#* }
    [ -f "$source" ] || die "missing $source after npm ci (package.json)"
    mkdir -p "$(dirname "$target")"
    cmp -s "$source" "$target" || cp "$source" "$target"
  done
}
ensure_frontend_assets
