"""REST shapes of product analytics (POST /api/v1/analytics/events)."""

from django.conf import settings
from rest_framework import serializers

from apps.core.rest import StrictSerializer, UTCDateTimeField


class AnalyticsEventIn(StrictSerializer):
    """One event of the app. `name`: lowercase words joined by dots (`pay_link.opened`)."""

    event_id = serializers.UUIDField(help_text="The app's id of this event (a UUID); a replay counts once.")
    name = serializers.RegexField(r"^[a-z_]+(\.[a-z_]+)*$", max_length=80)
    timestamp = UTCDateTimeField(help_text="When it happened, UTC (ISO 8601).")
    properties = serializers.DictField(
        required=False, default=dict, help_text="A JSON object (4 KB at most)."
    )
    anonymous_id = serializers.CharField(required=False, default="", allow_blank=True, max_length=64)
    session_id = serializers.CharField(required=False, default="", allow_blank=True, max_length=64)


class AnalyticsEventsIn(StrictSerializer):
    """A batch. Each event is checked alone: a bad event is rejected with its reasons and the
    others are recorded."""

    events = serializers.ListField(
        child=serializers.DictField(),
        min_length=1,
        max_length=settings.ANALYTICS_EVENTS_MAX_BATCH,
        help_text="The events (at most ANALYTICS_EVENTS_MAX_BATCH, 500 by default).",
    )


class AnalyticsEventsDoc(StrictSerializer):
    """The batch as documented (each item an AnalyticsEventIn)."""

    events = AnalyticsEventIn(many=True)


class AnalyticsItemErrorOut(serializers.Serializer):
    field = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class AnalyticsItemOut(serializers.Serializer):
    index = serializers.IntegerField()
    event_id = serializers.UUIDField(allow_null=True)
    status = serializers.ChoiceField(choices=["accepted", "duplicate", "rejected"])
    errors = AnalyticsItemErrorOut(many=True)


class AnalyticsEventsOut(serializers.Serializer):
    accepted = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = serializers.IntegerField()
    items = AnalyticsItemOut(many=True)
