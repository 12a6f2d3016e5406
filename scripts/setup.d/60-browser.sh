# A real browser for the browser tests (@pytest.mark.browser): Debian's Chromium, driven by
# Playwright (requirements-dev.txt). `playwright install` cannot download browsers here.
# shellcheck shell=bash
if [ ! -x /usr/bin/chromium ]; then
  if is_root; then
    apt_install chromium
  else
    log "Chromium is missing and we are not root: the browser tests will fail (apt-get install chromium)"
  fi
fi
