"""REST building blocks shared by every module's rest/ package."""

import datetime as dt
import logging
import re

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import models
from django.http import Http404, QueryDict
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions as drf
from rest_framework import serializers

from .errors import DomainError, domain_error_headers, flatten_field_errors, problem
from .money import money_json

logger = logging.getLogger("hokwe.errors")


class StrictSerializer(serializers.Serializer):
    """Refuses unknown fields instead of silently ignoring them (a typo in a field name
    must not be mistaken for "no value")."""

    default_error_messages = {"unknown_field": _("Unknown field.")}

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [self.error_messages["unknown_field"]] for name in unknown}, code="unknown_field"
                )
        return super().to_internal_value(data)


def _from_form(field) -> bool:
    """True when the serializer reads a form or multipart body (a QueryDict: every value
    is a string there). JSON bodies are plain dicts and get strict types."""
    return isinstance(getattr(field.root, "initial_data", None), QueryDict)


_FORM_INTEGER = r"-?[0-9]+"


class StrictIntegerField(serializers.IntegerField):
    """An integer input: in a JSON body only a JSON integer (`5`), never `5.0`, `"5"` or
    `true` (DRF's IntegerField takes all three). In a form or multipart body, where
    everything is text, only digits. Query-string serializers keep IntegerField."""

    def to_internal_value(self, data):
        if _from_form(self):
            if not (isinstance(data, str) and re.fullmatch(_FORM_INTEGER, data.strip())):
                self.fail("invalid")
        elif isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class AmountField(StrictIntegerField):
    """A money amount input: an integer in the currency's minor unit (docs/api.md,
    "Identifiers and amounts"). A float, even integral (`1000.0`), a string (`"1000"`)
    or a boolean is refused with the field code `invalid_amount`. Bounds default to
    0 … 10^12 unless given."""

    default_error_messages = {
        "invalid": _(
            "An amount is a whole number in the currency's minor unit, sent as a JSON integer "
            '(25000, not 25000.0 nor "25000").'
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", 10**12)
        kwargs.setdefault("help_text", _("Integer amount in the currency's minor unit"))
        super().__init__(**kwargs)

    def fail(self, key, **kwargs):
        if key == "invalid":
            raise serializers.ValidationError(self.error_messages["invalid"], code="invalid_amount")
        return super().fail(key, **kwargs)


class UTCDateTimeField(serializers.DateTimeField):
    """A timestamp on the wire: ISO 8601 in UTC with `Z` (`2026-11-24T09:30:00Z`,
    docs/api.md), whatever the server's display time zone (pages show local time). A
    timestamp sent without an offset is read as UTC."""

    def default_timezone(self):
        return dt.UTC


class HokweModelSerializer(serializers.ModelSerializer):
    """ModelSerializer whose model timestamps are UTCDateTimeField."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UTCDateTimeField,
    }


class MoneySerializer(serializers.Serializer):
    """An amount on the wire: `{amount, currency, formatted}` (the OpenAPI component `Money`).
    Read-only: inputs take an integer amount and, where it can vary, a currency field."""

    amount = serializers.IntegerField(help_text=_("Integer amount in the currency's minor unit"))
    currency = serializers.CharField(min_length=3, max_length=3, help_text=_("ISO 4217 code"))
    formatted = serializers.CharField(help_text=_("The amount as people read it, in the response's language"))


def _read(obj, path: str):
    for part in path.split("."):
        obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
        if obj is None:
            return None
    return obj


@extend_schema_field(MoneySerializer)
class MoneyField(serializers.Field):
    """A read-only amount taken from the object: `rent = MoneyField()` reads `obj.rent` and
    `obj.currency`; `MoneyField("deposit_paid")`, `MoneyField(currency="lease.currency")`
    read other attributes (dotted paths and dict keys work too). The currency always
    comes from the row: there is no default, and a row without one is a programming error.
    A null amount renders null (declare `allow_null=True`)."""

    def __init__(self, amount: str | None = None, *, currency: str = "currency", **kwargs):
        self.amount_path = amount
        self.currency_path = currency
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.amount_path = self.amount_path or field_name

    def to_representation(self, obj):
        amount = _read(obj, self.amount_path)
        if amount is None:
            return None
        currency = _read(obj, self.currency_path)
        if not currency:
            raise ValueError(f"{type(obj).__name__} has no currency at {self.currency_path!r}")
        return money_json(amount, currency)


def takes_idempotency_key(method):
    """Mark a view method that honours the Idempotency-Key header by itself (passing it to a
    service): the OpenAPI schema then documents the header (apps.core.openapi). `idempotent`
    marks its methods already."""
    method.accepts_idempotency_key = True
    return method


def idempotent(scope_of=None):
    """Decorator for a DRF view method: honour the Idempotency-Key header.

    Without the header the method runs normally. With it, the first response is stored and
    replayed for retries (with `Idempotent-Replayed: true`); the same key with another body
    gets 409. `scope_of(request)` names whose keys these are (default: the user).
    """
    from functools import wraps

    from rest_framework.response import Response

    from .idempotency import HEADER, fingerprint_of, run_idempotent

    def default_scope(request):
        user = request.user
        return f"user:{user.pk}" if user.is_authenticated else f"anon:{request.META.get('REMOTE_ADDR', '')}"

    def decorate(method):
        @wraps(method)
        def wrapper(self, request, *args, **kwargs):
            key = request.headers.get(HEADER)
            if key is None:
                return method(self, request, *args, **kwargs)

            def operation():
                response = method(self, request, *args, **kwargs)
                if response.status_code >= 400:
                    raise _NotStored(response)
                return response.status_code, response.data

            try:
                status, body, replayed = run_idempotent(
                    scope=(scope_of or default_scope)(request),
                    key=key,
                    fingerprint=fingerprint_of(request.method, request.path, request.data),
                    operation=operation,
                )
            except _NotStored as failed:
                return failed.response
            response = Response(body, status=status)
            if replayed:
                response["Idempotent-Replayed"] = "true"
            return response

        return takes_idempotency_key(wrapper)

    return decorate


class _NotStored(Exception):
    """An error response: roll the idempotency record back so the key may be retried."""

    def __init__(self, response):
        super().__init__(response.status_code)
        self.response = response


def problem_exception_handler(exc, context):
    """DRF EXCEPTION_HANDLER: every error becomes problem details."""
    request = context.get("request")
    instance = request.path if request is not None else None

    if isinstance(exc, DomainError):
        errors = [{"field": exc.field, "code": exc.code, "message": str(exc.message)}] if exc.field else None
        return problem(
            exc.status,
            code=exc.code,
            detail=exc.message,
            errors=errors,
            instance=instance,
            headers=domain_error_headers(exc),
            extra=getattr(exc, "extra", None),
        )
    if isinstance(exc, RequestDataTooBig):
        return problem(
            413,
            code="body_too_large",
            detail=gettext_now("The request body is too large."),
            instance=instance,
        )
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf.PermissionDenied()
    elif isinstance(exc, ValidationError):
        exc = drf.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )

    if isinstance(exc, drf.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(int(exc.wait) + (0 if exc.wait == int(exc.wait) else 1))
        if isinstance(exc, drf.ValidationError):
            return problem(
                400,
                code="validation_error",
                detail=gettext_now("Some fields are invalid."),
                errors=flatten_field_errors(exc.detail),
                instance=instance,
                headers=headers,
            )
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.default_detail)
        if isinstance(exc, drf.ParseError):
            detail = gettext_now("The request body is not valid JSON.")
        return problem(exc.status_code, code=code, detail=detail, instance=instance, headers=headers)

    logger.exception("unhandled_api_error", exc_info=exc)
    return problem(
        500, code="server_error", detail=gettext_now("An unexpected error occurred."), instance=instance
    )
