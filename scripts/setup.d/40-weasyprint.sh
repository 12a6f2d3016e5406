# WeasyPrint (estate's PDFs: receipts, notices, statements, leases) needs Debian's Pango.
# Installed only when missing, and only as root.
# shellcheck shell=bash
if ! ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so.0" || ! ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0"; then
  if is_root; then
    apt_install libpango-1.0-0 libpangoft2-1.0-0
  else
    log "Pango is missing and we are not root: PDF documents will fail (apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
  fi
fi
