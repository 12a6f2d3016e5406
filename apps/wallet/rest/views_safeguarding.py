"""REST of the wallet's safeguarding part: the daily reports, for finance and compliance staff
(anyone else: 403 problem details). Entering a bank balance is a back-office act (admin)."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics

from apps.core.pagination import CursorPagination

from ..models import SafeguardingReport
from ..services import safeguarding
from .serializers_safeguarding import SafeguardingReportOut, SafeguardingReportQuery


class ReportPagination(CursorPagination):
    ordering = ("-day", "currency")


@extend_schema(tags=["wallet"], parameters=[SafeguardingReportQuery])
class SafeguardingReportListView(generics.ListAPIView):
    """The daily safeguarding reports (newest first): e-money outstanding against the trust
    bank balance per currency; `gaps=true` lists only gaps and missing bank balances."""

    serializer_class = SafeguardingReportOut
    pagination_class = ReportPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no staff caller
            return SafeguardingReport.objects.none()
        params = self.request.query_params.dict()
        for name in ("cursor", "page_size", "format"):  # the paginator's and DRF's own
            params.pop(name, None)
        query = SafeguardingReportQuery(data=params)
        query.is_valid(raise_exception=True)
        return safeguarding.reports_for(
            self.request.user,
            currency=query.validated_data.get("currency"),
            gaps_only=query.validated_data.get("gaps", False),
        )
