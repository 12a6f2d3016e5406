"""Host-based routing: each public host name lands on its product (docs/operations.md, "Hosts").

One deployment serves every product under a path prefix (/manager/, /pay/, /recover/, …).
Each module declares the public host names of its products in its conf.py
(`HOSTS = {"recover.hokwepay.me": "/recover/"}`); apps/core/conf.py merges them into
`settings.HOKWE_HOSTS` (a host claimed twice stops the start-up), and the gateway files in
deploy/ are tested against that one table.

The router only moves a host's root: `GET recover.hokwepay.me/?x=1` -> 302 `/recover/?x=1`.
Every other path is served as on any host, on purpose:
- session cookies belong to one host name, and the shared web shell lives under /manager/
  (the login every product's pages redirect to, the user's landing page that sends each
  user to their product, profile and security pages); sending recover.hokwepay.me/manager/...
  to manager.hokwe.com would lose the collector's session and loop on the login;
- pages link to each other by path (the market to /booking/, the tenant's space to /wallet/);
  a cross-host redirect would log the user out and turn a POST into a GET;
- the gateway (nginx's `$product_home` map, the ingress's `app-root`) moves the same root
  and nothing else, so the answer is the same whichever layer gives it.
Host names that are not in the table (127.0.0.1, localhost, testserver, the sites hokwe.co,
hokwe.com and pay.hokwe.com, which Wagtail matches by host name) are never touched: the
embedded default keeps every path prefix working.

`HOST_ALIASES` (environment: `alias=canonical,…`, e.g.
`recover.staging.hokwepay.me=recover.hokwepay.me`) gives a staging or second domain the
prefix of a declared host; aliases must also be in ALLOWED_HOSTS.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponseRedirect

__all__ = ["HostRouterMiddleware", "host_prefixes", "prefix_for"]


@cache
def _table(hosts: tuple, aliases: tuple) -> dict[str, str]:
    table = {host.lower(): prefix for host, prefix in hosts}
    for alias, canonical in ((a.strip(), c.strip()) for a, c in aliases):  # "a=b, c=d": spaces
        if canonical.lower() not in table:
            raise ImproperlyConfigured(
                f"HOST_ALIASES: {alias}={canonical}, but {canonical} is not a host any module declares "
                f"(HOKWE_HOSTS: {', '.join(sorted(table))})"
            )
        table[alias.lower()] = table[canonical.lower()]
    for host, prefix in table.items():
        if not (prefix.startswith("/") and prefix.endswith("/")) or prefix == "/" or prefix.startswith("//"):
            raise ImproperlyConfigured(f"HOKWE_HOSTS[{host!r}] = {prefix!r}: a path prefix like '/recover/'")
    return table


def host_prefixes() -> dict[str, str]:
    """Host name (lowercase, no port) -> URL prefix: the modules' HOSTS plus HOST_ALIASES."""
    hosts = tuple(sorted(getattr(settings, "HOKWE_HOSTS", {}).items()))
    aliases = tuple(sorted(getattr(settings, "HOKWE_HOST_ALIASES", {}).items()))
    return _table(hosts, aliases)


def _request_host(request) -> str:
    raw = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
    host = raw.rsplit(":", 1)[0] if not raw.endswith("]") else raw  # [::1] has no name to route
    return host.rstrip(".").lower()


def prefix_for(request) -> str | None:
    """The product prefix of the request's host name, or None (an unrouted host)."""
    return host_prefixes().get(_request_host(request))


class HostRouterMiddleware:
    """A routed host's root redirects (302, query string kept) to its product's prefix; every
    other request goes on unchanged. Placed after TrustedProxyMiddleware, before anything
    that renders a page."""

    def __init__(self, get_response):
        self.get_response = get_response
        host_prefixes()  # a bad HOST_ALIASES stops the start-up, not the first request

    def __call__(self, request):
        if request.path_info == "/" and request.method in ("GET", "HEAD"):
            prefix = prefix_for(request)
            if prefix is not None:
                request.get_host()  # a host not in ALLOWED_HOSTS: 400, as on any other path
                target = request.META.get("SCRIPT_NAME", "").rstrip("/") + prefix
                query = request.META.get("QUERY_STRING", "")
                return HttpResponseRedirect(f"{target}?{query}" if query else target)
        return self.get_response(request)
