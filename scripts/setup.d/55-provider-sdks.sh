# Payment providers' SDKs used by the tests to check our local provider servers
# (requirements-nodeps.txt: installed without their pinned test dependencies).
# shellcheck shell=bash
if ! .venv/bin/python -c "import kkiapay" 2>/dev/null; then
  log "installing provider SDKs (requirements-nodeps.txt, --no-deps)"
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -r requirements-nodeps.txt
fi
