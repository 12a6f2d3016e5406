# Shared helpers for scripts/run.sh and scripts/test.sh (sourced, not run).
# shellcheck shell=bash

# each step's line says how long the command has run so far (the 20-minute budget)
log() { printf '\033[1;32m==>\033[0m [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }
die() { printf '\033[1;31mxx\033[0m %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = "0" ]; }

APT_UPDATED=0
apt_install() {
  is_root || die "missing system packages ($*); install them or run as root"
  command -v apt-get >/dev/null || die "missing system packages ($*) and no apt-get to install them"
  if [ "$APT_UPDATED" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

find_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      echo "$candidate"; return
    fi
  done
  die "Python 3.11 is required (python3.11 or python3 on PATH)"
}

# ensure_venv REQUIREMENTS_FILE: create .venv and install the pinned requirements once
# (re-installs only when a requirements file changes).
ensure_venv() {
  local req="$1" py stamp
  py=$(find_python)
  if [ ! -x .venv/bin/python ]; then
    log "creating .venv with $py"
    "$py" -m venv .venv || { apt_install python3-venv && "$py" -m venv .venv; }
  fi
  stamp=".venv/.installed-$(cat requirements*.txt | sha256sum | cut -c1-16)-$(basename "$req")"
  if [ ! -f "$stamp" ]; then
    log "installing $req"
    .venv/bin/python -m pip install -q --disable-pip-version-check -r "$req"
    touch "$stamp"
  fi
}

# Compile the .po catalogues (locale/ and each module's apps/*/locale/) with Babel, a
# runtime dependency: no gettext needed.
compile_translations() {
  .venv/bin/python devtools/compile_translations.py
}
