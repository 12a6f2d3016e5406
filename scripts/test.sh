#!/usr/bin/env bash
# The test command: sets everything up and runs the whole suite on real PostgreSQL and Redis.
#   bash scripts/test.sh [pytest arguments]
# Creates .venv, installs the dev requirements, starts throwaway PostgreSQL and Redis
# (installing the Debian packages when missing and run as root), then runs ruff, the
# import-linter contracts, `makemigrations --check` and pytest (in parallel).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source scripts/services.sh

ensure_venv requirements-dev.txt
compile_translations
# Extra setup steps of the modules (an OIDC provider, a browser, ...), in name order.
for step in scripts/setup.d/*.sh; do [ -e "$step" ] && source "$step"; done
start_services
export DJANGO_SETTINGS_MODULE=hokwe.settings.test

log "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
log "import-linter"
.venv/bin/lint-imports --no-cache
log "makemigrations --check"
.venv/bin/python manage.py makemigrations --check --dry-run
log "pytest"
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadgroup "$@"
