"""Shared GraphQL building blocks: typed errors in mutation payloads, Money."""

import datetime as dt
from decimal import Decimal

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphene.utils.str_converters import to_snake_case
from graphql import GraphQLError
from graphql.language import IntValueNode

from apps.core.errors import DomainError
from apps.core.money import Money


class FieldError(graphene.ObjectType):
    """One problem with the input: which field (or null for the whole input), a stable
    code, and a translated message."""

    field = graphene.String()
    code = graphene.String(required=True)
    message = graphene.String(required=True)


AMOUNT_MAX = 10**12  # REST's bound (apps.core.rest.AmountField), far below 2^53


class InvalidAmount(DomainError, GraphQLError):
    """An `Amount` input that is not an integer from 0 to 10^12. Raised while graphql-core
    coerces the input, so it comes out as a top-level error (HTTP 400, no `data`) with
    `extensions.code: invalid_amount` and this translated message. Both a GraphQLError
    (a literal in the document is reported as is, with its extensions) and a DomainError
    (a variable's error wraps it, and the view reads code and message from a DomainError)."""

    code = "invalid_amount"

    def __init__(self, message):
        super().__init__(message)  # DomainError's, then GraphQLError's with the text
        self.extensions = {"code": self.code}


def _invalid_amount(value) -> InvalidAmount:
    # The REST field's messages (AmountField, and DRF's bounds), already translated.
    if type(value) is int and value < 0:
        return InvalidAmount(
            _("Ensure this value is greater than or equal to {min_value}.").format(min_value=0)
        )
    if type(value) is int:
        return InvalidAmount(
            _("Ensure this value is less than or equal to {max_value}.").format(max_value=AMOUNT_MAX)
        )
    return InvalidAmount(
        _(
            "An amount is a whole number in the currency's minor unit, sent as a JSON integer "
            '(25000, not 25000.0 nor "25000").'
        )
    )


def _checked_amount(value):
    if type(value) is not int or not 0 <= value <= AMOUNT_MAX:
        raise _invalid_amount(value)
    return value


class Amount(graphene.Scalar):
    """A money amount in the currency's minor unit, 64-bit safe (GraphQL's `Int` stops at
    2^31 - 1, 2.1 billion FCFA). On the wire a JSON integer, never a string: every amount
    is at most 10^12 (REST's bound), far below 2^53, so JavaScript reads it exactly.
    Input: an integer from 0 to 10^12; a float (even 1000.0), a string ("1000"), a
    boolean, a negative or a larger value is refused with a GraphQL error
    `extensions.code: invalid_amount` (docs/api.md, "GraphQL amounts")."""

    @staticmethod
    def serialize(value):
        # Output is lenient on the Python type (a database SUM may come back as Decimal)
        # but never rounds: a fractional or non-numeric value is a server bug.
        if not isinstance(value, bool) and isinstance(value, int | Decimal | float) and value == int(value):
            return int(value)
        raise TypeError(f"Amount cannot represent {value!r}")

    @staticmethod
    def parse_value(value):
        return _checked_amount(value)

    @staticmethod
    def parse_literal(ast, _variables=None):
        if isinstance(ast, IntValueNode):
            return _checked_amount(int(ast.value))
        raise _invalid_amount(getattr(ast, "value", None))


class MoneyType(graphene.ObjectType):
    amount = Amount(required=True, description="Integer amount in the currency's minor unit")
    currency = graphene.String(required=True)
    formatted = graphene.String(required=True)

    @staticmethod
    def resolve_formatted(money, info):
        from django.utils.translation import get_language

        return money.format(get_language() or "fr")


def _read(obj, path: str):
    for part in path.split("."):
        obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def MoneyField(amount: str | None = None, *, currency: str = "currency", required: bool = True, **kwargs):
    """A Money field read from the parent object: `rent = MoneyField()` reads `obj.rent` and
    `obj.currency`; `credit = MoneyField("credit_balance", currency="lease.currency")` reads
    other attributes (dotted paths and dict keys work too). No resolver to write, and no
    default currency: a row without one is a programming error."""

    def resolve(parent, info):
        value = _read(parent, amount or to_snake_case(info.field_name))
        if value is None:
            return None
        code = _read(parent, currency)
        if not code:
            raise ValueError(f"{type(parent).__name__} has no currency at {currency!r}")
        return Money(int(value), code)

    return graphene.Field(MoneyType, required=required, resolver=resolve, **kwargs)


def errors_from(exc: Exception) -> list[FieldError]:
    """DomainError / Django ValidationError / DRF-style dicts -> [FieldError]."""
    if isinstance(exc, DomainError):
        return [FieldError(field=exc.field, code=exc.code, message=str(exc.message))]
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return [
                FieldError(field=None if name == "__all__" else name, code=e.code or "invalid", message=m)
                for name, errs in exc.error_dict.items()
                for e in errs
                for m in e.messages
            ]
        return [
            FieldError(field=None, code=e.code or "invalid", message=m)
            for e in exc.error_list
            for m in e.messages
        ]
    raise exc


def serializer_errors(errors: dict) -> list[FieldError]:
    from apps.core.errors import flatten_field_errors

    return [FieldError(**e) for e in flatten_field_errors(errors)]


def deprecated_alias(field, *, use: str, resolver=None) -> graphene.Field:
    """The same field under its old name, marked deprecated (`@deprecated(reason: "Use
    estateMyDues.")`), so the apps keep working while they move to the new name:

        estate_my_dues = graphene.List(graphene.NonNull(EstateDueType), first=graphene.Int())
        ...
        my_dues = deprecated_alias(estate_my_dues, use="estateMyDues", resolver=resolve_estate_my_dues)
    """
    if not isinstance(field, graphene.Field):
        field = field.mount_as(graphene.Field)
    return graphene.Field(
        field._type,
        args=field.args,
        resolver=resolver or field.resolver,
        description=field.description,
        deprecation_reason=f"Use {use}.",
    )


def PublicIdField(attr: str = "public_id", *, required: bool = True, **kwargs) -> graphene.Field:
    """`id`: the row's public UUID (internal keys never leave the server), with no resolver
    to write: `id = PublicIdField()`."""
    return graphene.Field(
        graphene.UUID, required=required, resolver=lambda row, info: _read(row, attr), **kwargs
    )


class UTCDateTime(graphene.DateTime):
    """The schema's `DateTime`: ISO 8601 in UTC with `Z` (`2026-11-24T09:30:00Z`), the same
    rule as REST (docs/api.md). Every module's timestamps use it instead of graphene's
    DateTime (same name in the schema, so the apps' documents do not change)."""

    class Meta:
        name = "DateTime"

    @staticmethod
    def serialize(value):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
        return graphene.DateTime.serialize(value)
