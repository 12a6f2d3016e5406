"""Read endpoints, scoped by selectors.*_visible_to: someone else's account is a 404."""

import csv
from dataclasses import asdict

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.pagination import CursorPagination

from .. import selectors
from .serializers import (
    AccountDetailQuery,
    AccountListQuery,
    AccountOut,
    StatementOut,
    StatementQuery,
)


def _query(serializer_class, request):
    params = request.query_params.dict()
    params.pop("format", None)  # DRF's own renderer switch (?format=csv), not a filter
    serializer = serializer_class(data=params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class AccountPagination(CursorPagination):
    ordering = ("-created_at", "-public_id")


@extend_schema(tags=["ledger"], parameters=[AccountListQuery])
class AccountListView(generics.ListAPIView):
    """My ledger accounts and their balances: my wallets, my organizations' accounts, and
    (finance staff) the system accounts."""

    serializer_class = AccountOut
    pagination_class = AccountPagination

    def get_queryset(self):
        filters = _query(AccountListQuery, self.request)
        qs = selectors.accounts_visible_to(self.request.user)
        if "currency" in filters:
            qs = qs.filter(currency=filters["currency"])
        if "owner_type" in filters:
            qs = qs.filter(owner_type=filters["owner_type"])
        return qs


@extend_schema(tags=["ledger"], parameters=[AccountDetailQuery], responses=AccountOut)
class AccountDetailView(APIView):
    def get(self, request, account_id, **kwargs):
        filters = _query(AccountDetailQuery, request)
        account = selectors.account_visible_to(request.user, account_id)
        context = {}
        if "as_of" in filters:
            context["balances"] = {account.public_id: selectors.balance_as_of(account, filters["as_of"])}
        return Response(AccountOut(account, context=context).data)


@extend_schema(tags=["ledger"], parameters=[StatementQuery], responses=StatementOut)
class StatementView(APIView):
    """Posted lines of an account, oldest first, each with the balance after it; filter by
    period and transfer code; follow `next` for the following page."""

    def get(self, request, account_id, **kwargs):
        filters = _query(StatementQuery, request)
        account = selectors.account_visible_to(request.user, account_id)
        statement = selectors.statement(
            account,
            start=filters.get("start"),
            end=filters.get("end"),
            code=filters.get("code"),
            after_sequence=filters.get("after"),
            limit=filters["page_size"],
        )
        next_url = None
        if statement.next_after is not None:
            params = request.query_params.copy()
            params["after"] = str(statement.next_after)
            next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        return Response(
            StatementOut(
                {
                    "account": statement.account,
                    "currency": statement.currency,
                    "opening_balance": statement.opening_balance,
                    "next": next_url,
                    "results": [asdict(line) for line in statement.lines],
                }
            ).data
        )


class CsvRenderer(BaseRenderer):
    """Lets `Accept: text/csv` through content negotiation; the view streams the body."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class _Echo:
    def write(self, value):
        return value


class StatementCsvView(APIView):
    """The whole statement as CSV (streamed, any length)."""

    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(
        tags=["ledger"],
        operation_id="ledger_accounts_statement_csv",
        parameters=[
            OpenApiParameter("start", str),
            OpenApiParameter("end", str),
            OpenApiParameter("code", str),
        ],
        responses={(200, "text/csv"): str},
    )
    def get(self, request, account_id, **kwargs):
        filters = _query(StatementQuery, request)
        account = selectors.account_visible_to(request.user, account_id)
        writer = csv.writer(_Echo())
        header = [
            _("sequence"),
            _("date"),
            _("transfer"),
            _("code"),
            _("description"),
            _("reference"),
            _("debit"),
            _("credit"),
            _("balance"),
            _("currency"),
        ]

        def rows():
            yield "\ufeff" + writer.writerow(header)  # BOM: spreadsheet software reads UTF-8
            for line in selectors.statement_iter(
                account, start=filters.get("start"), end=filters.get("end"), code=filters.get("code")
            ):
                yield writer.writerow(
                    [
                        line.sequence,
                        line.created_at.isoformat(),
                        line.transfer,
                        line.code,
                        line.description,
                        line.reference,
                        line.amount if line.side == "debit" else "",
                        line.amount if line.side == "credit" else "",
                        line.balance_after,
                        account.currency,
                    ]
                )

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="statement-{account.public_id}.csv"'
        return response
