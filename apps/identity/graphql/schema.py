"""GraphQL: IdentityQueries / IdentityMutations (merged into the root schema).

Mutations return `{ok, errors, ...}`: typed, translated errors in the payload (never an
exception for bad input). Queries on objects the user may not see return null (the same
answer as for an object that does not exist)."""

import graphene
from django.urls import reverse

from apps.core.errors import DomainError, NotFound
from apps.core.graphql.types import FieldError, errors_from

from .. import selectors
from ..errors import RetryLater
from ..policy import can
from ..services import organizations as org_services
from ..services import step_up, tokens, users
from .types import InvitationType, MembershipType, OrganizationType, TokenPairType, UserType


def _user(info):
    user = getattr(info.context, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _errors(exc: Exception) -> list[FieldError]:
    errors = errors_from(exc)
    if isinstance(exc, RetryLater):
        for error in errors:
            error.code = exc.code
    return errors


def _unauthenticated() -> list[FieldError]:
    from django.utils.translation import gettext as _

    return [FieldError(field=None, code="not_authenticated", message=_("Log in first."))]


def _pair(pair, created=None):
    return TokenPairType(
        access_token=pair.access_token,
        expires_in=pair.expires_in,
        refresh_token=pair.refresh_token,
        refresh_expires_at=pair.refresh_expires_at,
        user=pair.user,
        created=created,
    )


class IdentityQueries(graphene.ObjectType):
    me = graphene.Field(UserType, description="The logged-in user (null when anonymous)")
    my_organizations = graphene.List(graphene.NonNull(OrganizationType), required=True)
    organization = graphene.Field(OrganizationType, id=graphene.UUID(required=True))
    organization_members = graphene.List(
        graphene.NonNull(MembershipType), organization_id=graphene.UUID(required=True), required=True
    )
    organization_invitations = graphene.List(
        graphene.NonNull(InvitationType), organization_id=graphene.UUID(required=True), required=True
    )

    def resolve_me(root, info):
        return _user(info)

    def resolve_my_organizations(root, info):
        user = _user(info)
        return list(selectors.organizations_of(user).order_by("name")) if user else []

    def resolve_organization(root, info, id):
        try:
            return selectors.organization_get(_user(info), id)
        except NotFound:
            return None

    def resolve_organization_members(root, info, organization_id):
        user = _user(info)
        try:
            org = selectors.organization_get(user, organization_id)
        except NotFound:
            return []
        info.context.identity_show_phones = can(user, "identity.member.invite", org)
        return list(selectors.members_of(user, org).order_by("created_at"))

    def resolve_organization_invitations(root, info, organization_id):
        user = _user(info)
        try:
            org = selectors.organization_get(user, organization_id)
        except NotFound:
            return []
        return list(selectors.invitations_of(user, org).order_by("-created_at"))


class Payload(graphene.ObjectType):
    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class OtpSentPayload(Payload):
    expires_in = graphene.Int()
    resend_after = graphene.Int()
    retry_after = graphene.Int(description="Seconds to wait when refused with a rate limit")


class TokenPayload(Payload):
    tokens = graphene.Field(TokenPairType)


def _otp_sent(call):
    try:
        sent = call()
    except RetryLater as exc:
        return OtpSentPayload(ok=False, errors=_errors(exc), retry_after=exc.retry_after)
    except DomainError as exc:
        return OtpSentPayload(ok=False, errors=_errors(exc))
    return OtpSentPayload(ok=True, errors=[], expires_in=sent.expires_in, resend_after=sent.resend_after)


class Register(graphene.Mutation):
    class Arguments:
        phone = graphene.String(required=True)
        full_name = graphene.String(required=True)
        preferred_language = graphene.String()

    Output = OtpSentPayload

    def mutate(root, info, phone, full_name, preferred_language=None):
        return _otp_sent(
            lambda: users.registration_code_request(
                phone=phone, full_name=full_name, preferred_language=preferred_language
            )
        )


class RequestOtp(graphene.Mutation):
    class Arguments:
        phone = graphene.String(required=True)
        preferred_language = graphene.String()

    Output = OtpSentPayload

    def mutate(root, info, phone, preferred_language=None):
        return _otp_sent(lambda: users.login_code_request(phone=phone, language=preferred_language))


class VerifyOtp(graphene.Mutation):
    class Arguments:
        phone = graphene.String(required=True)
        code = graphene.String(required=True)

    Output = TokenPayload

    def mutate(root, info, phone, code):
        try:
            pair, created = users.login_with_code(phone=phone, code=code)
        except DomainError as exc:
            return TokenPayload(ok=False, errors=_errors(exc))
        return TokenPayload(ok=True, errors=[], tokens=_pair(pair, created))


class RefreshToken(graphene.Mutation):
    class Arguments:
        refresh_token = graphene.String(required=True)

    Output = TokenPayload

    def mutate(root, info, refresh_token):
        try:
            pair = tokens.tokens_refresh(refresh_token=refresh_token)
        except DomainError as exc:
            return TokenPayload(ok=False, errors=_errors(exc))
        return TokenPayload(ok=True, errors=[], tokens=_pair(pair))


class Logout(graphene.Mutation):
    class Arguments:
        refresh_token = graphene.String(required=True)

    Output = Payload

    def mutate(root, info, refresh_token):
        try:
            tokens.tokens_logout(refresh_token=refresh_token, actor=_user(info))
        except DomainError as exc:
            return Payload(ok=False, errors=_errors(exc))
        return Payload(ok=True, errors=[])


class LogoutAll(graphene.Mutation):
    Output = Payload

    def mutate(root, info):
        user = _user(info)
        if user is None:
            return Payload(ok=False, errors=_unauthenticated())
        tokens.tokens_logout_all(user=user)
        return Payload(ok=True, errors=[])


class MePayload(Payload):
    user = graphene.Field(UserType)


class UpdateMe(graphene.Mutation):
    class Arguments:
        full_name = graphene.String()
        email = graphene.String()
        preferred_language = graphene.String()

    Output = MePayload

    def mutate(root, info, **changes):
        user = _user(info)
        if user is None:
            return MePayload(ok=False, errors=_unauthenticated())
        from django.core.validators import validate_email
        from django.utils.translation import gettext as _

        if changes.get("preferred_language") not in (None, "fr", "en"):
            return MePayload(
                ok=False,
                errors=[
                    FieldError(
                        field="preferredLanguage", code="invalid_choice", message=_("Unknown language.")
                    )
                ],
            )
        if changes.get("email"):
            try:
                validate_email(changes["email"])
            except Exception as exc:  # noqa: BLE001 -- ValidationError, reported as a field error
                return MePayload(
                    ok=False, errors=[FieldError(field="email", code="invalid", message=exc.messages[0])]
                )
        try:
            user = users.user_update_profile(actor=user, user=user, **changes)
        except DomainError as exc:
            return MePayload(ok=False, errors=_errors(exc))
        return MePayload(ok=True, errors=[], user=user)


class OrganizationPayload(Payload):
    organization = graphene.Field(OrganizationType)


class CreateOrganization(graphene.Mutation):
    class Arguments:
        name = graphene.String(required=True)
        kind = graphene.String(required=True)
        city = graphene.String()
        address = graphene.String()
        phone = graphene.String()
        email = graphene.String()

    Output = OrganizationPayload

    def mutate(root, info, **data):
        user = _user(info)
        if user is None:
            return OrganizationPayload(ok=False, errors=_unauthenticated())
        try:
            org = org_services.organization_create(actor=user, **data)
        except Exception as exc:  # noqa: BLE001 -- DomainError / ValidationError become typed errors
            return OrganizationPayload(ok=False, errors=_errors(exc))
        return OrganizationPayload(
            ok=True, errors=[], organization=selectors.organization_get(user, org.public_id)
        )


class UpdateOrganization(graphene.Mutation):
    class Arguments:
        id = graphene.UUID(required=True)
        name = graphene.String()
        city = graphene.String()
        address = graphene.String()
        phone = graphene.String()
        email = graphene.String()

    Output = OrganizationPayload

    def mutate(root, info, id, **changes):
        user = _user(info)
        if user is None:
            return OrganizationPayload(ok=False, errors=_unauthenticated())
        try:
            org = selectors.organization_get(user, id)
            org_services.organization_update(actor=user, organization=org, **changes)
        except Exception as exc:  # noqa: BLE001 -- DomainError / ValidationError become typed errors
            return OrganizationPayload(ok=False, errors=_errors(exc))
        return OrganizationPayload(ok=True, errors=[], organization=selectors.organization_get(user, id))


class InvitationPayload(Payload):
    invitation = graphene.Field(InvitationType)


class InviteMember(graphene.Mutation):
    class Arguments:
        organization_id = graphene.UUID(required=True)
        phone = graphene.String(required=True)
        role = graphene.String(required=True)

    Output = InvitationPayload

    def mutate(root, info, organization_id, phone, role):
        user = _user(info)
        if user is None:
            return InvitationPayload(ok=False, errors=_unauthenticated())
        try:
            org = selectors.organization_get(user, organization_id)
            invitation, _link = org_services.member_invite(
                actor=user,
                organization=org,
                phone=phone,
                role=role,
                link_base=info.context.build_absolute_uri(reverse("manager:identity_invitation_start")),
            )
        except DomainError as exc:
            return InvitationPayload(ok=False, errors=_errors(exc))
        return InvitationPayload(ok=True, errors=[], invitation=invitation)


class InvitationCodePayload(OtpSentPayload):
    phone_hint = graphene.String()
    organization_name = graphene.String()
    role = graphene.String()


class RequestInvitationCode(graphene.Mutation):
    class Arguments:
        token = graphene.String(required=True)

    Output = InvitationCodePayload

    def mutate(root, info, token):
        try:
            invitation = org_services.invitation_by_token(token)
            sent, hint = org_services.invitation_code_request(token=token)
        except RetryLater as exc:
            return InvitationCodePayload(ok=False, errors=_errors(exc), retry_after=exc.retry_after)
        except DomainError as exc:
            return InvitationCodePayload(ok=False, errors=_errors(exc))
        return InvitationCodePayload(
            ok=True,
            errors=[],
            expires_in=sent.expires_in,
            resend_after=sent.resend_after,
            phone_hint=hint,
            organization_name=invitation.organization.name,
            role=invitation.role,
        )


class AcceptInvitation(graphene.Mutation):
    class Arguments:
        token = graphene.String(required=True)
        code = graphene.String(required=True)
        full_name = graphene.String()

    Output = TokenPayload

    def mutate(root, info, token, code, full_name=""):
        try:
            _membership, pair = org_services.invitation_accept(
                token=token, code=code, full_name=full_name or ""
            )
        except DomainError as exc:
            return TokenPayload(ok=False, errors=_errors(exc))
        return TokenPayload(ok=True, errors=[], tokens=_pair(pair))


class MembershipPayload(Payload):
    membership = graphene.Field(MembershipType)


class ChangeMemberRole(graphene.Mutation):
    """Needs `stepUpToken`: start a step-up with action "identity.member.change_role" and
    target "membership:<member id>:role:<new role>", then verify it."""

    class Arguments:
        organization_id = graphene.UUID(required=True)
        member_id = graphene.UUID(required=True)
        role = graphene.String(required=True)
        step_up_token = graphene.String()

    Output = MembershipPayload

    def mutate(root, info, organization_id, member_id, role, step_up_token=None):
        user = _user(info)
        if user is None:
            return MembershipPayload(ok=False, errors=_unauthenticated())
        try:
            org = selectors.organization_get(user, organization_id)
            membership = selectors.membership_get(user, org, member_id)
            membership = org_services.membership_change_role(
                actor=user, membership=membership, role=role, step_up_token=step_up_token
            )
        except DomainError as exc:
            return MembershipPayload(ok=False, errors=_errors(exc))
        return MembershipPayload(ok=True, errors=[], membership=membership)


class RemoveMember(graphene.Mutation):
    class Arguments:
        organization_id = graphene.UUID(required=True)
        member_id = graphene.UUID(required=True)

    Output = Payload

    def mutate(root, info, organization_id, member_id):
        user = _user(info)
        if user is None:
            return Payload(ok=False, errors=_unauthenticated())
        try:
            org = selectors.organization_get(user, organization_id)
            membership = selectors.membership_get(user, org, member_id)
            org_services.membership_remove(actor=user, membership=membership)
        except DomainError as exc:
            return Payload(ok=False, errors=_errors(exc))
        return Payload(ok=True, errors=[])


class StepUpChallengePayload(Payload):
    challenge_id = graphene.String()
    expires_at = graphene.DateTime()
    phone_hint = graphene.String()
    retry_after = graphene.Int()


class StartStepUp(graphene.Mutation):
    class Arguments:
        action = graphene.String(required=True)
        target = graphene.String(required=True)
        amount = graphene.Int(description="Minor units")
        currency = graphene.String()

    Output = StepUpChallengePayload

    def mutate(root, info, action, target, amount=None, currency=None):
        user = _user(info)
        if user is None:
            return StepUpChallengePayload(ok=False, errors=_unauthenticated())
        try:
            challenge = step_up.step_up_start(
                actor=user, action=action, target=target, amount=amount, currency=currency
            )
        except RetryLater as exc:
            return StepUpChallengePayload(ok=False, errors=_errors(exc), retry_after=exc.retry_after)
        except DomainError as exc:
            return StepUpChallengePayload(ok=False, errors=_errors(exc))
        return StepUpChallengePayload(
            ok=True,
            errors=[],
            challenge_id=challenge.challenge_id,
            expires_at=challenge.expires_at,
            phone_hint=challenge.phone_hint,
        )


class StepUpProofPayload(Payload):
    step_up_token = graphene.String()
    expires_at = graphene.DateTime()


class VerifyStepUp(graphene.Mutation):
    class Arguments:
        challenge_id = graphene.String(required=True)
        code = graphene.String(required=True)

    Output = StepUpProofPayload

    def mutate(root, info, challenge_id, code):
        user = _user(info)
        if user is None:
            return StepUpProofPayload(ok=False, errors=_unauthenticated())
        try:
            proof = step_up.step_up_verify(actor=user, challenge_id=challenge_id, code=code)
        except DomainError as exc:
            return StepUpProofPayload(ok=False, errors=_errors(exc))
        return StepUpProofPayload(ok=True, errors=[], step_up_token=proof.token, expires_at=proof.expires_at)


class IdentityMutations(graphene.ObjectType):
    register = Register.Field()
    request_otp = RequestOtp.Field()
    verify_otp = VerifyOtp.Field()
    refresh_token = RefreshToken.Field()
    logout = Logout.Field()
    logout_all = LogoutAll.Field()
    update_me = UpdateMe.Field()
    create_organization = CreateOrganization.Field()
    update_organization = UpdateOrganization.Field()
    invite_member = InviteMember.Field()
    request_invitation_code = RequestInvitationCode.Field()
    accept_invitation = AcceptInvitation.Field()
    change_member_role = ChangeMemberRole.Field()
    remove_member = RemoveMember.Field()
    start_step_up = StartStepUp.Field()
    verify_step_up = VerifyStepUp.Field()
