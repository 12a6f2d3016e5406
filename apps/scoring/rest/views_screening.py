"""REST of tenant screening: the manager's requests (create: 201 with Idempotency-Key), a
request, its report (issue: 201; read; PDF), the decision, the organization's thresholds; the
applicant's own requests, consent by a code sent to their phone, withdrawal. Thin: parse, call
services/screening.py, render. Another organization's request is a 404."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import NotFound
from apps.core.pagination import CursorPagination
from apps.core.rest import idempotent
from apps.identity import api as identity

from .. import selectors
from ..services import screening as svc
from . import serializers_screening as s

# The report's refusals (problem details): no consent, consent withdrawn or expired (409); the
# report older than 30 days (410).
_PROBLEM = {"$ref": "#/components/schemas/Problem"}
REFUSALS = {
    (409, "application/problem+json"): OpenApiResponse(
        _PROBLEM,
        description="`scoring_screening_consent_missing`, `scoring_screening_consent_withdrawn`, "
        "`scoring_screening_consent_expired`: the applicant's consent does not allow it",
    ),
    (410, "application/problem+json"): OpenApiResponse(
        _PROBLEM, description="`scoring_screening_report_expired`: the report is over 30 days old"
    ),
}


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _request_out(req, code=status.HTTP_200_OK):
    return Response(s.ScoringScreeningRequestOut(svc.request_view(req)).data, status=code)


class ScreeningPagination(CursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema(tags=["scoring"])
class ScreeningRequestListView(APIView):
    pagination_class = ScreeningPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, enum=["pending", "consented", "issued", "withdrawn"])
        ],
        responses=s.ScoringScreeningRequestOut(many=True),
    )
    def get(self, request, **kwargs):
        """The screening requests of your organizations (owners and managers), newest first."""
        rows = selectors.screening_requests_for(request.user, state=request.query_params.get("state", ""))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(
            [s.ScoringScreeningRequestOut(svc.request_view(r)).data for r in page]
        )

    @extend_schema(request=s.ScoringScreeningCreateIn, responses={201: s.ScoringScreeningRequestOut})
    @idempotent()
    def post(self, request, **kwargs):
        """Ask to screen an applicant (their phone number) for one of your units: they get an
        SMS with the consent link; nothing is shared before they consent."""
        data = _parse(s.ScoringScreeningCreateIn, request.data)
        req = svc.request_create(
            actor=request.user,
            unit=data["unit"],
            phone=data["phone"],
            applicant_name=data["applicant_name"],
            rent=data["rent"],
            note=data["note"],
        )
        return _request_out(req, status.HTTP_201_CREATED)


@extend_schema(tags=["scoring"], responses=s.ScoringScreeningRequestOut)
class ScreeningRequestDetailView(APIView):
    def get(self, request, request_id, **kwargs):
        """One of your organizations' screening requests."""
        return _request_out(selectors.screening_request_get(request.user, request_id))


@extend_schema(tags=["scoring"])
class ScreeningReportView(APIView):
    @extend_schema(responses={200: s.ScoringScreeningReportOut, **REFUSALS})
    def get(self, request, request_id, **kwargs):
        """The report: refused without consent (409), after a withdrawal (409), after 30 days
        (410)."""
        req = selectors.screening_request_get(request.user, request_id)
        report = svc.report_get(actor=request.user, req=req)
        return Response(s.ScoringScreeningReportOut(svc.report_view(report)).data)

    @extend_schema(request=None, responses={201: s.ScoringScreeningReportOut, **REFUSALS})
    @idempotent()
    def post(self, request, request_id, **kwargs):
        """Issue the report of a consented request (billed once; a second call answers the same
        report)."""
        req = selectors.screening_request_get(request.user, request_id)
        report = svc.report_issue(actor=request.user, req=req)
        return Response(
            s.ScoringScreeningReportOut(svc.report_view(report)).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["scoring"])
class ScreeningReportPdfView(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, **REFUSALS})
    def get(self, request, request_id, **kwargs):
        """The report as a French PDF (the same refusals as the report)."""
        req = selectors.screening_request_get(request.user, request_id)
        report = svc.report_get(actor=request.user, req=req)
        response = HttpResponse(svc.report_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{report.number}.pdf"'
        return response


@extend_schema(tags=["scoring"])
class ScreeningDecisionView(APIView):
    @extend_schema(
        request=s.ScoringScreeningDecisionIn, responses={200: s.ScoringScreeningRequestOut, **REFUSALS}
    )
    def post(self, request, request_id, **kwargs):
        """Record your decision; a decline sends the applicant the main reasons by SMS."""
        req = selectors.screening_request_get(request.user, request_id)
        data = _parse(s.ScoringScreeningDecisionIn, request.data)
        return _request_out(svc.decide(actor=request.user, req=req, decision=data["decision"]))


def _organization_id(actor, organization_id) -> int:
    found = identity.organization_ids([organization_id]).get(organization_id)
    if found is None or found not in identity.organization_ids_of(actor, roles=identity.MANAGE_ROLES):
        raise NotFound(field="organizationId")
    return found


@extend_schema(tags=["scoring"])
class ScreeningPolicyView(APIView):
    @extend_schema(responses=s.ScoringScreeningPolicyOut)
    def get(self, request, organization_id, **kwargs):
        """Your organization's screening thresholds (the defaults until you set yours)."""
        policy = svc.policy_of(_organization_id(request.user, organization_id))
        return Response(s.ScoringScreeningPolicyOut(policy).data)

    @extend_schema(request=s.ScoringScreeningPolicyIn, responses=s.ScoringScreeningPolicyOut)
    def patch(self, request, organization_id, **kwargs):
        """Change some thresholds (owners and managers). The deposit asked never exceeds the
        legal cap."""
        org = _organization_id(request.user, organization_id)
        data = _parse(s.ScoringScreeningPolicyIn, request.data)
        policy = svc.policy_update(actor=request.user, organization_id=org, **data)
        return Response(s.ScoringScreeningPolicyOut(policy).data)


# --- the applicant's side ---


@extend_schema(tags=["scoring"])
class MyScreeningListView(APIView):
    @extend_schema(responses=s.ScoringScreeningMyRequestOut(many=True))
    def get(self, request, **kwargs):
        """The screening requests sent to your phone number, newest first, with what each would
        share."""
        identity.authenticated(request.user)
        rows = svc.requests_of_applicant(request.user)[:50]
        return Response([s.ScoringScreeningMyRequestOut(svc.my_request_view(r)).data for r in rows])


@extend_schema(tags=["scoring"])
class MyScreeningConsentStartView(APIView):
    @extend_schema(request=None, responses=s.ScoringScreeningChallengeOut)
    def post(self, request, request_id, **kwargs):
        """Send the code that confirms your consent to your phone."""
        req = svc.applicant_request(identity.authenticated(request.user), request_id)
        challenge = svc.consent_start(actor=request.user, req=req)
        return Response(
            s.ScoringScreeningChallengeOut(
                {
                    "challenge_id": challenge.challenge_id,
                    "expires_at": challenge.expires_at,
                    "phone_hint": challenge.phone_hint,
                    "method": getattr(challenge, "method", "sms") or "sms",
                }
            ).data
        )


@extend_schema(tags=["scoring"])
class MyScreeningConsentView(APIView):
    @extend_schema(request=s.ScoringScreeningConsentIn, responses=s.ScoringScreeningMyRequestOut)
    def post(self, request, request_id, **kwargs):
        """Consent with the code and your declared monthly income."""
        req = svc.applicant_request(identity.authenticated(request.user), request_id)
        data = _parse(s.ScoringScreeningConsentIn, request.data)
        req = svc.consent_confirm(
            actor=request.user,
            req=req,
            challenge_id=data["challenge_id"],
            code=data["code"],
            declared_income=data["declared_income"],
        )
        return Response(s.ScoringScreeningMyRequestOut(svc.my_request_view(req)).data)


@extend_schema(tags=["scoring"])
class MyScreeningWithdrawView(APIView):
    @extend_schema(request=None, responses=s.ScoringScreeningMyRequestOut)
    def post(self, request, request_id, **kwargs):
        """Withdraw your consent: the agency can no longer read the report."""
        req = svc.applicant_request(identity.authenticated(request.user), request_id)
        req = svc.consent_withdraw(actor=request.user, req=req)
        return Response(s.ScoringScreeningMyRequestOut(svc.my_request_view(req)).data)
