"""REST: thin views — parse, call a service, render. Errors are problem details (core)."""

from django.conf import settings
from django.contrib.auth import logout as session_logout
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.pagination import CursorPagination
from apps.core.rest import idempotent

from .. import selectors
from ..errors import RetryLater
from ..policy import can
from ..services import organizations as org_services
from ..services import protection, second_factor, step_up, tokens, users
from . import serializers as s

NO_CONTENT = OpenApiResponse(description="No content")


class IdentityView(APIView):
    """Base: 429 + Retry-After for self-lifting refusals (locks, cooldowns, rate limits)."""

    def handle_exception(self, exc):
        if isinstance(exc, RetryLater):
            exc = exceptions.Throttled(wait=exc.retry_after, detail=str(exc.message), code=exc.code)
        return super().handle_exception(exc)

    def parse(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class PublicIdentityView(IdentityView):
    permission_classes = [AllowAny]
    authentication_classes: list = []  # no session: no CSRF on these JSON endpoints


# --- auth ---------------------------------------------------------------------------------


class RegisterView(PublicIdentityView):
    throttle_scope = "identity.otp_request"

    @extend_schema(request=s.RegisterSerializer, responses={202: s.OtpSentSerializer}, tags=["auth"])
    def post(self, request, **kwargs):
        data = self.parse(s.RegisterSerializer)
        sent = users.registration_code_request(
            phone=data["phone"],
            full_name=data["full_name"],
            preferred_language=data.get("preferred_language"),
        )
        return Response(s.OtpSentSerializer(sent).data, status=status.HTTP_202_ACCEPTED)


TOKEN_PAIR_EXAMPLE = {
    "token_type": "Bearer",
    "access_token": "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI…",
    "expires_in": 900,
    "refresh_token": "rt_9f2c1d7a0b8e4f6a",
    "refresh_expires_at": "2027-01-02T09:30:00Z",
    "user": {
        "id": "5b0f7c1e-3a52-4d8e-9a61-0c2f4e8b7d10",
        "phone": "+2290197000001",
        "full_name": "Afi Houngbédji",
        "email": "",
        "preferred_language": "fr",
        "avatar_url": None,
        "status": "active",
        "created_at": "2026-03-14T08:12:45Z",
    },
    "created": False,
}


class OtpRequestView(PublicIdentityView):
    throttle_scope = "identity.otp_request"

    @extend_schema(
        request=s.OtpRequestSerializer,
        responses={202: s.OtpSentSerializer},
        tags=["auth"],
        examples=[
            OpenApiExample("A Beninese number", value={"phone": "+229 01 97 00 00 01"}, request_only=True),
            OpenApiExample(
                "Code sent",
                value={"expires_in": 300, "resend_after": 60},
                response_only=True,
                status_codes=["202"],
            ),
        ],
    )
    def post(self, request, **kwargs):
        data = self.parse(s.OtpRequestSerializer)
        sent = users.login_code_request(phone=data["phone"], language=data.get("preferred_language"))
        return Response(s.OtpSentSerializer(sent).data, status=status.HTTP_202_ACCEPTED)


class OtpVerifyView(PublicIdentityView):
    throttle_scope = "identity.otp_verify"

    @extend_schema(
        request=s.OtpVerifySerializer,
        responses={200: s.TokenPairSerializer},
        tags=["auth"],
        examples=[
            OpenApiExample(
                "The code received", value={"phone": "+2290197000001", "code": "482913"}, request_only=True
            ),
            OpenApiExample("Logged in", value=TOKEN_PAIR_EXAMPLE, response_only=True, status_codes=["200"]),
        ],
    )
    def post(self, request, **kwargs):
        data = self.parse(s.OtpVerifySerializer)
        pair, created = users.login_with_code(phone=data["phone"], code=data["code"])
        return Response(s.token_pair_data(pair, request=request, created=created))


class RefreshView(PublicIdentityView):
    throttle_scope = "identity.token"

    @extend_schema(
        request=s.RefreshSerializer,
        responses={200: s.TokenPairSerializer},
        tags=["auth"],
        examples=[
            OpenApiExample(
                "A refresh token", value={"refresh_token": "rt_9f2c1d7a0b8e4f6a"}, request_only=True
            ),
            OpenApiExample(
                "A new pair (the old refresh token is spent)",
                value={k: v for k, v in TOKEN_PAIR_EXAMPLE.items() if k != "created"},
                response_only=True,
                status_codes=["200"],
            ),
        ],
    )
    def post(self, request, **kwargs):
        data = self.parse(s.RefreshSerializer)
        pair = tokens.tokens_refresh(refresh_token=data["refresh_token"])
        return Response(s.token_pair_data(pair, request=request))


class LogoutView(IdentityView):
    throttle_scope = "identity.token"

    @extend_schema(request=s.LogoutSerializer, responses={204: NO_CONTENT}, tags=["auth"])
    def post(self, request, **kwargs):
        data = self.parse(s.LogoutSerializer)
        claims = request.auth if isinstance(request.auth, dict) else {}
        family = claims.get("sid") if claims.get("iss") == settings.JWT_ISSUER else None
        if data.get("refresh_token") or family:
            tokens.tokens_logout(refresh_token=data.get("refresh_token"), family=family, actor=request.user)
        else:
            session_logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(IdentityView):
    throttle_scope = "identity.token"

    @extend_schema(request=None, responses={204: NO_CONTENT}, tags=["auth"])
    def post(self, request, **kwargs):
        tokens.tokens_logout_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StepUpStartView(IdentityView):
    throttle_scope = "identity.step_up"

    @extend_schema(
        request=s.StepUpStartSerializer, responses={201: s.StepUpChallengeSerializer}, tags=["auth"]
    )
    @idempotent()
    def post(self, request, **kwargs):
        data = self.parse(s.StepUpStartSerializer)
        challenge = step_up.step_up_start(actor=request.user, **data)
        return Response(s.StepUpChallengeSerializer(challenge).data, status=status.HTTP_201_CREATED)


class StepUpVerifyView(IdentityView):
    throttle_scope = "identity.otp_verify"

    @extend_schema(request=s.StepUpVerifySerializer, responses={200: s.StepUpProofSerializer}, tags=["auth"])
    def post(self, request, **kwargs):
        data = self.parse(s.StepUpVerifySerializer)
        proof = step_up.step_up_verify(
            actor=request.user,
            challenge_id=data["challenge_id"],
            code=data.get("code") or "",
            credential=data.get("credential"),
        )
        return Response(s.StepUpProofSerializer(proof).data)


# --- me -----------------------------------------------------------------------------------


class MeView(IdentityView):
    @extend_schema(responses={200: s.UserSerializer}, tags=["identity"])
    def get(self, request, **kwargs):
        return Response(s.UserSerializer(request.user, context={"request": request}).data)

    @extend_schema(request=s.MeUpdateSerializer, responses={200: s.UserSerializer}, tags=["identity"])
    def patch(self, request, **kwargs):
        data = self.parse(s.MeUpdateSerializer)
        user = users.user_update_profile(actor=request.user, user=request.user, **data)
        return Response(s.UserSerializer(user, context={"request": request}).data)


class CloseAccountView(IdentityView):
    @extend_schema(request=s.CloseAccountSerializer, responses={204: NO_CONTENT}, tags=["identity"])
    def post(self, request, **kwargs):
        data = self.parse(s.CloseAccountSerializer)
        step_up.require_step_up(
            actor=request.user,
            action="identity.user.close",
            target=str(request.user.public_id),
            token=data["step_up_token"],
        )
        users.user_close(actor=request.user, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- organizations ------------------------------------------------------------------------


class OrganizationPagination(CursorPagination):
    ordering = ("-created_at", "-id")


class OrganizationListView(IdentityView):
    @extend_schema(
        responses={200: s.OrganizationPage}, tags=["identity"], operation_id="identity_organizations_list"
    )
    def get(self, request, **kwargs):
        paginator = OrganizationPagination()
        page = paginator.paginate_queryset(selectors.organizations_of(request.user), request, view=self)
        return paginator.get_paginated_response(s.OrganizationSerializer(page, many=True).data)

    @extend_schema(
        request=s.OrganizationWriteSerializer, responses={201: s.OrganizationSerializer}, tags=["identity"]
    )
    @idempotent()
    def post(self, request, **kwargs):
        data = self.parse(s.OrganizationWriteSerializer)
        org = org_services.organization_create(actor=request.user, **data)
        org = selectors.organization_get(request.user, org.public_id)
        return Response(s.OrganizationSerializer(org).data, status=status.HTTP_201_CREATED)


class OrganizationDetailView(IdentityView):
    @extend_schema(responses={200: s.OrganizationSerializer}, tags=["identity"])
    def get(self, request, org_id, **kwargs):
        return Response(s.OrganizationSerializer(selectors.organization_get(request.user, org_id)).data)

    @extend_schema(
        request=s.OrganizationUpdateSerializer, responses={200: s.OrganizationSerializer}, tags=["identity"]
    )
    def patch(self, request, org_id, **kwargs):
        org = selectors.organization_get(request.user, org_id)
        data = self.parse(s.OrganizationUpdateSerializer)
        org_services.organization_update(actor=request.user, organization=org, **data)
        return Response(s.OrganizationSerializer(selectors.organization_get(request.user, org_id)).data)


class MemberPagination(CursorPagination):
    ordering = ("created_at", "id")


class MemberListView(IdentityView):
    @extend_schema(responses={200: s.MemberPage}, tags=["identity"])
    def get(self, request, org_id, **kwargs):
        org = selectors.organization_get(request.user, org_id)
        paginator = MemberPagination()
        page = paginator.paginate_queryset(selectors.members_of(request.user, org), request, view=self)
        context = {"show_phones": can(request.user, "identity.member.invite", org)}
        return paginator.get_paginated_response(s.MemberSerializer(page, many=True, context=context).data)


class MemberDetailView(IdentityView):
    @extend_schema(request=s.MemberRoleSerializer, responses={200: s.MemberSerializer}, tags=["identity"])
    def patch(self, request, org_id, member_id, **kwargs):
        org = selectors.organization_get(request.user, org_id)
        membership = selectors.membership_get(request.user, org, member_id)
        data = self.parse(s.MemberRoleSerializer)
        membership = org_services.membership_change_role(
            actor=request.user,
            membership=membership,
            role=data["role"],
            step_up_token=data.get("step_up_token"),
        )
        return Response(s.MemberSerializer(membership, context={"show_phones": True}).data)

    @extend_schema(responses={204: NO_CONTENT}, tags=["identity"])
    def delete(self, request, org_id, member_id, **kwargs):
        org = selectors.organization_get(request.user, org_id)
        membership = selectors.membership_get(request.user, org, member_id)
        org_services.membership_remove(actor=request.user, membership=membership)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationPagination(CursorPagination):
    ordering = ("-created_at", "-id")


def invitation_link_base(request) -> str:
    return request.build_absolute_uri(reverse("manager:identity_invitation_start"))


class InvitationListView(IdentityView):
    @extend_schema(responses={200: s.InvitationPage}, tags=["identity"])
    def get(self, request, org_id, **kwargs):
        org = selectors.organization_get(request.user, org_id)
        paginator = InvitationPagination()
        page = paginator.paginate_queryset(selectors.invitations_of(request.user, org), request, view=self)
        return paginator.get_paginated_response(s.InvitationSerializer(page, many=True).data)

    @extend_schema(
        request=s.InvitationCreateSerializer, responses={201: s.InvitationSerializer}, tags=["identity"]
    )
    @idempotent()
    def post(self, request, org_id, **kwargs):
        org = selectors.organization_get(request.user, org_id)
        data = self.parse(s.InvitationCreateSerializer)
        invitation, _link = org_services.member_invite(
            actor=request.user,
            organization=org,
            phone=data["phone"],
            role=data["role"],
            link_base=invitation_link_base(request),
        )
        return Response(s.InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationDetailView(IdentityView):
    @extend_schema(responses={204: NO_CONTENT}, tags=["identity"])
    def delete(self, request, org_id, invitation_id, **kwargs):
        org = selectors.organization_get(request.user, org_id)
        invitation = selectors.invitation_get(request.user, org, invitation_id)
        org_services.invitation_revoke(actor=request.user, invitation=invitation)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationCodeView(PublicIdentityView):
    throttle_scope = "identity.otp_request"

    @extend_schema(
        request=s.InvitationTokenSerializer,
        responses={202: s.InvitationCodeSentSerializer},
        tags=["identity"],
    )
    def post(self, request, **kwargs):
        data = self.parse(s.InvitationTokenSerializer)
        invitation = org_services.invitation_by_token(data["token"])
        sent, hint = org_services.invitation_code_request(token=data["token"])
        body = {
            **s.OtpSentSerializer(sent).data,
            "phone_hint": hint,
            "organization_name": invitation.organization.name,
            "role": invitation.role,
        }
        return Response(body, status=status.HTTP_202_ACCEPTED)


class InvitationAcceptView(PublicIdentityView):
    throttle_scope = "identity.otp_verify"

    @extend_schema(
        request=s.InvitationAcceptSerializer, responses={200: s.TokenPairSerializer}, tags=["identity"]
    )
    def post(self, request, **kwargs):
        data = self.parse(s.InvitationAcceptSerializer)
        _membership, pair = org_services.invitation_accept(
            token=data["token"], code=data["code"], full_name=data["full_name"]
        )
        return Response(s.token_pair_data(pair, request=request))


# --- security: second factor, phone number (issue 16) ----------------------------------------


def security_status(user) -> dict:
    hold = protection.hold_of(user)
    return {
        "factors": second_factor.factors_of(user),
        "must_enrol": protection.must_enrol(user),
        "recovery_codes_left": second_factor.recovery_codes_left(user),
        "held_until": hold.until if hold else None,
    }


class SecurityView(IdentityView):
    @extend_schema(responses={200: s.SecurityStatusSerializer}, tags=["identity"])
    def get(self, request, **kwargs):
        return Response(s.SecurityStatusSerializer(security_status(request.user)).data)


class TotpStartView(IdentityView):
    @extend_schema(
        request=s.TotpStartSerializer, responses={200: s.TotpEnrolmentSerializer}, tags=["identity"]
    )
    def post(self, request, **kwargs):
        """Start (or restart) an enrolment: a pending device and its secret. The answer carries
        a secret, so it is never stored for replay (no idempotency key): a retry starts again."""
        data = self.parse(s.TotpStartSerializer)
        enrolment = second_factor.totp_start(actor=request.user, name=data["name"])
        return Response(s.TotpEnrolmentSerializer(enrolment).data)


class TotpConfirmView(IdentityView):
    throttle_scope = "identity.otp_verify"

    @extend_schema(
        request=s.TotpConfirmSerializer, responses={200: s.RecoveryCodesSerializer}, tags=["identity"]
    )
    def post(self, request, **kwargs):
        data = self.parse(s.TotpConfirmSerializer)
        codes = second_factor.totp_confirm(actor=request.user, device_id=data["device_id"], code=data["code"])
        return Response({"recovery_codes": codes})


class SecondFactorRemoveView(IdentityView):
    @extend_schema(request=s.StepUpTokenSerializer, responses={204: NO_CONTENT}, tags=["identity"])
    def post(self, request, factor_id, **kwargs):
        data = self.parse(s.StepUpTokenSerializer)
        second_factor.second_factor_remove(
            actor=request.user, device_id=factor_id, step_up_token=data["step_up_token"] or None
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecoveryCodesView(IdentityView):
    @extend_schema(
        request=s.StepUpTokenSerializer, responses={200: s.RecoveryCodesSerializer}, tags=["identity"]
    )
    def post(self, request, **kwargs):
        """Replace the recovery codes; the new ones are shown this once (never stored for
        replay, so no idempotency key)."""
        data = self.parse(s.StepUpTokenSerializer)
        codes = second_factor.recovery_codes_create(
            actor=request.user, step_up_token=data["step_up_token"] or None
        )
        return Response({"recovery_codes": codes})


class PasskeyOptionsView(IdentityView):
    @extend_schema(request=None, responses={200: s.PasskeyOptionsSerializer}, tags=["identity"])
    def post(self, request, **kwargs):
        import json

        options = second_factor.passkey_registration_options(actor=request.user)
        return Response({"options": json.loads(options)})


class PasskeyRegisterView(IdentityView):
    @extend_schema(
        request=s.PasskeyRegisterSerializer, responses={200: s.PasskeyCreatedSerializer}, tags=["identity"]
    )
    def post(self, request, **kwargs):
        """Register the passkey the authenticator made. A first strong factor's answer holds
        the recovery codes once, so it is never stored for replay (no idempotency key); a
        retry of the same credential is refused as already registered."""
        data = self.parse(s.PasskeyRegisterSerializer)
        passkey = second_factor.passkey_register(
            actor=request.user, credential=data["credential"], name=data["name"]
        )
        factor = next(
            f for f in second_factor.factors_of(request.user) if f.id == f"passkey:{passkey.public_id}"
        )
        body = {
            "factor": s.SecondFactorSerializer(factor).data,
            "recovery_codes": getattr(passkey, "recovery_codes", []),
        }
        return Response(body)


class PhoneChangeRequestView(IdentityView):
    throttle_scope = "identity.otp_request"

    @extend_schema(
        request=s.PhoneChangeRequestSerializer, responses={202: s.OtpSentSerializer}, tags=["identity"]
    )
    def post(self, request, **kwargs):
        data = self.parse(s.PhoneChangeRequestSerializer)
        sent = protection.phone_change_request(actor=request.user, phone=data["phone"])
        return Response(s.OtpSentSerializer(sent).data, status=status.HTTP_202_ACCEPTED)


class PhoneChangeConfirmView(IdentityView):
    throttle_scope = "identity.otp_verify"

    @extend_schema(
        request=s.PhoneChangeConfirmSerializer, responses={200: s.UserSerializer}, tags=["identity"]
    )
    def post(self, request, **kwargs):
        data = self.parse(s.PhoneChangeConfirmSerializer)
        user = protection.phone_change_confirm(actor=request.user, phone=data["phone"], code=data["code"])
        return Response(s.UserSerializer(user, context={"request": request}).data)
