"""REST for the reports: `GET /api/v1/analytics/reports/<key>` (rows, totals and the chart's
series as JSON, or `?format=csv` streamed), with the pages' filters. Thin: the organization,
its permission and the figures come from services/reports.py."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import NotFound
from apps.core.rest import StrictSerializer

from ..services import exports
from ..services.reports import (
    REPORT_KEYS,
    build,
    parse_filters,
    report_json,
    report_organization,
    report_run,
)

JSON_ROWS = 1000  # beyond, `truncated` is true: ?format=csv streams every row


class AnalyticsReportQuery(StrictSerializer):
    organization = serializers.UUIDField(required=False, help_text="Default: your first organization")
    start = serializers.DateField(
        required=False, help_text="Default: the first day of the month 11 months ago"
    )
    end = serializers.DateField(required=False, help_text="Default: today")
    property = serializers.UUIDField(required=False, help_text="A property's public id")
    owner = serializers.UUIDField(required=False, help_text="An owner organization's public id")
    format = serializers.ChoiceField(
        choices=["json", "csv"], required=False, default="json", help_text="csv: every row, streamed"
    )


class AnalyticsColumnOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=["text", "money", "int", "date", "percent", "month", "currency"],
        help_text="money: minor units of the row's currency; percent: basis points",
    )


class AnalyticsSeriesOut(serializers.Serializer):
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["bar", "line"])
    values = serializers.ListField(child=serializers.IntegerField())


class AnalyticsChartOut(serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=["money", "percent", "int"])
    currency = serializers.CharField(allow_blank=True)
    labels = serializers.ListField(child=serializers.CharField())
    series = AnalyticsSeriesOut(many=True)


class AnalyticsReportOut(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    organization = serializers.UUIDField()
    start = serializers.DateField()
    end = serializers.DateField()
    columns = AnalyticsColumnOut(many=True)
    rows = serializers.ListField(
        child=serializers.DictField(), help_text="One object per row, keyed by the columns' keys"
    )
    count = serializers.IntegerField()
    truncated = serializers.BooleanField()
    totals = serializers.ListField(child=serializers.DictField(), help_text="One per currency")
    chart = AnalyticsChartOut()
    notes = serializers.ListField(child=serializers.CharField())
    drifts = serializers.IntegerField(help_text="Figures found different from the ledger, not repaired yet")


@extend_schema(
    tags=["analytics"],
    parameters=[
        OpenApiParameter("key", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(REPORT_KEYS)),
        AnalyticsReportQuery,
    ],
    responses={
        (200, "application/json"): AnalyticsReportOut,
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="Every row (CSV, French)"),
    },
)
class ReportView(APIView):
    def perform_content_negotiation(self, request, force=False):
        if request.query_params.get("format") == "csv":  # our CSV stream; errors stay JSON problems
            renderer = self.get_renderers()[0]
            return renderer, renderer.media_type
        return super().perform_content_negotiation(request, force)

    def get(self, request, key, **kwargs):
        """A standard report of your organization (rent-roll, delinquency, income, occupancy,
        payment-methods, collectors, cash-flow) for a period, a property or an owner: its
        columns, rows (the first 1,000), totals per currency and chart series. Amounts are
        minor units of the row's currency; percentages basis points."""
        query = AnalyticsReportQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        data = dict(query.validated_data)
        language = getattr(request, "LANGUAGE_CODE", "fr") or "fr"
        if data["format"] == "csv":  # streamed: the rows are read while they are sent
            org = report_organization(request.user, data.get("organization"))
            if key not in REPORT_KEYS:
                raise NotFound()
            filters = parse_filters(data, organization=org.public_id)
            return exports.csv_response(build(key, filters, language=language), filters, language=language)
        org, filters, result = report_run(
            actor=request.user, key=key, data=data, language=language, limit=JSON_ROWS
        )
        return Response(AnalyticsReportOut(report_json(org, filters, result)).data)
