"""REST of the investor's documents: the monthly statement (PDF) and the fiscal summary (JSON,
PDF). Authenticated; always the caller's own data (request.user), in the request's language
(French by default). Thin: parse the period, call services/statements.py, render."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

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


# a period that is not a month (YYYY-MM) or a year (YYYY), or that has not started yet
BAD_PERIOD = {
    (400, "application/problem+json"): OpenApiResponse(
        {"$ref": "#/components/schemas/Problem"},
        description="`invest_statement_period_invalid`: not a month (YYYY-MM) or a year (YYYY); "
        "`invest_statement_period_in_future`: the period has not started yet",
    )
}
_PERIOD = OpenApiParameter("period", str, OpenApiParameter.PATH, description="The month, YYYY-MM")
_YEAR = OpenApiParameter("year", str, OpenApiParameter.PATH, description="The year, YYYY")


@extend_schema(
    tags=["invest"], parameters=[_PERIOD], responses={(200, "application/pdf"): bytes, **BAD_PERIOD}
)
class StatementPdfView(APIView):
    """Your investment statement of a month (PDF): positions, orders and executions,
    dividends and coupons. A month not started yet is refused (400)."""

    def get(self, request, period: str, **kwargs):
        year, month = statements.parse_month(period)
        body = statements.monthly_statement_pdf(request.user, year, month)
        return _pdf(body, f"hokwe-invest-{year:04d}-{month:02d}.pdf")


class PdfRenderer(BaseRenderer):
    """Lets GET invest/fiscal/{year} answer `Accept: application/pdf` (the view renders it)."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def _fiscal_pdf(request, year: int) -> HttpResponse:
    return _pdf(statements.fiscal_summary_pdf(request.user, year), f"hokwe-invest-fiscal-{year}.pdf")


@extend_schema(
    tags=["invest"],
    parameters=[_YEAR],
    responses={
        (200, "application/json"): InvestFiscalSummaryOut,
        (200, "application/pdf"): bytes,
        **BAD_PERIOD,
    },
)
class FiscalView(APIView):
    """Your fiscal summary of a year: realised gains and losses, dividends, coupons and fees,
    per product and in total. JSON, or the PDF with `Accept: application/pdf` (as
    invest/fiscal/{year}.pdf)."""

    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, PdfRenderer]

    def get(self, request, year: str, **kwargs):
        number = statements.parse_year(year)
        if getattr(request.accepted_renderer, "format", "") == "pdf":
            return _fiscal_pdf(request, number)
        return Response(InvestFiscalSummaryOut(statements.fiscal_summary(request.user, number)).data)


@extend_schema(tags=["invest"], parameters=[_YEAR], responses={(200, "application/pdf"): bytes, **BAD_PERIOD})
class FiscalPdfView(APIView):
    """Your fiscal summary of a year (PDF)."""

    def get(self, request, year: str, **kwargs):
        return _fiscal_pdf(request, statements.parse_year(year))
