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
start_services
export DJANGO_SETTINGS_MODULE=hokwe.settings.test

# The tests' migrated template database (tests/fixtures/database.py) is built in the background
# from here on, while the modules' setup steps and the static checks run: its two minutes are
# the longest step before pytest, and no test starts before it is done.
template_log=$(mktemp)
.venv/bin/python -m tests.fixtures.database >"$template_log" 2>&1 &
template_pid=$!

compile_translations
# Extra setup steps of the modules (an OIDC provider, a browser, ...), in name order; the
# services they add (PgBouncer, ClamAV) start after them.
for step in scripts/setup.d/*.sh; do [ -e "$step" ] && source "$step"; done
start_service_hooks

log "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
log "import-linter"
.venv/bin/lint-imports --no-cache
log "module boundaries the linter cannot see (get_model, import_module) and the module shape"
.venv/bin/python devtools/lint_dynamic_imports.py
.venv/bin/python devtools/module_shape.py
log "makemigrations --check"
.venv/bin/python manage.py makemigrations --check --dry-run

# --- security checks (issue 9, docs/security.md; `check --deploy` in prod settings is the ----
# --- test tests/core/test_settings_profiles.py) ----------------------------------------------
log "security: bandit over apps/ (high severity fails)"
.venv/bin/bandit -q -r apps --exclude "*/migrations/*" --severity-level high --confidence-level medium
log "security: pip-audit over the pinned requirements"
audit_out=$(mktemp)
if .venv/bin/pip-audit --no-deps --disable-pip --progress-spinner off -r requirements-dev.txt >"$audit_out" 2>&1; then
  if grep -q "could not be audited" "$audit_out"; then
    log "pip-audit: no known vulnerabilities, but $(grep -c 'could not be audited' "$audit_out") packages could not be looked up (vulnerability database unreachable from here): those are not checked"
  else
    log "pip-audit: no known vulnerabilities"
  fi
elif grep -qiE "ConnectionError|NameResolution|Max retries|timed out|Temporary failure" "$audit_out"; then
  log "pip-audit: the vulnerability database is unreachable (no network): not checked, not failed"
else
  cat "$audit_out" >&2; die "pip-audit found known vulnerabilities in the pinned requirements"
fi
rm -f "$audit_out"
# --- end of security checks -------------------------------------------------------------------
log "the tests' template database"
wait "$template_pid" || { cat "$template_log" >&2; die "could not migrate the tests' template database"; }
rm -f "$template_log"
log "pytest"
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadgroup --durations=20 --hypothesis-profile=ci "$@"
