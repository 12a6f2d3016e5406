"""Gateway duties inside the app, for the surfaces DRF does not cover (GraphQL, pages) and
for every response: rate limits, security headers (CSP with nonces, frame-ancestors),
API deprecation headers and per-endpoint body limits.

Settings (hokwe/settings/base.py, docs/operations.md):
    HOKWE_THROTTLE_RULES      [(path regex, methods, scope, key)] for non-DRF paths
    CSP_*                     extra sources for the page policy
    CHECKOUT_EMBED_ORIGINS    hosts allowed to frame the checkout pages
    HOKWE_EMBEDDABLE_PATHS    path regexes of those pages (default ^/checkout/)
    HOKWE_API_DEPRECATIONS    {"v1": {"deprecation": date, "sunset": date, "link": url}}

Views opt in with decorators: `@deprecated(sunset=..., link=...)` and
`@body_limit(max_bytes, content_types=...)` (both work on functions and DRF/Django classes).
"""

from __future__ import annotations

import ipaddress
import re
import secrets
from datetime import UTC, date, datetime
from email.utils import format_datetime
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import ratelimit
from .errors import problem

_API_PREFIXES = ("/api/", "/graphql")


def _is_api(path: str) -> bool:
    return path.startswith(_API_PREFIXES)


def throttled_response(request, exc: ratelimit.RateLimited):
    """429 with Retry-After (and the RateLimit-* headers of the refusing limit): problem
    details for API paths, a page elsewhere."""
    if _is_api(request.path):
        response = problem(429, code="throttled", detail=str(exc.message), instance=request.path)
    else:
        response = render(
            request,
            "errors/429.html",
            {"retry_after": exc.retry_after},
            status=429,
        )
    for key, value in ratelimit.headers_for(getattr(exc, "decision", None)).items():
        response[key] = value
    response["Retry-After"] = str(exc.retry_after)
    return response


# --- The client's address behind the gateway ---------------------------------------------------


@cache
def _networks(cidrs: tuple[str, ...]):
    return [ipaddress.ip_network(cidr, strict=False) for cidr in cidrs]


# Per-process constants read from settings (trusted proxies, throttle rules, embeddable
# paths): computed on first use, recomputed when a test changes the setting.
_constants: dict[str, object] = {}
_CONSTANT_SETTINGS = {"TRUSTED_PROXY_CIDRS", "HOKWE_THROTTLE_RULES", "HOKWE_EMBEDDABLE_PATHS"}


@receiver(setting_changed)
def _reset_constants(*, setting, **kwargs):
    if setting in _CONSTANT_SETTINGS:
        _constants.clear()


def _trusted_networks():
    networks = _constants.get("networks")
    if networks is None:
        networks = _constants["networks"] = _networks(tuple(settings.TRUSTED_PROXY_CIDRS))
    return networks


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


class TrustedProxyMiddleware:
    """Behind nginx / the ingress, REMOTE_ADDR is the proxy's. When the request comes from a
    trusted proxy (TRUSTED_PROXY_CIDRS), the client is the right-most X-Forwarded-For address
    that is not itself a trusted proxy; anything further left was written by the client and
    is ignored. Per-IP rate limits, the audit log and /metrics then see the real client."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        networks = _trusted_networks()
        if networks and _trusted(request.META.get("REMOTE_ADDR", ""), networks):
            hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
            for hop in reversed(hops):
                try:
                    ipaddress.ip_address(hop)
                except ValueError:
                    break  # garbage: keep the proxy's address rather than guess
                if not _trusted(hop, networks):
                    request.META["REMOTE_ADDR"] = hop
                    break
        return self.get_response(request)


# --- Rate limits for GraphQL and pages ------------------------------------------------------


@cache
def _compiled_rules(rules: tuple) -> list[tuple[re.Pattern, frozenset, str, str]]:
    return [(re.compile(regex), frozenset(methods), scope, key) for regex, methods, scope, key in rules]


def _rule_key(kind: str, request) -> str:
    if kind == "ip":
        return f"ip:{request.META.get('REMOTE_ADDR', '')}"
    return ratelimit.client_key(request)  # "client": the user when logged in, else the IP


class ThrottleMiddleware:
    """Applies HOKWE_THROTTLE_RULES to requests DRF does not see (/graphql, pages, the admin
    login). Goes after the authentication middlewares so "client" keys see the user.

    All the rules matching a request decide together (a refused call is counted by none, the
    wait is the longest). The middleware also records every limiter decision taken while the
    request runs (DRF throttles, a service's `ratelimit.hit`) and sends the most restrictive
    one as `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (IETF draft
    httpapi-ratelimit-headers) and `RateLimit-Policy`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = ratelimit.begin_request()
        try:
            response = self._respond(request)
            decision = ratelimit.most_restrictive(ratelimit.request_decisions())
            for key, value in ratelimit.headers_for(decision).items():
                if key not in response:
                    response[key] = value
            return response
        finally:
            ratelimit.end_request(token)

    def _respond(self, request):
        rules = _constants.get("rules")
        if rules is None:
            rules = _constants["rules"] = _compiled_rules(
                tuple(tuple(rule) for rule in settings.HOKWE_THROTTLE_RULES)
            )
        limits = [
            (scope, _rule_key(kind, request), None)
            for pattern, methods, scope, kind in rules
            if request.method in methods and pattern.search(request.path_info)
        ]
        if limits:
            try:
                ratelimit.hit_many(limits)
            except ratelimit.RateLimited as exc:
                return throttled_response(request, exc)
        return self.get_response(request)


# --- Security headers -------------------------------------------------------------------------


def _sources(*groups) -> str:
    seen: list[str] = []
    for group in groups:
        for source in group:
            if source and source not in seen:
                seen.append(source)
    return " ".join(seen)


def allow_partner_framing(response):
    """Let the checkout's partner hosts (CHECKOUT_EMBED_ORIGINS) frame this one response: a
    page the embedded checkout leads to outside /checkout/ (the sandbox provider's page). The
    response gets `frame-ancestors 'self' <those hosts>` and no X-Frame-Options; every other
    page keeps DENY."""
    response.hokwe_embeddable = True
    return response


def _embeddable(path: str, response=None) -> bool:
    if response is not None and getattr(response, "hokwe_embeddable", False):
        return True
    patterns = _constants.get("embeddable")
    if patterns is None:
        patterns = _constants["embeddable"] = [re.compile(regex) for regex in settings.HOKWE_EMBEDDABLE_PATHS]
    return any(pattern.search(path) for pattern in patterns)


def _frame_ancestors(path: str, response=None) -> str:
    if _embeddable(path, response):
        return _sources(["'self'"], settings.CHECKOUT_EMBED_ORIGINS)
    return "'none'"


def _origin(url: str) -> list[str]:
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


def page_policy(nonce: str, path: str, response=None) -> str:
    self_ = ["'self'"]
    static = _origin(settings.STATIC_URL)  # the CDN's host when CDN_URL is set
    media = _origin(settings.CLOUDFRONT_MEDIA_URL)  # private images by CloudFront signed URLs
    script = [*self_, *static, f"'nonce-{nonce}'"]  # no inline script: not even the API docs need one
    style = [*self_, *static, "'unsafe-inline'"]  # style attributes (admin); scripts stay strict
    directives = [
        "default-src 'self'",
        "script-src " + _sources(script, settings.CSP_SCRIPT_SRC),
        "style-src " + _sources(style, settings.CSP_STYLE_SRC),
        "img-src " + _sources([*self_, *static, *media, "data:", "blob:"], settings.CSP_IMG_SRC),
        "font-src " + _sources([*self_, *static, "data:"]),
        "worker-src 'self' blob:",  # Redoc's search index runs in a blob worker
        "connect-src " + _sources(self_, settings.CSP_CONNECT_SRC),
        "frame-src " + _sources(self_, settings.CSP_FRAME_SRC),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action " + _sources(self_, settings.CSP_FORM_ACTION),
        "frame-ancestors " + _frame_ancestors(path, response),
    ]
    if settings.CSP_REPORT_URI:
        directives.append(f"report-uri {settings.CSP_REPORT_URI}")
    return "; ".join(directives)


API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response: a strict policy with a per-request nonce
    for pages (templates write `<script nonce="{{ request.csp_nonce }}">`), `default-src
    'none'` for JSON. frame-ancestors is 'none' except on the checkout pages and the
    responses marked by `allow_partner_framing`, which only the configured embedding hosts may
    frame (X-Frame-Options is dropped there). GraphiQL runs under the same policy (its assets
    are local, its init script a static file). Also
    Permissions-Policy and Cross-Origin-Resource-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        path = request.path_info
        content_type = response.get("Content-Type", "")
        if "Content-Security-Policy" not in response:
            if "text/html" in content_type:
                header = "Content-Security-Policy"
                if settings.CSP_REPORT_ONLY:
                    header += "-Report-Only"
                response[header] = page_policy(request.csp_nonce, path, response)
            else:
                response["Content-Security-Policy"] = API_POLICY
        if _embeddable(path, response) and "X-Frame-Options" in response:
            del response["X-Frame-Options"]  # frame-ancestors decides; XFO cannot list hosts
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-site")
        return response


# --- API deprecation (RFC 9745 Deprecation, RFC 8594 Sunset, Link) ---------------------------


def _as_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return _as_datetime(date.fromisoformat(str(value)))


def deprecation_headers(*, deprecation=None, sunset=None, link: str | None = None) -> dict[str, str]:
    headers = {}
    if deprecation is not None:
        headers["Deprecation"] = f"@{int(_as_datetime(deprecation).timestamp())}"
    else:
        headers["Deprecation"] = "@0" if sunset is None else f"@{int(datetime.now(UTC).timestamp())}"
    if sunset is not None:
        headers["Sunset"] = format_datetime(_as_datetime(sunset), usegmt=True)
    if link:
        rel = 'rel="deprecation"; type="text/html"'
        headers["Link"] = f"<{link}>; {rel}" + (f', <{link}>; rel="sunset"' if sunset else "")
    return headers


def deprecated(*, deprecation=None, sunset=None, link: str | None = None):
    """Mark a view (function, Django or DRF class) deprecated: its responses carry
    Deprecation, Sunset and Link headers. `deprecation` is when it became deprecated
    (a date; default: now), `sunset` when it will stop answering."""
    info = {"deprecation": deprecation, "sunset": sunset, "link": link}

    def decorate(view):
        view.hokwe_deprecation = info
        return view

    return decorate


def _view_attr(view_func, name):
    for candidate in (view_func, getattr(view_func, "view_class", None), getattr(view_func, "cls", None)):
        if candidate is not None and hasattr(candidate, name):
            return getattr(candidate, name)
    return None


class DeprecationMiddleware:
    """Adds the deprecation headers of the API version (HOKWE_API_DEPRECATIONS, by the URL's
    `version` kwarg) or of the view (@deprecated)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        info = getattr(request, "_hokwe_deprecation", None)
        if info:
            for key, value in deprecation_headers(**info).items():
                response.setdefault(key, value)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        info = _view_attr(view_func, "hokwe_deprecation")
        version = view_kwargs.get("version")
        if info is None and version:
            info = settings.HOKWE_API_DEPRECATIONS.get(version)
        request._hokwe_deprecation = info
        return None


# --- Per-endpoint body limits -----------------------------------------------------------------


def body_limit(max_bytes: int, *, content_types: tuple[str, ...] | None = None):
    """Give a view (function or class) its own body limit (stricter than the global one,
    e.g. 2 MiB for an avatar) and optionally the content types it accepts (415 otherwise).
    The check happens before the view reads the body; a lying Content-Length is still
    bounded because Django stops reading at DATA_UPLOAD_MAX_MEMORY_SIZE / the upload
    handlers."""

    def decorate(view):
        view.hokwe_body_limit = (max_bytes, tuple(content_types) if content_types else None)
        return view

    return decorate


class BodyLimitViewMiddleware:
    """Enforces @body_limit after URL resolution (the global limit is BodySizeLimitMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        spec = _view_attr(view_func, "hokwe_body_limit")
        if spec is None or request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        max_bytes, content_types = spec
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_bytes:
            return problem(
                413,
                code="body_too_large",
                detail=_("The request body is too large (limit: %(limit)s bytes).") % {"limit": max_bytes},
                instance=request.path,
            )
        media_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_types and length and media_type not in content_types:
            return problem(
                415,
                code="unsupported_media_type",
                detail=_("Unsupported media type: %(type)s.") % {"type": media_type or "-"},
                instance=request.path,
            )
        return None
