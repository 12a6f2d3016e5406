"""Partners' REST shapes. A key's or an endpoint's secret appears only in the answer that
created (or rotated) it."""

from rest_framework import serializers

from apps.core.rest import StrictSerializer, UTCDateTimeField

from ..contracts import EventType, Scope

SCOPES = [s.value for s in Scope]
EVENTS = [e.value for e in EventType]


class OrganizationQuery(serializers.Serializer):
    organization = serializers.UUIDField(required=False)
    cursor = serializers.CharField(required=False)
    page_size = serializers.IntegerField(required=False)


class KeyCreateIn(StrictSerializer):
    organization = serializers.UUIDField()
    name = serializers.CharField(max_length=100)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=SCOPES), min_length=1)
    rate = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    step_up_token = serializers.CharField(required=False, allow_blank=True, default="")


class KeyOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organization = serializers.UUIDField(source="organization.public_id")
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="hk_live_… / hk_test_… followed by the key id")
    last4 = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())
    rate = serializers.CharField()
    created_at = UTCDateTimeField()
    expires_at = UTCDateTimeField(allow_null=True)
    revoked_at = UTCDateTimeField(allow_null=True)
    last_used_at = UTCDateTimeField(allow_null=True)
    last_used_ip = serializers.CharField(allow_null=True)


class KeyCreatedOut(KeyOut):
    secret = serializers.CharField(
        allow_null=True, help_text="The whole key, shown this once (null in a replay)"
    )


class EndpointIn(StrictSerializer):
    organization = serializers.UUIDField()
    url = serializers.CharField(max_length=500)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENTS), min_length=1)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class EndpointUpdateIn(StrictSerializer):
    url = serializers.CharField(max_length=500, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENTS), min_length=1, required=False
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    enabled = serializers.BooleanField(required=False)


class EndpointOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organization = serializers.UUIDField(source="organization.public_id")
    url = serializers.CharField()
    description = serializers.CharField()
    events = serializers.ListField(child=serializers.CharField())
    status = serializers.CharField()
    disabled_at = UTCDateTimeField(allow_null=True)
    disabled_reason = serializers.CharField()
    created_at = UTCDateTimeField()


class EndpointCreatedOut(EndpointOut):
    secret = serializers.CharField(allow_null=True, help_text="whsec_…, shown this once (null in a replay)")


class AttemptOut(serializers.Serializer):
    number = serializers.IntegerField()
    started_at = UTCDateTimeField()
    duration_ms = serializers.IntegerField()
    status_code = serializers.IntegerField(allow_null=True)
    response_excerpt = serializers.CharField()
    error = serializers.CharField()
    succeeded = serializers.BooleanField()


class DeliveryOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    event_id = serializers.CharField()
    event_type = serializers.CharField()
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    next_attempt_at = UTCDateTimeField(allow_null=True)
    last_status_code = serializers.IntegerField(allow_null=True)
    delivered_at = UTCDateTimeField(allow_null=True)
    created_at = UTCDateTimeField()
    attempt_log = AttemptOut(many=True)
