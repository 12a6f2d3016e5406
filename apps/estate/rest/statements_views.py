"""REST for statement import and matching (/api/v1/estate/statements/…): upload a MoMo or
bank statement (multipart, Idempotency-Key), list imports, the review queue, confirm or
ignore a line, the learned rules. Finance roles of the organization only (another
organization's import, line or rule is a 404)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import NotFound
from apps.core.gateway import body_limit
from apps.core.pagination import CursorPagination
from apps.core.rest import AmountField, MoneyField, StrictSerializer, UTCDateTimeField, idempotent

from .. import selectors
from ..contracts import STATEMENT_LINE_STATUSES, STATEMENT_OUTCOMES
from ..errors import InvalidInput
from ..models import StatementLine
from ..services import statements
from ..services.statements_formats import FORMATS

UPLOAD_LIMIT = statements.MAX_BYTES + 64 * 1024


class Pages(CursorPagination):
    ordering = ("-created_at", "-id")


class LinePages(CursorPagination):
    ordering = ("-booked_on", "-id")


# --- shapes ---------------------------------------------------------------------------------------


class EstateStatementImportIn(StrictSerializer):
    organization = serializers.UUIDField(required=False, help_text="Required when you belong to several")
    format = serializers.ChoiceField(choices=list(FORMATS))
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True, default="")
    dry_run = serializers.BooleanField(required=False, default=False)
    file = serializers.FileField()


class EstateStatementImportOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organization = serializers.UUIDField(source="organization.public_id")
    format = serializers.CharField()
    filename = serializers.CharField()
    currency = serializers.CharField()
    lines_read = serializers.IntegerField()
    lines_new = serializers.IntegerField()
    lines_known = serializers.IntegerField()
    lines_skipped = serializers.IntegerField()
    matched = serializers.IntegerField()
    to_review = serializers.IntegerField()
    total = MoneyField()
    applied = MoneyField()
    created_at = UTCDateTimeField()


class EstateStatementCountsOut(serializers.Serializer):
    read = serializers.IntegerField()
    new = serializers.IntegerField()
    known = serializers.IntegerField()
    skipped = serializers.IntegerField()
    auto = serializers.IntegerField(required=False)
    review = serializers.IntegerField(required=False)
    unmatched = serializers.IntegerField(required=False)


class EstateStatementProposalOut(serializers.Serializer):
    line = serializers.IntegerField()
    booked_on = serializers.DateField()
    amount = MoneyField()
    phone = serializers.CharField()
    payer_name = serializers.CharField()
    reference = serializers.CharField()
    outcome = serializers.ChoiceField(choices=list(STATEMENT_OUTCOMES))
    due_reference = serializers.CharField()
    lease_reference = serializers.CharField()
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class EstateStatementResultOut(serializers.Serializer):
    dry_run = serializers.BooleanField()
    already_imported = serializers.BooleanField()
    format = serializers.CharField()
    currency = serializers.CharField()
    statement = EstateStatementImportOut(allow_null=True)
    counts = EstateStatementCountsOut()
    total = MoneyField()
    auto_amount = MoneyField()
    lines = EstateStatementProposalOut(many=True)


class EstateStatementPartOut(serializers.Serializer):
    lease = serializers.UUIDField(source="lease.public_id")
    due = serializers.UUIDField(source="due.public_id", allow_null=True)
    amount = MoneyField(currency="line.currency")
    payment = serializers.UUIDField(source="payment.public_id")
    receipt_number = serializers.CharField(source="payment.receipt_number")


class EstateStatementLineOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    statement = serializers.UUIDField(source="statement.public_id")
    line_number = serializers.IntegerField()
    status = serializers.ChoiceField(choices=list(STATEMENT_LINE_STATUSES))
    booked_on = serializers.DateField()
    amount = MoneyField()
    applied = MoneyField("applied_amount")
    transaction_id = serializers.CharField()
    payer_phone = serializers.CharField()
    payer_name = serializers.CharField()
    reference = serializers.CharField()
    label = serializers.CharField()
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())
    suggested_due = serializers.UUIDField(source="suggested_due.public_id", allow_null=True, default=None)
    suggested_due_reference = serializers.CharField(
        source="suggested_due.reference", allow_null=True, default=None
    )
    suggested_lease_reference = serializers.CharField(
        source="suggested_due.lease.reference", allow_null=True, default=None
    )


class EstateStatementPartIn(StrictSerializer):
    due = serializers.UUIDField()
    amount = AmountField(min_value=1)


class EstateStatementConfirmIn(StrictSerializer):
    due = serializers.UUIDField(required=False, help_text="Default: the engine's suggestion")
    parts = EstateStatementPartIn(many=True, required=False, max_length=20, help_text="Split between dues")
    learn = serializers.BooleanField(
        required=False, default=True, help_text="Save « this phone pays this lease »"
    )


class EstateStatementConfirmOut(EstateStatementLineOut):
    parts = EstateStatementPartOut(many=True, source="parts.all")


class EstateStatementRuleOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    phone = serializers.CharField()
    lease = serializers.UUIDField(source="lease.public_id")
    lease_reference = serializers.CharField(source="lease.reference")
    unit = serializers.CharField(source="lease.unit.label")
    property = serializers.CharField(source="lease.unit.property.name")
    created_at = UTCDateTimeField()


# --- views ----------------------------------------------------------------------------------------


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _result_json(result) -> dict:
    return EstateStatementResultOut(
        {
            "dry_run": result.dry_run,
            "already_imported": result.already_imported,
            "format": result.format,
            "currency": result.currency,
            "statement": result.statement,
            "counts": {"auto": 0, "review": 0, "unmatched": 0, **result.counts},
            "total": result.total,
            "auto_amount": result.auto_amount,
            "lines": result.lines,
        }
    ).data


@body_limit(UPLOAD_LIMIT)
class StatementImportListView(generics.ListAPIView):
    """Statement imports of my organizations (finance roles), newest first."""

    serializer_class = EstateStatementImportOut
    pagination_class = Pages
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.statement_imports_for(self.request.user).select_related("organization")

    @extend_schema(
        tags=["estate"],
        request={"multipart/form-data": EstateStatementImportIn},
        responses={200: EstateStatementResultOut, 201: EstateStatementResultOut},
        summary="Import a MoMo or bank statement (dry_run: what would match, nothing written)",
    )
    @idempotent()
    def post(self, request, **kwargs):
        """201 with the import when new lines were stored; 200 for a dry run or a file already
        imported (`already_imported`: nothing imported). A bad line refuses the whole file
        (`statement_refused`, line-numbered)."""
        data = _parse(EstateStatementImportIn, request.data)
        uploaded = data["file"]
        result = statements.statement_import(
            actor=request.user,
            organization_id=selectors.statement_organization(request.user, data.get("organization")),
            fmt=data["format"],
            filename=uploaded.name or "statement",
            content=uploaded.read(statements.MAX_BYTES + 1),
            currency=data.get("currency") or None,
            dry_run=data["dry_run"],
        )
        created = not result.dry_run and not result.already_imported
        return Response(_result_json(result), status=201 if created else 200)


@extend_schema(tags=["estate"])
class StatementImportDetailView(APIView):
    @extend_schema(responses=EstateStatementImportOut)
    def get(self, request, statement_import_id, **kwargs):
        return Response(
            EstateStatementImportOut(selectors.statement_import_get(request.user, statement_import_id)).data
        )


@extend_schema(
    tags=["estate"],
    parameters=[
        OpenApiParameter("status", str, description="review (default: review and unmatched), matched, …"),
        OpenApiParameter("statement", str, description="one import (id)"),
    ],
)
class StatementLineListView(generics.ListAPIView):
    """Statement lines; by default the review queue (to review and unmatched)."""

    serializer_class = EstateStatementLineOut
    pagination_class = LinePages

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StatementLine.objects.none()
        query = self.request.query_params
        status = query.get("status")
        if status and status not in StatementLine.Status.values:
            raise InvalidInput(field="status")
        statement = None
        if query.get("statement"):
            statement = selectors.statement_import_get(self.request.user, query["statement"])
        return selectors.statement_lines_for(
            self.request.user, status=status or ("review", "unmatched"), statement=statement
        )


def _due(actor, line, public_id):
    due = selectors.dues_for(actor).filter(public_id=public_id, organization_id=line.organization_id).first()
    if due is None:
        raise NotFound(field="due")
    return due


@extend_schema(tags=["estate"])
class StatementLineConfirmView(APIView):
    @extend_schema(request=EstateStatementConfirmIn, responses={200: EstateStatementConfirmOut})
    @idempotent()
    def post(self, request, statement_line_id, **kwargs):
        """Apply a reviewed line to a due (default: the suggestion) or split it (`parts`, the
        amounts summing to the line's). Applied once: a second confirm is 409."""
        line = selectors.statement_line_get(request.user, statement_line_id)
        data = _parse(EstateStatementConfirmIn, request.data)
        parts = None
        if data.get("parts"):
            parts = [(_due(request.user, line, p["due"]), p["amount"]) for p in data["parts"]]
        due = _due(request.user, line, data["due"]) if data.get("due") else None
        statements.line_confirm(actor=request.user, line=line, due=due, parts=parts, learn=data["learn"])
        return Response(
            EstateStatementConfirmOut(selectors.statement_line_get(request.user, line.public_id)).data
        )


@extend_schema(tags=["estate"])
class StatementLineIgnoreView(APIView):
    @extend_schema(request=None, responses={200: EstateStatementLineOut})
    @idempotent()
    def post(self, request, statement_line_id, **kwargs):
        """Not rent (a refund, a transfer between the agency's accounts): out of the queue."""
        line = selectors.statement_line_get(request.user, statement_line_id)
        statements.line_ignore(actor=request.user, line=line)
        return Response(
            EstateStatementLineOut(selectors.statement_line_get(request.user, line.public_id)).data
        )


@extend_schema(tags=["estate"])
class StatementRuleListView(generics.ListAPIView):
    """Learned rules « this phone pays for this lease »."""

    serializer_class = EstateStatementRuleOut
    pagination_class = Pages

    def get_queryset(self):
        return selectors.statement_rules_for(self.request.user)


@extend_schema(tags=["estate"])
class StatementRuleDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, statement_rule_id, **kwargs):
        rule = selectors.statement_rule_get(request.user, statement_rule_id)
        statements.rule_delete(actor=request.user, rule=rule)
        return Response(status=204)
