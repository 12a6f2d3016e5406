"""REST for the dashboard: `GET /api/v1/analytics/dashboard` — the tiles the manager's home
and the owner portal show (this month against last month) and the 12-month series, for the
mobile apps. Thin: the organization, its permission and the figures come from
services/dashboard.py (rollups only)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.rest import StrictSerializer

from ..services.dashboard import dashboard_json, dashboard_of


class AnalyticsDashboardQuery(StrictSerializer):
    view = serializers.ChoiceField(
        choices=["agency", "owner"],
        required=False,
        default="agency",
        help_text="agency: an organization you manage; owner: your own properties, every agency",
    )
    organization = serializers.UUIDField(required=False, help_text="agency: default your first organization")


class AnalyticsTileOut(serializers.Serializer):
    key = serializers.ChoiceField(
        choices=[
            "collected",
            "expected",
            "collection_rate",
            "on_time_rate",
            "occupancy",
            "arrears",
            "deposits",
            "days_to_pay",
            "commission",
            "recovery_rate",
        ]
    )
    label = serializers.CharField()
    unit = serializers.ChoiceField(
        choices=["money", "bps", "days"], help_text="money: minor units of `currency`; bps: basis points"
    )
    currency = serializers.CharField(allow_blank=True)
    value = serializers.IntegerField(allow_null=True, help_text="This month; null when there is no figure")
    previous = serializers.IntegerField(allow_null=True, help_text="Last month")
    trend = serializers.IntegerField(
        allow_null=True,
        help_text="Against last month: basis points of change for money, the difference for bps and days",
    )
    better = serializers.ChoiceField(choices=["up", "down"], help_text="Which way is good")


class AnalyticsDashboardOut(serializers.Serializer):
    view = serializers.ChoiceField(choices=["agency", "owner"])
    organization = serializers.UUIDField(allow_null=True)
    month = serializers.DateField(help_text="The first day of this month")
    currency = serializers.CharField()
    has_data = serializers.BooleanField()
    tiles = AnalyticsTileOut(many=True)
    months = serializers.ListField(child=serializers.DateField(), help_text="The 12 months, oldest first")
    expected = serializers.ListField(child=serializers.IntegerField(), help_text="Rent expected, per month")
    collected = serializers.ListField(child=serializers.IntegerField(), help_text="Rent collected, per month")


@extend_schema(tags=["analytics"], parameters=[AnalyticsDashboardQuery], responses=AnalyticsDashboardOut)
class DashboardView(APIView):
    def get(self, request, **kwargs):
        """Your figures of the month against last month, and the last 12 months of rent
        expected and collected: an agency you manage, or your own properties as an owner."""
        query = AnalyticsDashboardQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        data = query.validated_data
        org, board = dashboard_of(
            request.user, view=data["view"], organization=data.get("organization"), today=timezone.localdate()
        )
        return Response(AnalyticsDashboardOut(dashboard_json(org, data["view"], board)).data)
