from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import AmountField, StrictSerializer, UTCDateTimeField

from ..contracts import OrgKind, OrgRole
from ..models import Language
from ..phones import InvalidPhone, mask_phone, normalize_phone

ROLE_CHOICES = [(r.value, r.value) for r in OrgRole]
KIND_CHOICES = [(k.value, k.value) for k in OrgKind]
LANGUAGE_CHOICES = Language.choices


class PhoneField(serializers.CharField):
    """Any common writing of a phone number -> E.164; a translated field error otherwise."""

    default_error_messages = {"invalid_phone": InvalidPhone.default_message}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("help_text", _("Phone number, e.g. +229 01 97 00 00 01"))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            return normalize_phone(text)
        except InvalidPhone:
            self.fail("invalid_phone")


class CodeField(serializers.RegexField):
    def __init__(self, **kwargs):
        super().__init__(
            r"^\d{6}$",
            error_messages={"invalid": _("The code has 6 digits.")},
            help_text=_("The 6-digit code received by SMS"),
            **kwargs,
        )


class OtpRequestSerializer(StrictSerializer):
    phone = PhoneField()
    preferred_language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)


class RegisterSerializer(StrictSerializer):
    phone = PhoneField()
    full_name = serializers.CharField(max_length=150, min_length=2)
    preferred_language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)


class OtpSentSerializer(serializers.Serializer):
    expires_in = serializers.IntegerField(help_text=_("Seconds the code stays valid"))
    resend_after = serializers.IntegerField(help_text=_("Seconds before a new code may be asked"))


class OtpVerifySerializer(StrictSerializer):
    phone = PhoneField()
    code = CodeField()


class RefreshSerializer(StrictSerializer):
    refresh_token = serializers.CharField(max_length=200)


class LogoutSerializer(StrictSerializer):
    refresh_token = serializers.CharField(max_length=200, required=False)


class UserSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    phone = serializers.CharField(allow_null=True)
    full_name = serializers.CharField()
    email = serializers.CharField()
    preferred_language = serializers.CharField()
    avatar_url = serializers.SerializerMethodField()
    status = serializers.CharField()
    created_at = UTCDateTimeField()

    def get_avatar_url(self, user) -> str | None:
        if not user.avatar:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(user.avatar.url) if request else user.avatar.url


class TokenPairSerializer(serializers.Serializer):
    token_type = serializers.CharField(default="Bearer")
    access_token = serializers.CharField()
    expires_in = serializers.IntegerField()
    refresh_token = serializers.CharField()
    refresh_expires_at = UTCDateTimeField()
    user = UserSerializer()
    created = serializers.BooleanField(required=False)


def token_pair_data(pair, *, request, created: bool | None = None) -> dict:
    data = {
        "token_type": "Bearer",
        "access_token": pair.access_token,
        "expires_in": pair.expires_in,
        "refresh_token": pair.refresh_token,
        "refresh_expires_at": UTCDateTimeField().to_representation(pair.refresh_expires_at),
        "user": UserSerializer(pair.user, context={"request": request}).data,
    }
    if created is not None:
        data["created"] = created
    return data


class MeUpdateSerializer(StrictSerializer):
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    preferred_language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)
    avatar = serializers.ImageField(required=False)
    remove_avatar = serializers.BooleanField(required=False, default=False)

    def validate_avatar(self, value):
        if value.size > 2 * 1024 * 1024:
            raise serializers.ValidationError(_("The picture is too large (2 MB at most)."), code="too_large")
        return value


class CloseAccountSerializer(StrictSerializer):
    step_up_token = serializers.CharField(max_length=200)


class OrganizationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    kind = serializers.CharField()
    country = serializers.CharField()
    city = serializers.CharField()
    address = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    my_role = serializers.CharField(allow_null=True)
    currencies = serializers.ListField(child=serializers.CharField(), read_only=True)
    created_at = UTCDateTimeField()


class OrganizationWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200, min_length=2)
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False, default="BJ")
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    phone = PhoneField(required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class OrganizationUpdateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200, min_length=2, required=False)
    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    phone = PhoneField(required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)


class MemberUserSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    full_name = serializers.CharField()
    phone = serializers.SerializerMethodField()

    def get_phone(self, user) -> str | None:
        if not user.phone:
            return None
        return str(user.phone) if self.context.get("show_phones") else mask_phone(user.phone)


class MemberSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    role = serializers.CharField()
    user = MemberUserSerializer()
    joined_at = UTCDateTimeField(source="created_at")


class MemberRoleSerializer(StrictSerializer):
    role = serializers.ChoiceField(choices=ROLE_CHOICES)
    step_up_token = serializers.CharField(
        max_length=200, required=False, help_text=_("Proof of the step-up OTP for this change")
    )


class InvitationCreateSerializer(StrictSerializer):
    phone = PhoneField()
    role = serializers.ChoiceField(choices=ROLE_CHOICES)


class InvitationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    phone = serializers.CharField()
    role = serializers.CharField()
    status = serializers.CharField()
    expires_at = UTCDateTimeField()
    created_at = UTCDateTimeField()


class InvitationTokenSerializer(StrictSerializer):
    token = serializers.CharField(max_length=100)


class InvitationAcceptSerializer(StrictSerializer):
    token = serializers.CharField(max_length=100)
    code = CodeField()
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


class InvitationCodeSentSerializer(OtpSentSerializer):
    phone_hint = serializers.CharField()
    organization_name = serializers.CharField()
    role = serializers.CharField()


class StepUpStartSerializer(StrictSerializer):
    action = serializers.RegexField(r"^[a-z_]+\.[a-z_]+\.[a-z_]+$", max_length=100)
    target = serializers.CharField(max_length=200)
    amount = AmountField(required=False, min_value=0, help_text=_("Minor units"))
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False)
    method = serializers.ChoiceField(
        choices=["totp", "passkey"],
        required=False,
        help_text=_("For a money action, the strong factor to use when the user has both."),
    )


class StepUpChallengeSerializer(serializers.Serializer):
    challenge_id = serializers.CharField()
    expires_at = UTCDateTimeField()
    phone_hint = serializers.CharField(
        help_text=_("The masked phone the SMS went to (empty for TOTP/passkey).")
    )
    method = serializers.CharField(help_text="sms | totp | passkey")
    webauthn_options = serializers.JSONField(
        allow_null=True, help_text=_("For a passkey: the options for navigator.credentials.get().")
    )

    def to_representation(self, instance):
        import json

        data = super().to_representation(instance)
        data["webauthn_options"] = (
            json.loads(instance.webauthn_options) if instance.webauthn_options else None
        )
        return data


class StepUpVerifySerializer(StrictSerializer):
    challenge_id = serializers.CharField(max_length=100)
    code = serializers.CharField(
        max_length=16, required=False, default="", help_text=_("SMS, TOTP or recovery code")
    )
    credential = serializers.JSONField(
        required=False, help_text=_("A passkey's assertion (PublicKeyCredential JSON).")
    )


class StepUpProofSerializer(serializers.Serializer):
    step_up_token = serializers.CharField(source="token")
    expires_at = UTCDateTimeField()


def paginated(item_serializer, name: str):
    """The OpenAPI shape of a cursor-paginated list of `item_serializer`."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item_serializer(many=True),
        },
    )


OrganizationPage = paginated(OrganizationSerializer, "OrganizationPage")
MemberPage = paginated(MemberSerializer, "MemberPage")
InvitationPage = paginated(InvitationSerializer, "InvitationPage")


# --- second factor (issue 16) -------------------------------------------------------------


class SecondFactorSerializer(serializers.Serializer):
    id = serializers.CharField(help_text='"totp:<n>" or "passkey:<uuid>"')
    kind = serializers.CharField(help_text="totp | passkey")
    name = serializers.CharField()
    confirmed = serializers.BooleanField()
    created_at = UTCDateTimeField(allow_null=True)
    last_used_at = UTCDateTimeField(allow_null=True)


class SecurityStatusSerializer(serializers.Serializer):
    factors = SecondFactorSerializer(many=True)
    must_enrol = serializers.BooleanField(help_text=_("Owners and accountants must enrol a strong factor."))
    recovery_codes_left = serializers.IntegerField()
    held_until = UTCDateTimeField(allow_null=True, help_text=_("SIM-swap hold: payouts possible from then."))


class TotpStartSerializer(StrictSerializer):
    name = serializers.CharField(max_length=64, required=False, default="")


class TotpEnrolmentSerializer(serializers.Serializer):
    device_id = serializers.CharField()
    secret = serializers.CharField()
    otpauth_uri = serializers.CharField()
    qr_svg = serializers.CharField(help_text=_("The QR code, an SVG data URI"))


class TotpConfirmSerializer(StrictSerializer):
    device_id = serializers.CharField(max_length=80)
    code = CodeField()


class RecoveryCodesSerializer(serializers.Serializer):
    recovery_codes = serializers.ListField(child=serializers.CharField(), help_text=_("Shown once"))


class StepUpTokenSerializer(StrictSerializer):
    step_up_token = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PasskeyOptionsSerializer(serializers.Serializer):
    options = serializers.JSONField()


class PasskeyRegisterSerializer(StrictSerializer):
    credential = serializers.JSONField()
    name = serializers.CharField(max_length=64, required=False, default="")


class PasskeyCreatedSerializer(serializers.Serializer):
    factor = SecondFactorSerializer()
    recovery_codes = serializers.ListField(child=serializers.CharField())


class PhoneChangeRequestSerializer(StrictSerializer):
    phone = PhoneField()


class PhoneChangeConfirmSerializer(StrictSerializer):
    phone = PhoneField()
    code = CodeField()
