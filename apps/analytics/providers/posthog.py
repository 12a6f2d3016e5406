"""PostHog's capture API, batch route (posthog.com/docs/api/capture):

    POST {ANALYTICS_POSTHOG_URL}/batch/
    {"api_key": "<project API key>", "historical_migration": false,
     "batch": [{"event", "distinct_id", "timestamp" (ISO 8601), "uuid", "properties"}]}
    -> 200 {"status": 1}

The event's `uuid` is our event id, so a batch sent twice (a crash between the send and the
cursor's commit) is deduplicated by PostHog. Events of a user not signed in are sent with
`$process_person_profile: false` (anonymous events, no person profile)."""

from __future__ import annotations

import httpx

from apps.core.http import http_client

from .base import ExportError, ExportEvent


class PostHogExporter:
    name = "posthog"

    def __init__(self, *, url: str, api_key: str, timeout: float = 10.0, transport=None):
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.transport = transport

    def payload(self, events: list[ExportEvent]) -> dict:
        batch = []
        for event in events:
            properties = dict(event.properties)
            if event.session_id:
                properties["$session_id"] = event.session_id
            if not event.user:
                properties["$process_person_profile"] = False
            batch.append(
                {
                    "event": event.name,
                    "distinct_id": event.distinct_id,
                    "timestamp": event.occurred_at.isoformat().replace("+00:00", "Z"),
                    "uuid": str(event.event_id),
                    "properties": properties,
                }
            )
        return {"api_key": self.api_key, "historical_migration": False, "batch": batch}

    def send(self, events: list[ExportEvent]) -> None:
        try:
            with http_client(
                service="posthog", base_url=self.url, timeout=self.timeout, transport=self.transport
            ) as http:
                response = http.post("/batch/", json=self.payload(events))
        except httpx.HTTPError as exc:
            raise ExportError(f"posthog unreachable: {exc.__class__.__name__}", retryable=True) from exc
        if response.status_code == 200:
            return
        retryable = response.status_code >= 500 or response.status_code == 429
        raise ExportError(
            f"posthog answered {response.status_code}: {response.text[:200]}",
            retryable=retryable,
            status=response.status_code,
        )
