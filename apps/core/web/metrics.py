"""/metrics for Prometheus, reachable only from allowed networks or with the bearer token."""

import hmac
import ipaddress

from django.conf import settings
from django.http import Http404
from django_prometheus.exports import ExportToDjangoView


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(header.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(cidr) for cidr in settings.METRICS_ALLOWED_CIDRS)


def metrics(request):
    if not _allowed(request):
        raise Http404
    return ExportToDjangoView(request)
