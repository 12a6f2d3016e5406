"""Matomo's Tracking HTTP API, bulk requests (developer.matomo.org/api-reference/tracking-api,
« Bulk tracking »):

    POST {ANALYTICS_MATOMO_URL}            (…/matomo.php)
    {"requests": ["?idsite=1&rec=1&apiv=1&e_c=…&e_a=…&…", …], "token_auth": "<token>"}
    -> 200 {"status": "success", "tracked": N, "invalid": M}

Each product event is a Matomo event: category and action from its name (« pay_link.opened »
-> « pay_link » / « opened », a one-word name is both), its full name as `e_n`; `cdt` sets
the time it happened (older than a day needs the token, which bulk requests carry); `_id` is
a 16-hex visitor id derived from the user, `uid` the account. Matomo has no event id: a
batch sent twice is counted twice there (docs/analytics.md, « Export »)."""

from __future__ import annotations

import hashlib
import logging
from urllib.parse import urlencode

import httpx

from apps.core.http import http_client

from .base import ExportError, ExportEvent

logger = logging.getLogger("hokwe.analytics.export")


class MatomoExporter:
    name = "matomo"

    def __init__(self, *, url: str, site_id: int, token: str, timeout: float = 10.0, transport=None):
        self.url = url
        self.site_id = site_id
        self.token = token
        self.timeout = timeout
        self.transport = transport

    def request(self, event: ExportEvent) -> str:
        category, _dot, action = event.name.partition(".")
        params = {
            "idsite": self.site_id,
            "rec": 1,
            "apiv": 1,
            "e_c": category,
            "e_a": action or category,
            "e_n": event.name,
            "url": f"app://hokwe/{event.name.replace('.', '/')}",
            "_id": hashlib.sha256(event.distinct_id.encode()).hexdigest()[:16],
            "cdt": int(event.occurred_at.timestamp()),
            "send_image": 0,
        }
        if event.user:
            params["uid"] = str(event.user)
        return "?" + urlencode(params)

    def payload(self, events: list[ExportEvent]) -> dict:
        return {"requests": [self.request(e) for e in events], "token_auth": self.token}

    def send(self, events: list[ExportEvent]) -> None:
        try:
            with http_client(service="matomo", timeout=self.timeout, transport=self.transport) as http:
                response = http.post(self.url, json=self.payload(events))
        except httpx.HTTPError as exc:
            raise ExportError(f"matomo unreachable: {exc.__class__.__name__}", retryable=True) from exc
        if response.status_code != 200:
            raise ExportError(
                f"matomo answered {response.status_code}: {response.text[:200]}",
                retryable=response.status_code >= 500 or response.status_code == 429,
                status=response.status_code,
            )
        try:
            body = response.json()
        except ValueError as exc:
            raise ExportError(
                "matomo answered something that is not JSON", retryable=True, status=200
            ) from exc
        if body.get("status") != "success":
            raise ExportError(f"matomo refused the batch: {str(body)[:200]}", retryable=False, status=200)
        if body.get("invalid"):  # they would be refused again: reported, not retried
            logger.warning("matomo_invalid_requests", extra={"invalid": body.get("invalid")})
