"""HokweAI's REST bodies."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import StrictSerializer, UTCDateTimeField

RATINGS = (1, -1)


class AiAskIn(StrictSerializer):
    text = serializers.CharField(allow_blank=True, max_length=200_000, help_text=_("Your question"))


class AiRateIn(StrictSerializer):
    rating = serializers.ChoiceField(choices=RATINGS, help_text=_("1: useful; -1: not useful"))


class AiConfirmIn(StrictSerializer):
    step_up_token = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_(
            "identity's step-up proof of (step_up_action, step_up_target, the action's amount, its currency)"
        ),
    )


class AiVoiceIn(serializers.Serializer):
    audio = serializers.FileField(help_text=_("A recording: Opus/OGG, WAV, M4A, WebM or MP3"))
    speak = serializers.BooleanField(required=False, default=True, help_text=_("Answer with audio too"))


class AiActionOut(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    summary = serializers.CharField()
    amount = serializers.DictField(allow_null=True)
    status = serializers.CharField()
    expires_at = UTCDateTimeField()
    step_up_action = serializers.CharField(help_text=_("The step-up to start before confirming"))
    step_up_target = serializers.CharField(
        help_text=_("The step-up's target (with the action's amount and currency)")
    )


class AiMessageOut(serializers.Serializer):
    id = serializers.UUIDField()
    role = serializers.CharField()
    text = serializers.CharField()
    engine = serializers.CharField(allow_blank=True)
    fallback = serializers.BooleanField()
    tools = serializers.ListField(child=serializers.CharField())
    rating = serializers.IntegerField(allow_null=True)
    created_at = UTCDateTimeField()


class AiThreadOut(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    language = serializers.CharField()
    support_ticket = serializers.UUIDField(allow_null=True)
    last_message_at = UTCDateTimeField(allow_null=True)


class AiThreadDetailOut(AiThreadOut):
    messages = AiMessageOut(many=True)


class AiAnswerOut(serializers.Serializer):
    thread = AiThreadOut()
    question = AiMessageOut()
    answer = AiMessageOut()
    action = AiActionOut(allow_null=True)


class AiVoiceOut(AiAnswerOut):
    transcript = serializers.CharField()
    audio = serializers.CharField(allow_null=True, help_text=_("The spoken answer, base64"))
    audio_type = serializers.CharField(allow_null=True)
