import graphene

from apps.core.graphql.types import FieldError, PublicIdField, UTCDateTime

from ..phones import mask_phone


class UserType(graphene.ObjectType):
    class Meta:
        name = "IdentityUser"

    id = PublicIdField()
    phone = graphene.String()
    full_name = graphene.String(required=True)
    email = graphene.String(required=True)
    preferred_language = graphene.String(required=True)
    avatar_url = graphene.String()
    status = graphene.String(required=True)

    @staticmethod
    def resolve_phone(user, info):
        return str(user.phone) if user.phone else None

    @staticmethod
    def resolve_avatar_url(user, info):
        return info.context.build_absolute_uri(user.avatar.url) if user.avatar else None


class OrganizationType(graphene.ObjectType):
    class Meta:
        name = "Organization"

    id = PublicIdField()
    name = graphene.String(required=True)
    kind = graphene.String(required=True)
    country = graphene.String(required=True)
    city = graphene.String(required=True)
    address = graphene.String(required=True)
    phone = graphene.String(required=True)
    email = graphene.String(required=True)
    my_role = graphene.String()
    currencies = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="ISO 4217 codes the organization takes money in, its own first.",
    )

    @staticmethod
    def resolve_currencies(org, info):
        return list(org.currencies or ())

    @staticmethod
    def resolve_phone(org, info):
        return str(org.phone or "")

    @staticmethod
    def resolve_my_role(org, info):
        return getattr(org, "my_role", None)


class MemberUserType(graphene.ObjectType):
    class Meta:
        name = "MemberUser"

    id = PublicIdField()
    full_name = graphene.String(required=True)
    phone = graphene.String(description="Full number for owners and managers, masked for others")

    @staticmethod
    def resolve_phone(user, info):
        if not user.phone:
            return None
        return (
            str(user.phone)
            if getattr(info.context, "identity_show_phones", False)
            else mask_phone(user.phone)
        )


class MembershipType(graphene.ObjectType):
    class Meta:
        name = "Membership"

    id = PublicIdField()
    role = graphene.String(required=True)
    user = graphene.Field(MemberUserType, required=True)
    joined_at = UTCDateTime(required=True)

    @staticmethod
    def resolve_joined_at(membership, info):
        return membership.created_at


class InvitationType(graphene.ObjectType):
    class Meta:
        name = "Invitation"

    id = PublicIdField()
    phone = graphene.String(required=True)
    role = graphene.String(required=True)
    status = graphene.String(required=True)
    expires_at = UTCDateTime(required=True)

    @staticmethod
    def resolve_phone(invitation, info):
        return str(invitation.phone)


class TokenPairType(graphene.ObjectType):
    class Meta:
        name = "TokenPair"

    token_type = graphene.String(required=True, default_value="Bearer")
    access_token = graphene.String(required=True)
    expires_in = graphene.Int(required=True)
    refresh_token = graphene.String(required=True)
    refresh_expires_at = UTCDateTime(required=True)
    user = graphene.Field(UserType, required=True)
    created = graphene.Boolean()


# --- mutation payloads (several are shared by more than one mutation; the apps' fragments
# name them, so they keep their names) -------------------------------------------------------


class Payload(graphene.ObjectType):
    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class OtpSentPayload(Payload):
    expires_in = graphene.Int()
    resend_after = graphene.Int()
    retry_after = graphene.Int(description="Seconds to wait when refused with a rate limit")


class TokenPayload(Payload):
    tokens = graphene.Field(TokenPairType)


class MePayload(Payload):
    user = graphene.Field(UserType)


class OrganizationPayload(Payload):
    organization = graphene.Field(OrganizationType)


class InvitationPayload(Payload):
    invitation = graphene.Field(InvitationType)


class InvitationCodePayload(OtpSentPayload):
    phone_hint = graphene.String()
    organization_name = graphene.String()
    role = graphene.String()


class MembershipPayload(Payload):
    membership = graphene.Field(MembershipType)


class StepUpChallengePayload(Payload):
    challenge_id = graphene.String()
    expires_at = UTCDateTime()
    phone_hint = graphene.String()
    retry_after = graphene.Int()
    method = graphene.String(description="sms | totp | passkey: how to answer the challenge")
    webauthn_options = graphene.JSONString(
        description="For a passkey: options for navigator.credentials.get()"
    )


class StepUpProofPayload(Payload):
    step_up_token = graphene.String()
    expires_at = UTCDateTime()


# --- second factor (issue 16) ---------------------------------------------------------------


class SecondFactorType(graphene.ObjectType):
    class Meta:
        name = "IdentitySecondFactor"

    id = graphene.String(required=True, description='"totp:<n>" or "passkey:<uuid>"')
    kind = graphene.String(required=True, description="totp | passkey")
    name = graphene.String(required=True)
    confirmed = graphene.Boolean(required=True)
    created_at = UTCDateTime()
    last_used_at = UTCDateTime()


class SecurityType(graphene.ObjectType):
    class Meta:
        name = "IdentitySecurity"

    factors = graphene.List(graphene.NonNull(SecondFactorType), required=True)
    must_enrol = graphene.Boolean(required=True, description="Owners and accountants must enrol")
    recovery_codes_left = graphene.Int(required=True)
    held_until = UTCDateTime(description="SIM-swap hold: payouts possible from then")


class TotpEnrolmentPayload(Payload):
    device_id = graphene.String()
    secret = graphene.String()
    otpauth_uri = graphene.String()
    qr_svg = graphene.String(description="The QR code, an SVG data URI")


class RecoveryCodesPayload(Payload):
    recovery_codes = graphene.List(graphene.NonNull(graphene.String))
    retry_after = graphene.Int()


class PasskeyOptionsPayload(Payload):
    options = graphene.JSONString()


class PasskeyPayload(Payload):
    factor = graphene.Field(SecondFactorType)
    recovery_codes = graphene.List(graphene.NonNull(graphene.String))
