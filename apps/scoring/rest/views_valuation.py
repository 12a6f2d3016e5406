"""REST of HokweValuation: a unit's rent and sale price estimates, for a manager of the unit's
organization (another organization's unit is a 404)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.identity.api import authenticated

from ..services import valuation
from . import serializers_valuation as s


@extend_schema(tags=["scoring"], responses=s.ScoringValuationOut)
class UnitValuationView(APIView):
    """A unit's rent estimate with its range (10-90 %), a sale price estimate, the method
    (comparables blended with the hedonic model) and how many comparable leases were used."""

    def get(self, request, unit_id, **kwargs):
        actor = authenticated(request.user)
        return Response(s.ScoringValuationOut(valuation.estimate_for(actor, unit_id)).data)
