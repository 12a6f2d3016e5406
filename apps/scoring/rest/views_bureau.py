"""REST of the tenant's consent to credit bureau reporting (/api/v1/scoring/me/bureau-consent):
read it, give it, withdraw it (services/bureau.py; audited)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ..services import bureau
from ..services.tenant_view import consent_json
from . import serializers_bureau as s


@extend_schema(tags=["scoring"], responses=s.ScoringBureauConsentOut)
class BureauConsentView(APIView):
    def get(self, request, **kwargs):
        """Whether my paid rents are reported to the credit bureau (off until I say yes)."""
        return Response(s.ScoringBureauConsentOut(consent_json(bureau.consent_of(request.user))).data)


@extend_schema(tags=["scoring"])
class BureauConsentGiveView(APIView):
    @extend_schema(request=None, responses=s.ScoringBureauConsentOut)
    def post(self, request, **kwargs):
        """Report my rents paid in full to the credit bureau each month (positive data only)."""
        return Response(s.ScoringBureauConsentOut(consent_json(bureau.give_consent(actor=request.user))).data)


@extend_schema(tags=["scoring"])
class BureauConsentWithdrawView(APIView):
    @extend_schema(request=None, responses=s.ScoringBureauConsentOut)
    def post(self, request, **kwargs):
        """Stop reporting from the next monthly report on."""
        consent = bureau.withdraw_consent(actor=request.user)
        return Response(s.ScoringBureauConsentOut(consent_json(consent)).data)
