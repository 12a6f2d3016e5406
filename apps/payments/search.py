"""Payments' answer to the agency's global search (apps/core/web/search.py): payment receipts
by their number (« R2026-000123 »), only those paid to the user's organizations, in one
bounded query."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.money import format_amount
from apps.core.web.search import Result
from apps.identity import api as identity

from .models import PaymentIntent


def search(user, q: str, limit: int) -> list[Result]:
    orgs = identity.organization_ids_of(user)
    if not orgs:
        return []
    rows = (
        PaymentIntent.objects.filter(organization_id__in=orgs, receipt_number__icontains=q)
        .exclude(receipt_code__isnull=True)
        .order_by("-succeeded_at", "-id")[:limit]
    )
    return [
        Result(
            kind="payment",
            kind_label=_("Payment receipt"),
            title=intent.receipt_number,
            detail=" · ".join(
                part
                for part in (
                    format_amount(intent.amount, intent.currency),
                    intent.payer_name,
                    intent.description,
                )
                if part
            ),
            url=reverse("payments:receipt", args=[intent.receipt_code]),
        )
        for intent in rows
    ]
