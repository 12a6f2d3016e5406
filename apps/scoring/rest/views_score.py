"""REST of the tenant's own score (/api/v1/scoring/me…): the score, band and reasons, the
history, the rent lines behind it, and disputes (« contester une ligne »). Thin: parse, call
services/tenant_view.py and services/disputes.py, render. Another user's dispute is a 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.rest import idempotent

from ..services import disputes, tenant_view
from . import serializers_score as s


@extend_schema(tags=["scoring"], responses=s.ScoringMyScoreOut)
class MyScoreView(APIView):
    def get(self, request, **kwargs):
        """My rent score (300-850, or no number for a thin file), its band and the reasons,
        exactly as a landlord I consent to would see it."""
        return Response(s.ScoringMyScoreOut(tenant_view.score_json(tenant_view.my_score(request.user))).data)


@extend_schema(tags=["scoring"], responses=s.ScoringHistoryPointOut(many=True))
class MyHistoryView(APIView):
    def get(self, request, **kwargs):
        """My score over time, oldest first (each change of score, band or model)."""
        return Response(s.ScoringHistoryPointOut(tenant_view.my_history(request.user), many=True).data)


@extend_schema(tags=["scoring"], responses=s.ScoringRentLineOut(many=True))
class MyLinesView(APIView):
    def get(self, request, **kwargs):
        """The data behind my score: my rent lines of the last 24 months, newest first."""
        return Response(
            s.ScoringRentLineOut(
                [tenant_view.line_json(i) for i in tenant_view.my_lines(request.user)], many=True
            ).data
        )


@extend_schema(tags=["scoring"])
class MyDisputesView(APIView):
    @extend_schema(responses=s.ScoringDisputeOut(many=True))
    def get(self, request, **kwargs):
        """My disputes, newest first."""
        return Response(s.ScoringDisputeOut(disputes.disputes_of(request.user)[:100], many=True).data)

    @extend_schema(request=s.ScoringDisputeIn, responses={201: s.ScoringDisputeOut})
    @idempotent()
    def post(self, request, **kwargs):
        """Contest one of my rent lines: the team decides within SCORING_DISPUTE_DAYS; upheld,
        the line no longer counts in my score nor in bureau reports."""
        data = s.ScoringDisputeIn(data=request.data)
        data.is_valid(raise_exception=True)
        dispute = disputes.open_dispute(actor=request.user, **data.validated_data)
        return Response(s.ScoringDisputeOut(dispute).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["scoring"], responses=s.ScoringDisputeOut)
class MyDisputeView(APIView):
    def get(self, request, dispute_id, **kwargs):
        """One of my disputes."""
        return Response(s.ScoringDisputeOut(disputes.dispute_of(request.user, dispute_id)).data)
