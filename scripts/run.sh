#!/usr/bin/env bash
# The run command: sets everything up and runs the app on the embedded default
# (SQLite, in-process tasks, console SMS/e-mail, sandbox payments), with demo data.
#   bash scripts/run.sh            # http://127.0.0.1:8000
#   HOST=0.0.0.0 PORT=8080 bash scripts/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

export DJANGO_SETTINGS_MODULE=hokwe.settings.dev
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# Links in the console SMS (pay links, receipts) point at this local server.
export PAYMENT_PUBLIC_BASE_URL=${PAYMENT_PUBLIC_BASE_URL:-http://$HOST:$PORT}

ensure_venv requirements.txt
compile_translations
# The pages' front-end assets (htmx from npm) and Pango for WeasyPrint's PDFs.
source scripts/setup.d/40-weasyprint.sh
source scripts/setup.d/45-frontend-assets.sh
log "migrate"
.venv/bin/python manage.py migrate --no-input -v0
log "demo data"
.venv/bin/python manage.py seed_demo

base="http://$HOST:$PORT"
cat <<MSG

Hokwe is running on the embedded default (SQLite, in-process tasks, console SMS/e-mail,
SANDBOX payments). Open:
  Property managers   $base/manager/
  Tenants             $base/pay/   (log in with the SMS code printed in this console)
  Back-office (staff) $base/admin/
  REST API docs       $base/api/docs/
  OpenAPI schema      $base/api/schema/
  GraphQL (GraphiQL)  $base/graphql
  Readiness           $base/readyz
Log in with a demo phone number and password listed above.

MSG
exec .venv/bin/python manage.py runserver "$HOST:$PORT"
