# promtool (Debian's prometheus package) validates and unit-tests deploy/prometheus/alerts.yml
# (tests/core/test_observability_files.py). Optional: without it the test parses the rules.
# shellcheck shell=bash
if ! command -v promtool >/dev/null && is_root && command -v apt-get >/dev/null; then
  ( apt_install prometheus ) || log "promtool unavailable: alert rules are checked by the parser only"
fi
