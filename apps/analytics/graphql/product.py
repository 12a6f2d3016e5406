"""GraphQL of product analytics: `analyticsTrackEvents`, the same batch as
POST /api/v1/analytics/events, on the same service."""

from __future__ import annotations

from datetime import UTC

import graphene

from apps.core.graphql.mutations import HokweMutation

from ..services.product import EventIn, events_ingest


class AnalyticsEventInput(graphene.InputObjectType):
    event_id = graphene.UUID(required=True)
    name = graphene.String(required=True, description="Lowercase words joined by dots: pay_link.opened")
    timestamp = graphene.DateTime(required=True, description="When it happened, with its offset (UTC)")
    properties = graphene.JSONString(description="A JSON object (4 KB at most)")
    anonymous_id = graphene.String()
    session_id = graphene.String()


class AnalyticsEventErrorType(graphene.ObjectType):
    field = graphene.String(required=True)
    code = graphene.String(required=True)
    message = graphene.String(required=True)


class AnalyticsEventResultType(graphene.ObjectType):
    index = graphene.Int(required=True)
    event_id = graphene.UUID()
    status = graphene.String(required=True, description="accepted, duplicate or rejected")
    errors = graphene.List(graphene.NonNull(AnalyticsEventErrorType), required=True)


class AnalyticsTrackEvents(HokweMutation):
    """Record a batch of the app's product events (at most 500); each is answered alone."""

    class Arguments:
        events = graphene.List(graphene.NonNull(AnalyticsEventInput), required=True)

    accepted = graphene.Int()
    duplicates = graphene.Int()
    rejected = graphene.Int()
    items = graphene.List(graphene.NonNull(AnalyticsEventResultType))

    @classmethod
    def perform(cls, info, user, *, events):
        from django.conf import settings
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        if not events or len(events) > settings.ANALYTICS_EVENTS_MAX_BATCH:
            raise ValidationError(
                {"events": _("Send between 1 and %(n)s events.") % {"n": settings.ANALYTICS_EVENTS_MAX_BATCH}}
            )
        result = events_ingest(
            user_id=user.public_id,
            events=[
                EventIn(
                    event_id=e.event_id,
                    name=e.name,
                    occurred_at=e.timestamp if e.timestamp.tzinfo else e.timestamp.replace(tzinfo=UTC),
                    properties={} if e.properties is None else e.properties,
                    anonymous_id=e.anonymous_id or "",
                    session_id=e.session_id or "",
                )
                for e in events
            ],
        )
        return {
            "accepted": result.accepted,
            "duplicates": result.duplicates,
            "rejected": result.rejected,
            "items": [
                AnalyticsEventResultType(
                    index=item.index,
                    event_id=item.event_id,
                    status=item.status,
                    errors=[
                        AnalyticsEventErrorType(field=p.field, code=p.code, message=p.message)
                        for p in item.errors
                    ],
                )
                for item in result.items
            ],
        }
