"""Shared bits of recovery's services: the timeline, tokens, numbering, public links."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from apps.core.money import currency_of_country
from apps.core.numbering import next_number as core_next_number
from apps.identity import api as identity

from ..models import Case, CaseEvent

PORTAL_PREFIX = "/recover/"


def token() -> str:
    return secrets.token_urlsafe(18)[:24]


def public_url(path: str) -> str:
    base = (
        getattr(settings, "RECOVERY_PUBLIC_BASE_URL", "")
        or settings.ESTATE_PUBLIC_BASE_URL
        or settings.PAYMENT_PUBLIC_BASE_URL
        or "https://hokwe.com"
    )
    return f"{base.rstrip('/')}{path}"


def portal_url(case: Case) -> str:
    """The debtor portal of the case (/recover/<token>/)."""
    return public_url(f"{PORTAL_PREFIX}{case.token}/")


def notice_url(case: Case, number: str) -> str:
    return public_url(f"{PORTAL_PREFIX}{case.token}/notice/{number}.pdf")


def event(case: Case, kind: str, *, actor=None, step=None, amount=None, text: str = "", data=None, at=None):
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        step=step,
        amount=amount,
        text=text[:2000],
        data=data or {},
        happened_at=at or timezone.now(),
    )


def event_row(
    case: Case, kind: str, *, step=None, amount=None, text: str = "", data=None, at=None
) -> CaseEvent:
    """An unsaved event (for bulk_create)."""
    return CaseEvent(
        case=case,
        kind=kind,
        step=step,
        amount=amount,
        text=text[:2000],
        data=data or {},
        happened_at=at or timezone.now(),
    )


def next_number(*, organization_id: int, kind: str, prefix: str, on: date) -> str:
    """Gapless per organization, kind and year: MED-2026-0007 (core's numbering, series
    `recovery.<kind>`, inside the caller's transaction)."""
    return core_next_number(
        series=f"recovery.{kind}",
        scope=str(organization_id),
        year=on.year,
        template=prefix + "-{year}-{n:04d}",
    )


def organization_currency(organization_id: int) -> str:
    """The currency of an organization's recovery aggregates (dashboard, hand-overs): its
    cases' (the debts are in the leases' currency), else its country's."""
    found = (
        Case.objects.filter(organization_id=organization_id)
        .order_by("-id")
        .values_list("currency", flat=True)
        .first()
    )
    if found:
        return found
    country = identity.get_organization(id=organization_id).country
    currency = currency_of_country(country)
    if currency is None:
        raise ValueError(f"no currency known for organization {organization_id} ({country})")
    return currency


def require(actor, permission: str, obj) -> None:
    """NotFound when the actor may not even see the object, Forbidden when they may see it
    but not do this."""
    if not identity.can(actor, "recovery.case.view", obj) and not identity.can(actor, permission, obj):
        from apps.core.errors import NotFound

        raise NotFound()
    identity.require(actor, permission, obj)


# --- the aging cache: one version per organization, bumped by every money change seen ---------


def aging_version(organization_id: int) -> int:
    return cache.get(f"recovery:aging:v:{organization_id}", 0)


def aging_invalidate(organization_id: int) -> None:
    key = f"recovery:aging:v:{organization_id}"
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=None)


def refuse_for_loan(case: Case) -> None:
    """Lease-only actions (estate's dues, the lease's late fees, cash on the lease, a formal
    notice or a payment plan of the lease's dues) refuse a loan case: a translated 409."""
    from ..contracts import CaseKind
    from ..errors import LeaseOnly

    if case.kind == CaseKind.LOAN:
        raise LeaseOnly()
