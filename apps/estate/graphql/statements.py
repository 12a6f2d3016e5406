"""GraphQL for statement import and matching: queries `estateStatementImports`,
`estateStatementLines` (the review queue by default), `estateStatementRules`; mutations
`estateImportStatement` (the file as base64; `dryRun`), `estateConfirmStatementLine`,
`estateIgnoreStatementLine`, `estateDeleteStatementRule`. The same services and checks as
REST /api/v1/estate/statements/… (finance roles; another organization's rows are null or
empty). schema.py mounts StatementQueries / StatementMutations into EstateQueries /
EstateMutations."""

from __future__ import annotations

import base64
import binascii

import graphene

from apps.core.errors import NotFound
from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user, or_none
from apps.core.graphql.types import Amount, MoneyField, PublicIdField, UTCDateTime

from .. import selectors
from ..errors import InvalidInput
from ..models import StatementLine
from ..services import statements
from .mutations import _once


class EstateStatementImportType(graphene.ObjectType):
    id = PublicIdField()
    format = graphene.String(required=True, description="mtn_momo | moov_money | bank_csv | camt053")
    filename = graphene.String(required=True)
    currency = graphene.String(required=True)
    lines_read = graphene.Int(required=True)
    lines_new = graphene.Int(required=True)
    lines_known = graphene.Int(required=True)
    lines_skipped = graphene.Int(required=True)
    matched = graphene.Int(required=True)
    to_review = graphene.Int(required=True)
    total = MoneyField()
    applied = MoneyField()
    created_at = UTCDateTime(required=True)


class EstateStatementLineType(graphene.ObjectType):
    id = PublicIdField()
    statement_id = PublicIdField("statement.public_id")
    line_number = graphene.Int(required=True)
    status = graphene.String(required=True, description="matched | review | unmatched | confirmed | ignored")
    booked_on = graphene.Date(required=True)
    amount = MoneyField()
    applied = MoneyField("applied_amount")
    transaction_id = graphene.String(required=True)
    payer_phone = graphene.String(required=True)
    payer_name = graphene.String(required=True)
    reference = graphene.String(required=True)
    label = graphene.String(required=True)
    score = graphene.Int(required=True)
    reasons = graphene.List(graphene.NonNull(graphene.String), required=True)
    suggested_due_id = PublicIdField("suggested_due.public_id", required=False)
    suggested_due_reference = graphene.String()
    suggested_lease_reference = graphene.String()

    @staticmethod
    def resolve_suggested_due_reference(line, info):
        return line.suggested_due.reference if line.suggested_due_id else None

    @staticmethod
    def resolve_suggested_lease_reference(line, info):
        return line.suggested_due.lease.reference if line.suggested_due_id else None


class EstateStatementRuleType(graphene.ObjectType):
    id = PublicIdField()
    phone = graphene.String(required=True)
    lease_id = PublicIdField("lease.public_id")
    lease_reference = graphene.String(required=True)
    created_at = UTCDateTime(required=True)

    @staticmethod
    def resolve_lease_reference(rule, info):
        return rule.lease.reference


class EstateStatementProposalType(graphene.ObjectType):
    line = graphene.Int(required=True)
    booked_on = graphene.Date(required=True)
    amount = MoneyField()
    phone = graphene.String(required=True)
    payer_name = graphene.String(required=True)
    reference = graphene.String(required=True)
    outcome = graphene.String(required=True, description="auto | review | none")
    due_reference = graphene.String(required=True)
    lease_reference = graphene.String(required=True)
    score = graphene.Int(required=True)

    @staticmethod
    def resolve_line(row, info):
        return row["line"]

    @staticmethod
    def resolve_booked_on(row, info):
        return row["booked_on"]

    @staticmethod
    def resolve_phone(row, info):
        return row["phone"]

    @staticmethod
    def resolve_payer_name(row, info):
        return row["payer_name"]

    @staticmethod
    def resolve_reference(row, info):
        return row["reference"]

    @staticmethod
    def resolve_outcome(row, info):
        return row["outcome"]

    @staticmethod
    def resolve_due_reference(row, info):
        return row["due_reference"]

    @staticmethod
    def resolve_lease_reference(row, info):
        return row["lease_reference"]

    @staticmethod
    def resolve_score(row, info):
        return row["score"]


class EstateStatementResultType(graphene.ObjectType):
    dry_run = graphene.Boolean(required=True)
    already_imported = graphene.Boolean(required=True)
    currency = graphene.String(required=True)
    statement = graphene.Field(EstateStatementImportType)
    new_lines = graphene.Int(required=True)
    known_lines = graphene.Int(required=True)
    auto = graphene.Int(required=True)
    review = graphene.Int(required=True)
    unmatched = graphene.Int(required=True)
    total = MoneyField()
    auto_amount = MoneyField()
    lines = graphene.List(graphene.NonNull(EstateStatementProposalType), required=True)

    @staticmethod
    def resolve_new_lines(result, info):
        return result.counts.get("new", 0)

    @staticmethod
    def resolve_known_lines(result, info):
        return result.counts.get("known", 0)

    @staticmethod
    def resolve_auto(result, info):
        return result.counts.get("auto", 0)

    @staticmethod
    def resolve_review(result, info):
        return result.counts.get("review", 0)

    @staticmethod
    def resolve_unmatched(result, info):
        return result.counts.get("unmatched", 0)


# --- queries ------------------------------------------------------------------------------------


class StatementQueries(graphene.ObjectType):
    estate_statement_imports = graphene.List(
        graphene.NonNull(EstateStatementImportType), required=True, first=graphene.Int(default_value=50)
    )
    estate_statement_lines = graphene.List(
        graphene.NonNull(EstateStatementLineType),
        required=True,
        description="Statement lines; by default the review queue (review and unmatched).",
        status=graphene.String(),
        statement_id=graphene.UUID(),
        first=graphene.Int(default_value=50),
    )
    estate_statement_rules = graphene.List(
        graphene.NonNull(EstateStatementRuleType), required=True, first=graphene.Int(default_value=50)
    )

    @staticmethod
    def resolve_estate_statement_imports(root, info, first=50):
        user = current_user(info)
        return list(selectors.statement_imports_for(user)[: clamp_first(first)])

    @staticmethod
    def resolve_estate_statement_lines(root, info, status=None, statement_id=None, first=50):
        user = current_user(info)
        if status and status not in StatementLine.Status.values:
            return []
        statement = None
        if statement_id:
            statement = or_none(lambda: selectors.statement_import_get(user, statement_id))
            if statement is None:
                return []
        qs = selectors.statement_lines_for(
            user, status=status or ("review", "unmatched"), statement=statement
        )
        return list(qs[: clamp_first(first)])

    @staticmethod
    def resolve_estate_statement_rules(root, info, first=50):
        user = current_user(info)
        return list(selectors.statement_rules_for(user)[: clamp_first(first)])


# --- mutations ----------------------------------------------------------------------------------


class ImportEstateStatement(HokweMutation):
    """Import a statement file (base64). `dryRun`: what would match, nothing written. The same
    file again imports nothing (`alreadyImported`)."""

    class Arguments:
        organization_id = graphene.UUID(description="Required when you belong to several organizations")
        format = graphene.String(required=True, description="mtn_momo | moov_money | bank_csv | camt053")
        filename = graphene.String(required=True)
        content_base64 = graphene.String(required=True)
        currency = graphene.String()
        dry_run = graphene.Boolean(default_value=False)

    result = graphene.Field(EstateStatementResultType)

    @classmethod
    def perform(
        cls,
        info,
        user,
        *,
        format,
        filename,
        content_base64,
        organization_id=None,
        currency=None,
        dry_run=False,
    ):
        try:
            content = base64.b64decode(content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput(field="contentBase64") from None
        result = statements.statement_import(
            actor=user,
            organization_id=selectors.statement_organization(user, organization_id),
            fmt=format,
            filename=filename,
            content=content,
            currency=currency or None,
            dry_run=bool(dry_run),
        )
        return {"result": result}


class ConfirmEstateStatementPart(graphene.InputObjectType):
    due_id = graphene.UUID(required=True)
    amount = Amount(required=True)


class ConfirmEstateStatementLine(HokweMutation):
    """Apply a reviewed line to a due (default: the suggestion) or split it; applied once."""

    class Arguments:
        line_id = graphene.UUID(required=True)
        due_id = graphene.UUID()
        parts = graphene.List(graphene.NonNull(ConfirmEstateStatementPart))
        learn = graphene.Boolean(default_value=True)
        idempotency_key = graphene.String()

    line = graphene.Field(EstateStatementLineType)

    @classmethod
    def perform(cls, info, user, *, line_id, due_id=None, parts=None, learn=True, idempotency_key=None):
        line = selectors.statement_line_get(user, line_id)

        def due(public_id):
            found = (
                selectors.dues_for(user)
                .filter(public_id=public_id, organization_id=line.organization_id)
                .first()
            )
            if found is None:
                raise NotFound(field="dueId")
            return found

        def run():
            statements.line_confirm(
                actor=user,
                line=line,
                due=due(due_id) if due_id else None,
                parts=[(due(p.due_id), p.amount) for p in parts] if parts else None,
                learn=learn is not False,
            )
            return line.public_id

        _once(
            user,
            operation="estateConfirmStatementLine",
            key=idempotency_key,
            arguments={
                "line": str(line_id),
                "due": str(due_id or ""),
                "parts": [(str(p.due_id), p.amount) for p in parts or []],
                "learn": learn,
            },
            run=run,
        )
        return {"line": selectors.statement_line_get(user, line_id)}


class IgnoreEstateStatementLine(HokweMutation):
    class Arguments:
        line_id = graphene.UUID(required=True)

    line = graphene.Field(EstateStatementLineType)

    @classmethod
    def perform(cls, info, user, *, line_id):
        line = selectors.statement_line_get(user, line_id)
        statements.line_ignore(actor=user, line=line)
        return {"line": selectors.statement_line_get(user, line_id)}


class DeleteEstateStatementRule(HokweMutation):
    class Arguments:
        rule_id = graphene.UUID(required=True)

    @classmethod
    def perform(cls, info, user, *, rule_id):
        statements.rule_delete(actor=user, rule=selectors.statement_rule_get(user, rule_id))
        return {}


class StatementMutations(graphene.ObjectType):
    estate_import_statement = ImportEstateStatement.Field()
    estate_confirm_statement_line = ConfirmEstateStatementLine.Field()
    estate_ignore_statement_line = IgnoreEstateStatementLine.Field()
    estate_delete_statement_rule = DeleteEstateStatementRule.Field()
