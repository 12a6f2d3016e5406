"""Shared bits of recovery's services: the timeline, tokens, numbering, public links."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from apps.identity import api as identity

from ..models import Case, CaseEvent, NumberSequence

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
    """Gapless per organization, kind and year: MED-2026-0007."""
    with transaction.atomic():
        seq, _ = NumberSequence.objects.select_for_update().get_or_create(
            organization_id=organization_id, kind=kind, year=on.year
        )
        seq.last += 1
        seq.save(update_fields=["last"])
    return f"{prefix}-{on.year}-{seq.last:04d}"


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
