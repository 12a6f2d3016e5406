"""Check a context against a template's variable schema, format it, render `{{ name }}`.

Everything is checked before anything is written: a missing, unknown or malformed variable
raises, so a message is rendered completely or not at all.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import override

from apps.core.money import Money, format_amount

from . import catalog
from .contracts import CHOICE, DATE, DATETIME, INT, MONEY, STR, URL, TemplateDef
from .errors import TemplateVariableInvalid, TemplateVariableMissing, TemplateVariableUnknown

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
ANY_BRACES = re.compile(r"\{\{|\}\}|\{%|%\}")
MASK = "******"
MAX_STR = 500


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text or ""))


def template_problems(template: TemplateDef, *texts: str) -> list[str]:
    """What is wrong with a text written for `template` (used by the admin editor)."""
    problems = []
    for text in texts:
        unknown = placeholders(text) - set(template.variables)
        if unknown:
            problems.append(
                _("Unknown variable(s): %(names)s. Available: %(available)s.")
                % {"names": ", ".join(sorted(unknown)), "available": ", ".join(sorted(template.variables))}
            )
        if ANY_BRACES.search(PLACEHOLDER.sub("", text or "")):
            problems.append(_("Only {{ variable }} placeholders are allowed (no tags, no filters)."))
    return problems


def validate_context(template: TemplateDef, context: dict) -> dict:
    """Return the context checked against the schema, or raise a field error."""
    if not isinstance(context, dict):
        raise TemplateVariableInvalid(_("The context must be an object."), field="context")
    unknown = sorted(set(context) - set(template.variables))
    if unknown:
        raise TemplateVariableUnknown(
            _("Unknown variable(s) for %(key)s: %(names)s.")
            % {"key": template.key, "names": ", ".join(unknown)},
            field=f"context.{unknown[0]}",
        )
    missing = sorted(
        name for name, var in template.variables.items() if var.required and context.get(name) in (None, "")
    )
    if missing:
        raise TemplateVariableMissing(
            _("Missing variable(s) for %(key)s: %(names)s.")
            % {"key": template.key, "names": ", ".join(missing)},
            field=f"context.{missing[0]}",
        )
    for name, value in context.items():
        if value is not None:
            _check(template, name, value)
    return dict(context)


def _invalid(name: str, why: str) -> TemplateVariableInvalid:
    return TemplateVariableInvalid(
        _("Variable %(name)s: %(why)s") % {"name": name, "why": why}, field=f"context.{name}"
    )


def _check(template: TemplateDef, name: str, value) -> None:
    var = template.variables[name]
    kind = var.type
    if kind in (STR, URL, CHOICE, DATE, DATETIME) and not isinstance(value, str):
        raise _invalid(name, _("a text is expected."))
    if kind == STR and len(value) > MAX_STR:
        raise _invalid(name, _("too long."))
    if kind == URL and not re.match(r"^https?://[^\s]+$", value):
        raise _invalid(name, _("an http(s) link is expected."))
    if kind == CHOICE and value not in (var.choices or {}):
        raise _invalid(name, _("one of %(choices)s is expected.") % {"choices": ", ".join(var.choices or {})})
    if kind == INT and (isinstance(value, bool) or not isinstance(value, int)):
        raise _invalid(name, _("an integer is expected."))
    if kind == DATE:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise _invalid(name, _("a date YYYY-MM-DD is expected."))
    if kind == DATETIME:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise _invalid(name, _("an ISO 8601 date and time is expected."))
    if kind == MONEY:
        if (
            not isinstance(value, dict)
            or set(value) != {"amount", "currency"}
            or isinstance(value["amount"], bool)
            or not isinstance(value["amount"], int)
        ):
            raise _invalid(name, _("an object {amount (integer, minor units), currency} is expected."))
        try:
            Money(value["amount"], value["currency"])
        except (ValueError, TypeError):
            raise _invalid(name, _("unknown currency."))


def format_values(template: TemplateDef, context: dict, *, language: str, tz: str) -> dict[str, str]:
    """Turn checked values into the text shown to this recipient (language, time zone)."""
    out: dict[str, str] = {}
    for name, var in template.variables.items():
        value = context.get(name)
        if value is None:
            out[name] = ""
        elif var.type == MONEY:
            out[name] = _money(value["amount"], value["currency"], language)
        elif var.type == DATE:
            out[name] = _date(value, language)
        elif var.type == DATETIME:
            out[name] = _datetime(value, tz, language)
        elif var.type == CHOICE:
            with override(language):
                out[name] = str(var.choices[value])
        else:
            out[name] = str(value)
    return out


# A bulk run formats the same few amounts and dates for thousands of recipients: each is
# formatted once per language (babel is the cost), then reused. Pure functions of their
# arguments, so the cache never changes a text.
@lru_cache(maxsize=8192)
def _money(amount: int, currency: str, language: str) -> str:
    return format_amount(amount, currency, language)


@lru_cache(maxsize=4096)
def _date(value: str, language: str) -> str:
    return format_date(date.fromisoformat(value), format="long", locale=language)


@lru_cache(maxsize=4096)
def _datetime(value: str, tz: str, language: str) -> str:
    moment = datetime.fromisoformat(value)
    return format_datetime(moment, format="d MMM y HH:mm", tzinfo=ZoneInfo(tz), locale=language)


@lru_cache(maxsize=1024)
def compile_text(text: str) -> tuple[str, ...]:
    """A text split once into literal parts and placeholder names, alternating (literal,
    name, literal, …, literal): rendering is then a join, not a regex pass per message."""
    return tuple(PLACEHOLDER.split(text))


def render(text: str, values: dict[str, str], *, html: bool = False) -> str:
    parts = compile_text(text)
    if len(parts) == 1:
        return parts[0]
    out = [parts[0]]
    for index in range(1, len(parts), 2):
        value = values[parts[index]]  # KeyError = a text with an undeclared variable
        out.append(escape(value) if html else value)
        out.append(parts[index + 1])
    return "".join(out)


def masked(values: dict[str, str], template: TemplateDef) -> dict[str, str]:
    return {name: (MASK if name in template.secret_variables else v) for name, v in values.items()}


def example_values(template: TemplateDef, language: str, tz: str) -> dict[str, str]:
    return format_values(template, template.example_context(), language=language, tz=tz)


__all__ = ["catalog", "masked", "placeholders", "render", "template_problems", "validate_context"]
