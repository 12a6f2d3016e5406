"""The one factory for outbound HTTP clients (payment, KYC, SMS, push, bureau, LLM…).

    with http_client(service="kkiapay", base_url=settings.KKIAPAY_BASE_URL,
                     timeout=settings.PAYMENT_HTTP_TIMEOUT_SECONDS) as http:
        http.post("/api/v1/transactions/status", json={...})

Every client gets:
- timeouts on connect, read, write and pool (connect capped at 5 s), never "wait forever";
- retries of the *connection* only (`retries`, default 2): a request that reached the
  provider is never sent again by the transport, so a POST cannot be doubled;
- no redirects followed (a provider that redirects is misconfigured, and a redirect could
  carry our credentials elsewhere);
- `User-Agent: Hokwe/<version> (<service>)` and the current `X-Request-ID`, so a call can be
  traced from our logs to the provider's (OpenTelemetry's httpx instrumentation adds
  `traceparent` when tracing is on).
Callers run it outside any database transaction that holds locks (docs/architecture.md).
"""

from __future__ import annotations

import httpx
from django.conf import settings

from .context import get_request_id


def _tracing_headers(request: httpx.Request) -> None:
    request_id = get_request_id()
    if request_id and "X-Request-ID" not in request.headers:
        request.headers["X-Request-ID"] = request_id


def http_client(
    *,
    service: str,
    timeout: float,
    base_url: str = "",
    headers: dict | None = None,
    retries: int = 2,
    **kwargs,
) -> httpx.Client:
    """An httpx.Client for `service` (a short name used in the User-Agent and logs)."""
    merged = {"User-Agent": f"Hokwe/{getattr(settings, 'HOKWE_VERSION', '0')} ({service})", **(headers or {})}
    hooks = kwargs.pop("event_hooks", {})
    hooks = {**hooks, "request": [_tracing_headers, *hooks.get("request", [])]}
    return httpx.Client(
        base_url=base_url,
        headers=merged,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        transport=kwargs.pop("transport", None) or httpx.HTTPTransport(retries=retries),
        follow_redirects=False,
        event_hooks=hooks,
        **kwargs,
    )
