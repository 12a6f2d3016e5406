"""REST shapes of the tenant's bureau consent."""

from rest_framework import serializers

from apps.core.rest import UTCDateTimeField


class ScoringBureauConsentOut(serializers.Serializer):
    given = serializers.BooleanField()
    given_at = UTCDateTimeField(allow_null=True)
    withdrawn_at = UTCDateTimeField(allow_null=True)
    text_version = serializers.CharField(allow_blank=True)
