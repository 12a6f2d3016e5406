"""A local PostHog speaking the capture API's batch route (posthog.com/docs/api/capture),
served by pytest-httpserver:

    POST /batch/  {"api_key", "historical_migration"?, "batch": [{"event", "distinct_id"
                  (or properties.distinct_id), "timestamp"?, "uuid"?, "properties"?}]}
        -> 200 {"status": 1}
        -> 401 {"type": "authentication_error", …} for a wrong or missing project key
        -> 400 {"type": "validation_error", …} for a body PostHog refuses (no batch, an event
           without a name or a distinct id, a timestamp that is not ISO 8601)

Like PostHog, it keeps one event per uuid (`fake.events`, in order of arrival) and records
every request (`fake.bodies`). `fake.fail("500" | "429")` answers the next request with that
status; `fake.outage(True)` answers 503 until `outage(False)`.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime

from werkzeug.wrappers import Request, Response

API_KEY = "phc_test_hokwe"


class FakePostHog:
    def __init__(self, *, api_key: str = API_KEY):
        self.api_key = api_key
        self.bodies: list[dict] = []
        self.events: dict[str, dict] = {}
        self.received = 0
        self._failures: list[str] = []
        self._outage = False
        self.lock = threading.Lock()
        self.url = ""

    def install(self, httpserver) -> FakePostHog:
        httpserver.expect_request("/batch/", method="POST").respond_with_handler(self.handle)
        self.url = httpserver.url_for("/").rstrip("/")
        return self

    def fail(self, status: str) -> None:
        self._failures.append(status)

    def outage(self, on: bool) -> None:
        self._outage = on

    @staticmethod
    def _answer(status: int, body: dict) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json")

    def handle(self, request: Request) -> Response:
        with self.lock:
            if self._outage:
                return self._answer(503, {"type": "server_error"})
            if self._failures:
                return self._answer(int(self._failures.pop(0)), {"type": "server_error"})
            try:
                body = json.loads(request.get_data())
            except ValueError:
                return self._answer(400, {"type": "validation_error", "detail": "invalid JSON"})
            self.bodies.append(body)
            if not isinstance(body, dict) or body.get("api_key") != self.api_key:
                return self._answer(
                    401, {"type": "authentication_error", "detail": "invalid project api key"}
                )
            batch = body.get("batch")
            if not isinstance(batch, list) or not batch:
                return self._answer(400, {"type": "validation_error", "detail": "batch is required"})
            for event in batch:
                problem = self._problem(event)
                if problem:
                    return self._answer(400, {"type": "validation_error", "detail": problem})
            for event in batch:
                self.received += 1
                key = event.get("uuid") or f"{len(self.events)}"
                self.events.setdefault(key, event)  # PostHog deduplicates on the event's uuid
            return self._answer(200, {"status": 1})

    @staticmethod
    def _problem(event) -> str:
        if not isinstance(event, dict) or not isinstance(event.get("event"), str) or not event["event"]:
            return "event name is required"
        properties = event.get("properties", {})
        if not isinstance(properties, dict):
            return "properties must be an object"
        if not (event.get("distinct_id") or properties.get("distinct_id")):
            return "distinct_id is required"
        if "timestamp" in event:
            try:
                datetime.fromisoformat(event["timestamp"].replace("Z", "+00:00"))
            except (AttributeError, ValueError):
                return "timestamp must be ISO 8601"
        return ""
