"""Payments' reads, always scoped to the actor: a member of the payee organization (any
role) or the payer sees an intent; anyone else gets a 404."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from apps.core.errors import NotFound
from apps.identity import api as identity

from .contracts import IntentStatus
from .errors import IntentNotFound
from .models import PaymentIntent, Payout, PayoutAccount


def intents_visible_to(actor) -> QuerySet[PaymentIntent]:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return PaymentIntent.objects.none()
    orgs = identity.organization_ids_of(actor)
    return PaymentIntent.objects.filter(Q(organization_id__in=orgs) | Q(payer_id=actor.pk)).select_related(
        "organization"
    )


def current_attempts(intents) -> dict[int, tuple[str, str]]:
    """(provider, method) of the latest attempt of each pending intent among `intents` that
    does not show its own yet (they are set when it succeeds): one query for a whole list."""
    from .models import PaymentAttempt

    pending = [i.pk for i in intents if i.status == IntentStatus.PENDING and not i.provider]
    if not pending:
        return {}
    found: dict[int, tuple[str, str]] = {}
    rows = (
        PaymentAttempt.objects.filter(intent_id__in=pending)
        .order_by("intent_id", "-created_at", "-id")
        .values_list("intent_id", "provider", "method")
    )
    for intent_id, provider, method in rows:
        found.setdefault(intent_id, (provider, method))
    return found


def intent_visible_to(actor, public_id) -> PaymentIntent:
    try:
        uuid = UUID(str(public_id))
    except ValueError:
        raise IntentNotFound() from None
    intent = intents_visible_to(actor).filter(public_id=uuid).first()
    if intent is None:
        raise IntentNotFound()
    return intent


def intent_by_pay_token(token: str) -> PaymentIntent:
    intent = PaymentIntent.objects.select_related("organization").filter(pay_token=str(token)[:32]).first()
    if intent is None:
        raise IntentNotFound()
    return intent


def intent_by_receipt_code(code: str) -> PaymentIntent:
    intent = (
        PaymentIntent.objects.select_related("organization")
        .filter(receipt_code=str(code)[:16].upper())
        .first()
    )
    if intent is None:
        raise IntentNotFound()
    return intent


def organization_for(actor, public_id, permission: str):
    """An organization the actor may act for (its internal id), or NotFound."""
    try:
        org = identity.get_organization(public_id)
    except NotFound:
        raise NotFound(field="organization") from None
    if not identity.can(actor, permission, org.id):
        raise NotFound(field="organization")
    return org


def payout_accounts_visible_to(actor, organization_id: int | None = None) -> QuerySet[PayoutAccount]:
    orgs = identity.organization_ids_of(actor, roles=identity.FINANCE_ROLES)
    qs = PayoutAccount.objects.filter(organization_id__in=orgs, is_active=True).select_related("organization")
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    return qs


def payout_account_visible_to(actor, public_id) -> PayoutAccount:
    account = payout_accounts_visible_to(actor).filter(public_id=public_id).first()
    if account is None:
        raise NotFound()
    return account


def payouts_visible_to(actor, organization_id: int | None = None) -> QuerySet[Payout]:
    orgs = identity.organization_ids_of(actor, roles=identity.FINANCE_ROLES)
    qs = Payout.objects.filter(organization_id__in=orgs).select_related("organization", "payout_account")
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    return qs


def payout_visible_to(actor, public_id) -> Payout:
    payout = payouts_visible_to(actor).filter(public_id=public_id).first()
    if payout is None:
        raise NotFound()
    return payout


def cash_report(*, agent, organization_id: int | None, day: date) -> dict:
    """End-of-day cash report of one agent: every cash payment recorded that day."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    qs = PaymentIntent.objects.filter(
        attempts__provider="cash",
        attempts__status="succeeded",
        attempts__recorded_by=agent,
        succeeded_at__gte=start,
        succeeded_at__lt=start + timedelta(days=1),
    )
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    rows = list(
        qs.order_by("succeeded_at").values(
            "public_id",
            "receipt_number",
            "amount",
            "currency",
            "payer_name",
            "payer_phone",
            "description",
            "succeeded_at",
            "status",
            "amount_refunded",
        )
    )
    totals = {
        row["currency"]: row["total"]
        for row in qs.values("currency")
        .annotate(total=Sum("amount"), n=Count("id"))
        .values("currency", "total")
    }
    refunded = qs.exclude(status=IntentStatus.SUCCEEDED).aggregate(s=Sum("amount_refunded"))["s"] or 0
    return {"day": day, "payments": rows, "count": len(rows), "totals": totals, "refunded": refunded}


# --- an organization's currencies --------------------------------------------------------------


def organization_currency(organization) -> str | None:
    """The organization's own currency: the first of identity's Organization.currencies
    (its country's by default), None when it has none."""
    currencies = list(organization.currencies or ())
    return currencies[0] if currencies else None


def organization_currencies(organization) -> set[str]:
    """The currencies an organization takes payments in (identity's Organization.currencies;
    holding a ledger account in a currency does not make it one)."""
    return set(organization.currencies or ())
