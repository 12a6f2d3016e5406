"""REST of the investor's documents: the monthly statement (PDF) and the fiscal summary (JSON,
PDF). Authenticated; always the caller's own data (request.user), in the request's language
(French by default). Thin: parse the period, call services/statements.py, render."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from django.utils.translation import gettext_lazy as _

from apps.core.rest import MoneyField

from ..services import statements


class InvestFiscalLineOut(serializers.Serializer):
    product_code = serializers.CharField(help_text=_("ISIN or BRVM ticker; empty on the total"))
    product_name = serializers.CharField()
    kind = serializers.CharField()
    proceeds = MoneyField(help_text=_("Sells and redemptions of the year, net of fees"))
    cost_removed = MoneyField(help_text=_("The average cost of the units sold"))
    gains = MoneyField()
    losses = MoneyField(help_text=_("The sells that lost, summed (a positive amount)"))
    realised = MoneyField(help_text=_("gains - losses = proceeds - cost_removed"))
    dividends = MoneyField()
    coupons = MoneyField()
    fees = MoneyField(help_text=_("Every fee paid on the executions of the year"))


class InvestFiscalSummaryOut(serializers.Serializer):
    year = serializers.IntegerField()
    lines = InvestFiscalLineOut(many=True)
    total = InvestFiscalLineOut()
    warning = serializers.CharField()


def _pdf(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


_PERIOD = OpenApiParameter("period", str, OpenApiParameter.PATH, description="The month, YYYY-MM")
_YEAR = OpenApiParameter("year", str, OpenApiParameter.PATH, description="The year, YYYY")


@extend_schema(tags=["invest"], parameters=[_PERIOD], responses={(200, "application/pdf"): bytes})
class StatementPdfView(APIView):
    """Your investment statement of a month (PDF): positions, orders and executions,
    dividends and coupons. A month not started yet is refused (400)."""

    def get(self, request, period: str, **kwargs):
        year, month = statements.parse_month(period)
        body = statements.monthly_statement_pdf(request.user, year, month)
        return _pdf(body, f"hokwe-invest-{year:04d}-{month:02d}.pdf")


@extend_schema(tags=["invest"], parameters=[_YEAR], responses=InvestFiscalSummaryOut)
class FiscalView(APIView):
    """Your fiscal summary of a year: realised gains and losses, dividends, coupons and fees,
    per product and in total."""

    def get(self, request, year: str, **kwargs):
        summary = statements.fiscal_summary(request.user, statements.parse_year(year))
        return Response(InvestFiscalSummaryOut(summary).data)


@extend_schema(tags=["invest"], parameters=[_YEAR], responses={(200, "application/pdf"): bytes})
class FiscalPdfView(APIView):
    """Your fiscal summary of a year (PDF)."""

    def get(self, request, year: str, **kwargs):
        number = statements.parse_year(year)
        return _pdf(statements.fiscal_summary_pdf(request.user, number), f"hokwe-invest-fiscal-{number}.pdf")
