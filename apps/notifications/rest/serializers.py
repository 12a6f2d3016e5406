from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import HokweModelSerializer, StrictSerializer

from ..contracts import Category, Channel
from ..models import Message, Preference, PushDevice


class InboxMessageSerializer(HokweModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    title = serializers.CharField(source="subject", read_only=True)
    link = serializers.CharField(source="action_url", read_only=True)
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id",
            "template_key",
            "category",
            "title",
            "body",
            "link",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_is_read(self, obj) -> bool:
        return obj.read_at is not None


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class DeviceSerializer(HokweModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = PushDevice
        fields = ["id", "platform", "app", "created_at", "last_seen_at"]
        read_only_fields = fields


class DeviceRegisterSerializer(StrictSerializer):
    token = serializers.CharField(max_length=4096, help_text=_("FCM registration token of this installation"))
    platform = serializers.ChoiceField(choices=PushDevice.Platform.choices)
    app = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)


_CATEGORIES = [c.value for c in Category if c != Category.SECURITY]


class PreferenceSerializer(HokweModelSerializer):
    disabled = serializers.DictField(
        child=serializers.ListField(child=serializers.ChoiceField(choices=[c.value for c in Channel])),
        read_only=True,
        help_text=_("Channels turned off, per category"),
    )

    class Meta:
        model = Preference
        fields = ["disabled", "marketing_opt_out", "quiet_hours_start", "quiet_hours_end", "timezone"]
        read_only_fields = fields


class PreferenceUpdateSerializer(StrictSerializer):
    disabled = serializers.DictField(
        child=serializers.ListField(child=serializers.ChoiceField(choices=[c.value for c in Channel])),
        required=False,
        help_text=_("Channels to turn off, per category: %(categories)s")
        % {"categories": ", ".join(_CATEGORIES)},
    )
    marketing_opt_out = serializers.BooleanField(required=False)
    quiet_hours_start = serializers.TimeField(required=False, allow_null=True)
    quiet_hours_end = serializers.TimeField(required=False, allow_null=True)
    timezone = serializers.CharField(required=False, allow_blank=True, max_length=64)
