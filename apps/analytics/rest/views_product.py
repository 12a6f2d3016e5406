"""REST of product analytics: the apps send their events in batches. Thin: parse, call the
service, render."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.throttling import ScopedThrottle, UserThrottle

from ..services.product import EventIn, Problem, events_ingest
from . import serializers_product as s


def _item(raw) -> EventIn | list[Problem]:
    """One event parsed, or its shape problems (refused alone, not the batch)."""
    serializer = s.AnalyticsEventIn(data=raw)
    if not serializer.is_valid():
        return [
            Problem(field=name, code=getattr(error, "code", "invalid") or "invalid", message=str(error))
            for name, errors in serializer.errors.items()
            for error in (errors if isinstance(errors, list) else [errors])
        ]
    data = serializer.validated_data
    return EventIn(
        event_id=data["event_id"],
        name=data["name"],
        occurred_at=data["timestamp"],
        properties=data["properties"],
        anonymous_id=data["anonymous_id"],
        session_id=data["session_id"],
    )


def render(result) -> dict:
    return {
        "accepted": result.accepted,
        "duplicates": result.duplicates,
        "rejected": result.rejected,
        "items": [
            {
                "index": item.index,
                "event_id": item.event_id,
                "status": item.status,
                "errors": [asdict(problem) for problem in item.errors],
            }
            for item in result.items
        ],
    }


@extend_schema(tags=["analytics"])
class EventsView(APIView):
    """POST: a batch of the app's product events (at most 500). Each event is checked alone
    and answered in `items`, in order: `accepted`, `duplicate` (its `event_id` was already
    recorded: sending a batch again is safe, so no Idempotency-Key) or `rejected` with
    the reasons. 200 even when some are rejected; 400 only for a broken batch."""

    throttle_classes = [UserThrottle, ScopedThrottle]
    throttle_scope = "analytics.events"

    @extend_schema(request=s.AnalyticsEventsDoc, responses={200: s.AnalyticsEventsOut})
    def post(self, request, **kwargs):
        batch = s.AnalyticsEventsIn(data=request.data)
        batch.is_valid(raise_exception=True)
        result = events_ingest(
            user_id=request.user.public_id, events=[_item(raw) for raw in batch.validated_data["events"]]
        )
        return Response(render(result))
