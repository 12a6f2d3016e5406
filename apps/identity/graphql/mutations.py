"""IdentityMutations: sign-up and login with a code, tokens, my profile and closing my
account, organizations, members, invitations, step-up.

Every mutation is a HokweMutation (typed errors in the payload). Two identity specifics:
- the payloads keep their own names (`TokenPayload`, `OtpSentPayload`…, types.py), several
  shared by more than one mutation, because the apps' fragments use them;
- the code and token flows (`_CodeMutation`) do not run in one transaction: their refusals
  keep what the services wrote before refusing (a wrong code stays in the security audit
  log, a reused refresh token has revoked its whole session family), as the REST views do,
  and a rate-limited refusal also says when to try again (`retryAfter`).
"""

import json

import graphene
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.graphql.mutations import HokweMutation, current_user, unauthenticated_errors
from apps.core.graphql.types import Amount, errors_from

from .. import selectors
from ..errors import RetryLater
from ..services import organizations as org_services
from ..services import protection, second_factor, step_up, tokens, users
from .types import (
    InvitationCodePayload,
    InvitationPayload,
    MembershipPayload,
    MePayload,
    OrganizationPayload,
    OtpSentPayload,
    PasskeyOptionsPayload,
    PasskeyPayload,
    Payload,
    RecoveryCodesPayload,
    StepUpChallengePayload,
    StepUpProofPayload,
    TokenPairType,
    TokenPayload,
    TotpEnrolmentPayload,
)


class _CodeMutation(HokweMutation):
    """Public by default; refusals are not rolled back (see the module's docstring)."""

    login_required = False

    class Meta:
        abstract = True

    @classmethod
    def mutate(cls, root, info, **arguments):
        user = current_user(info)
        if cls.login_required and user is None:
            return cls.payload(ok=False, errors=unauthenticated_errors())
        try:
            payload = cls.perform(info, user, **arguments) or {}
        except DomainError as exc:
            wait = {}
            if isinstance(exc, RetryLater) and "retry_after" in cls._meta.output._meta.fields:
                wait = {"retry_after": exc.retry_after}
            return cls.payload(ok=False, errors=errors_from(exc), **wait)
        return cls.payload(ok=True, errors=[], **payload)


def _pair(pair, created=None):
    return TokenPairType(
        access_token=pair.access_token,
        expires_in=pair.expires_in,
        refresh_token=pair.refresh_token,
        refresh_expires_at=pair.refresh_expires_at,
        user=pair.user,
        created=created,
    )


def _sent(sent) -> dict:
    return {"expires_in": sent.expires_in, "resend_after": sent.resend_after}


# --- sign-up, login, tokens --------------------------------------------------------------------


class Register(_CodeMutation):
    class Arguments:
        phone = graphene.String(required=True)
        full_name = graphene.String(required=True)
        preferred_language = graphene.String()

    Output = OtpSentPayload

    @classmethod
    def perform(cls, info, user, *, phone, full_name, preferred_language=None):
        return _sent(
            users.registration_code_request(
                phone=phone, full_name=full_name, preferred_language=preferred_language
            )
        )


class RequestOtp(_CodeMutation):
    class Arguments:
        phone = graphene.String(required=True)
        preferred_language = graphene.String()

    Output = OtpSentPayload

    @classmethod
    def perform(cls, info, user, *, phone, preferred_language=None):
        return _sent(users.login_code_request(phone=phone, language=preferred_language))


class VerifyOtp(_CodeMutation):
    class Arguments:
        phone = graphene.String(required=True)
        code = graphene.String(required=True)

    Output = TokenPayload

    @classmethod
    def perform(cls, info, user, *, phone, code):
        pair, created = users.login_with_code(phone=phone, code=code)
        return {"tokens": _pair(pair, created)}


class RefreshToken(_CodeMutation):
    class Arguments:
        refresh_token = graphene.String(required=True)

    Output = TokenPayload

    @classmethod
    def perform(cls, info, user, *, refresh_token):
        return {"tokens": _pair(tokens.tokens_refresh(refresh_token=refresh_token))}


class Logout(HokweMutation):
    """End one login session (by its refresh token; no access token needed)."""

    login_required = False

    class Arguments:
        refresh_token = graphene.String(required=True)

    Output = Payload

    @classmethod
    def perform(cls, info, user, *, refresh_token):
        tokens.tokens_logout(refresh_token=refresh_token, actor=user)


class LogoutAll(HokweMutation):
    Output = Payload

    @classmethod
    def perform(cls, info, user):
        tokens.tokens_logout_all(user=user)


# --- my profile ----------------------------------------------------------------------------------


class UpdateMe(HokweMutation):
    class Arguments:
        full_name = graphene.String()
        email = graphene.String()
        preferred_language = graphene.String()

    Output = MePayload

    @classmethod
    def perform(cls, info, user, **changes):
        if changes.get("preferred_language") not in (None, "fr", "en"):
            raise ValidationError(
                {"preferredLanguage": ValidationError(_("Unknown language."), code="invalid_choice")}
            )
        if changes.get("email"):
            try:
                validate_email(changes["email"])
            except ValidationError as exc:
                raise ValidationError({"email": ValidationError(exc.messages[0], code="invalid")}) from None
        return {"user": users.user_update_profile(actor=user, user=user, **changes)}


class CloseAccount(HokweMutation):
    """Close my own account: personal data anonymised, every session ended, memberships
    ended (the rows stay for the records). Needs `stepUpToken`, as POST
    /api/v1/identity/me/close: start a step-up with action "identity.user.close" and target
    my user id, then verify it. The last owner of a team is refused (`last_owner`)."""

    class Arguments:
        step_up_token = graphene.String()

    Output = Payload

    @classmethod
    def perform(cls, info, user, *, step_up_token=None):
        step_up.require_step_up(
            actor=user, action="identity.user.close", target=str(user.public_id), token=step_up_token
        )
        users.user_close(actor=user, user=user)


# --- organizations, members, invitations ---------------------------------------------------------


class CreateOrganization(HokweMutation):
    class Arguments:
        name = graphene.String(required=True)
        kind = graphene.String(required=True)
        city = graphene.String()
        address = graphene.String()
        phone = graphene.String()
        email = graphene.String()

    Output = OrganizationPayload

    @classmethod
    def perform(cls, info, user, **data):
        org = org_services.organization_create(actor=user, **data)
        return {"organization": selectors.organization_get(user, org.public_id)}


class UpdateOrganization(HokweMutation):
    class Arguments:
        id = graphene.UUID(required=True)
        name = graphene.String()
        city = graphene.String()
        address = graphene.String()
        phone = graphene.String()
        email = graphene.String()

    Output = OrganizationPayload

    @classmethod
    def perform(cls, info, user, *, id, **changes):
        org = selectors.organization_get(user, id)
        org_services.organization_update(actor=user, organization=org, **changes)
        return {"organization": selectors.organization_get(user, id)}


class InviteMember(HokweMutation):
    class Arguments:
        organization_id = graphene.UUID(required=True)
        phone = graphene.String(required=True)
        role = graphene.String(required=True)

    Output = InvitationPayload

    @classmethod
    def perform(cls, info, user, *, organization_id, phone, role):
        org = selectors.organization_get(user, organization_id)
        invitation, _link = org_services.member_invite(
            actor=user,
            organization=org,
            phone=phone,
            role=role,
            link_base=info.context.build_absolute_uri(reverse("manager:identity_invitation_start")),
        )
        return {"invitation": invitation}


class RevokeInvitation(HokweMutation):
    """Revoke a pending invitation (owners and managers); its link stops working."""

    class Arguments:
        organization_id = graphene.UUID(required=True)
        invitation_id = graphene.UUID(required=True)

    Output = InvitationPayload

    @classmethod
    def perform(cls, info, user, *, organization_id, invitation_id):
        org = selectors.organization_get(user, organization_id)
        invitation = selectors.invitation_get(user, org, invitation_id)
        org_services.invitation_revoke(actor=user, invitation=invitation)
        invitation.refresh_from_db()
        return {"invitation": invitation}


class RequestInvitationCode(_CodeMutation):
    class Arguments:
        token = graphene.String(required=True)

    Output = InvitationCodePayload

    @classmethod
    def perform(cls, info, user, *, token):
        invitation = org_services.invitation_by_token(token)
        sent, hint = org_services.invitation_code_request(token=token)
        return {
            **_sent(sent),
            "phone_hint": hint,
            "organization_name": invitation.organization.name,
            "role": invitation.role,
        }


class AcceptInvitation(_CodeMutation):
    class Arguments:
        token = graphene.String(required=True)
        code = graphene.String(required=True)
        full_name = graphene.String()

    Output = TokenPayload

    @classmethod
    def perform(cls, info, user, *, token, code, full_name=""):
        _membership, pair = org_services.invitation_accept(token=token, code=code, full_name=full_name or "")
        return {"tokens": _pair(pair)}


class ChangeMemberRole(HokweMutation):
    """Needs `stepUpToken`: start a step-up with action "identity.member.change_role" and
    target "membership:<member id>:role:<new role>", then verify it."""

    class Arguments:
        organization_id = graphene.UUID(required=True)
        member_id = graphene.UUID(required=True)
        role = graphene.String(required=True)
        step_up_token = graphene.String()

    Output = MembershipPayload

    @classmethod
    def perform(cls, info, user, *, organization_id, member_id, role, step_up_token=None):
        org = selectors.organization_get(user, organization_id)
        membership = selectors.membership_get(user, org, member_id)
        membership = org_services.membership_change_role(
            actor=user, membership=membership, role=role, step_up_token=step_up_token
        )
        return {"membership": membership}


class RemoveMember(HokweMutation):
    class Arguments:
        organization_id = graphene.UUID(required=True)
        member_id = graphene.UUID(required=True)

    Output = Payload

    @classmethod
    def perform(cls, info, user, *, organization_id, member_id):
        org = selectors.organization_get(user, organization_id)
        membership = selectors.membership_get(user, org, member_id)
        org_services.membership_remove(actor=user, membership=membership)


# --- step-up -------------------------------------------------------------------------------------


class StartStepUp(_CodeMutation):
    login_required = True

    class Arguments:
        action = graphene.String(required=True)
        target = graphene.String(required=True)
        amount = Amount(description="Minor units")
        currency = graphene.String()
        method = graphene.String(description="totp | passkey: the strong factor, when the user has both")

    Output = StepUpChallengePayload

    @classmethod
    def perform(cls, info, user, *, action, target, amount=None, currency=None, method=None):
        challenge = step_up.step_up_start(
            actor=user, action=action, target=target, amount=amount, currency=currency, method=method
        )
        return {
            "challenge_id": challenge.challenge_id,
            "expires_at": challenge.expires_at,
            "phone_hint": challenge.phone_hint,
            "method": challenge.method,
            "webauthn_options": json.loads(challenge.webauthn_options)
            if challenge.webauthn_options
            else None,
        }


class VerifyStepUp(_CodeMutation):
    login_required = True

    class Arguments:
        challenge_id = graphene.String(required=True)
        code = graphene.String(description="SMS, TOTP or recovery code")
        credential = graphene.JSONString(description="A passkey's assertion (PublicKeyCredential JSON)")

    Output = StepUpProofPayload

    @classmethod
    def perform(cls, info, user, *, challenge_id, code="", credential=None):
        proof = step_up.step_up_verify(
            actor=user, challenge_id=challenge_id, code=code or "", credential=credential
        )
        return {"step_up_token": proof.token, "expires_at": proof.expires_at}


# --- second factor and phone number (issue 16) ------------------------------------------------


class StartTotpEnrolment(HokweMutation):
    """= POST /api/v1/identity/me/totp: a pending authenticator app (secret, otpauth URI, QR)."""

    class Arguments:
        name = graphene.String()

    Output = TotpEnrolmentPayload

    @classmethod
    def perform(cls, info, user, *, name=""):
        enrolment = second_factor.totp_start(actor=user, name=name or "")
        return {
            "device_id": enrolment.device_id,
            "secret": enrolment.secret,
            "otpauth_uri": enrolment.otpauth_uri,
            "qr_svg": enrolment.qr_svg,
        }


class ConfirmTotpEnrolment(_CodeMutation):
    """= POST /api/v1/identity/me/totp/confirm: the app's first code; recovery codes once."""

    login_required = True

    class Arguments:
        device_id = graphene.String(required=True)
        code = graphene.String(required=True)

    Output = RecoveryCodesPayload

    @classmethod
    def perform(cls, info, user, *, device_id, code):
        return {"recovery_codes": second_factor.totp_confirm(actor=user, device_id=device_id, code=code)}


class RemoveSecondFactor(HokweMutation):
    """= DELETE /api/v1/identity/me/second-factors/<id>: needs a strong step-up (action
    identity.second_factor.remove, target the factor's id)."""

    class Arguments:
        factor_id = graphene.String(required=True)
        step_up_token = graphene.String()

    Output = Payload

    @classmethod
    def perform(cls, info, user, *, factor_id, step_up_token=None):
        second_factor.second_factor_remove(actor=user, device_id=factor_id, step_up_token=step_up_token)


class CreateRecoveryCodes(HokweMutation):
    """= POST /api/v1/identity/me/recovery-codes (strong step-up, action
    identity.recovery_codes.create, target my user id)."""

    class Arguments:
        step_up_token = graphene.String()

    Output = RecoveryCodesPayload

    @classmethod
    def perform(cls, info, user, *, step_up_token=None):
        return {
            "recovery_codes": second_factor.recovery_codes_create(actor=user, step_up_token=step_up_token)
        }


class StartPasskeyRegistration(HokweMutation):
    """= POST /api/v1/identity/me/passkeys/options."""

    Output = PasskeyOptionsPayload

    @classmethod
    def perform(cls, info, user):
        return {"options": json.loads(second_factor.passkey_registration_options(actor=user))}


class RegisterPasskey(HokweMutation):
    """= POST /api/v1/identity/me/passkeys: the authenticator's attestation."""

    class Arguments:
        credential = graphene.JSONString(required=True)
        name = graphene.String()

    Output = PasskeyPayload

    @classmethod
    def perform(cls, info, user, *, credential, name=""):
        passkey = second_factor.passkey_register(actor=user, credential=credential, name=name or "")
        factor = next(f for f in second_factor.factors_of(user) if f.id == f"passkey:{passkey.public_id}")
        return {"factor": factor, "recovery_codes": getattr(passkey, "recovery_codes", [])}


class RequestPhoneChange(_CodeMutation):
    """= POST /api/v1/identity/me/phone: a code to the NEW number."""

    login_required = True

    class Arguments:
        phone = graphene.String(required=True)

    Output = OtpSentPayload

    @classmethod
    def perform(cls, info, user, *, phone):
        sent = protection.phone_change_request(actor=user, phone=phone)
        return {"expires_in": sent.expires_in, "resend_after": sent.resend_after}


class ConfirmPhoneChange(_CodeMutation):
    """= POST /api/v1/identity/me/phone/confirm: the number changes; payouts are held 72 h
    and the OLD number and the e-mail are told."""

    login_required = True

    class Arguments:
        phone = graphene.String(required=True)
        code = graphene.String(required=True)

    Output = MePayload

    @classmethod
    def perform(cls, info, user, *, phone, code):
        return {"user": protection.phone_change_confirm(actor=user, phone=phone, code=code)}


class IdentityMutations(graphene.ObjectType):
    identity_register = Register.Field()
    identity_request_otp = RequestOtp.Field()
    identity_verify_otp = VerifyOtp.Field()
    identity_refresh_token = RefreshToken.Field()
    identity_logout = Logout.Field()
    identity_logout_all = LogoutAll.Field()
    identity_update_me = UpdateMe.Field()
    identity_close_account = CloseAccount.Field()
    identity_create_organization = CreateOrganization.Field()
    identity_update_organization = UpdateOrganization.Field()
    identity_invite_member = InviteMember.Field()
    identity_revoke_invitation = RevokeInvitation.Field()
    identity_request_invitation_code = RequestInvitationCode.Field()
    identity_accept_invitation = AcceptInvitation.Field()
    identity_change_member_role = ChangeMemberRole.Field()
    identity_remove_member = RemoveMember.Field()
    identity_start_step_up = StartStepUp.Field()
    identity_verify_step_up = VerifyStepUp.Field()
    # second factor and phone number (issue 16)
    identity_start_totp_enrolment = StartTotpEnrolment.Field()
    identity_confirm_totp_enrolment = ConfirmTotpEnrolment.Field()
    identity_remove_second_factor = RemoveSecondFactor.Field()
    identity_create_recovery_codes = CreateRecoveryCodes.Field()
    identity_start_passkey_registration = StartPasskeyRegistration.Field()
    identity_register_passkey = RegisterPasskey.Field()
    identity_request_phone_change = RequestPhoneChange.Field()
    identity_confirm_phone_change = ConfirmPhoneChange.Field()

    # the names before the module prefix (docs/api.md, "GraphQL naming")
    register = Register.Field(deprecation_reason="Use identityRegister.")
    request_otp = RequestOtp.Field(deprecation_reason="Use identityRequestOtp.")
    verify_otp = VerifyOtp.Field(deprecation_reason="Use identityVerifyOtp.")
    refresh_token = RefreshToken.Field(deprecation_reason="Use identityRefreshToken.")
    logout = Logout.Field(deprecation_reason="Use identityLogout.")
    logout_all = LogoutAll.Field(deprecation_reason="Use identityLogoutAll.")
    update_me = UpdateMe.Field(deprecation_reason="Use identityUpdateMe.")
    create_organization = CreateOrganization.Field(deprecation_reason="Use identityCreateOrganization.")
    update_organization = UpdateOrganization.Field(deprecation_reason="Use identityUpdateOrganization.")
    invite_member = InviteMember.Field(deprecation_reason="Use identityInviteMember.")
    request_invitation_code = RequestInvitationCode.Field(
        deprecation_reason="Use identityRequestInvitationCode."
    )
    accept_invitation = AcceptInvitation.Field(deprecation_reason="Use identityAcceptInvitation.")
    change_member_role = ChangeMemberRole.Field(deprecation_reason="Use identityChangeMemberRole.")
    remove_member = RemoveMember.Field(deprecation_reason="Use identityRemoveMember.")
    start_step_up = StartStepUp.Field(deprecation_reason="Use identityStartStepUp.")
    verify_step_up = VerifyStepUp.Field(deprecation_reason="Use identityVerifyStepUp.")
