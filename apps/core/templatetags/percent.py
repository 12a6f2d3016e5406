"""`{% load percent %}{{ mandate.commission_bps|percent_bp }}`: a rate stored in basis points
(1 bp = 0.01 %), written as people read it — « 10 % » in French (no-break space, decimal
comma), "10%" in English; decimals only when needed: 1250 → « 12,5 % », 1234 → « 12,34 % ».

Pages never show "bp" or « points de base »."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import translation

register = template.Library()

NBSP = "\u00a0"


def format_percent_bp(basis_points, language: str | None = None) -> str:
    if basis_points in (None, ""):
        return ""
    language = (language or translation.get_language() or "fr")[:2]
    value = (Decimal(int(basis_points)) / 100).normalize()
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if language == "fr":
        return f"{text.replace('.', ',')}{NBSP}%"
    return f"{text}%"


@register.filter(name="percent_bp")
def percent_bp(basis_points) -> str:
    try:
        return format_percent_bp(basis_points)
    except (TypeError, ValueError, ArithmeticError):
        return ""
