"""Helpers shared by the estate services: permission checks that hide what the actor may
not see, legal caps, document numbers (core's gap-free numbering), tokens."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.numbering import next_number
from apps.identity import api as identity

from ..errors import CommissionOverCap, DepositOverCap


def require(actor, permission: str, obj, *, view: str = "estate.portfolio.view") -> None:
    """Forbidden when the actor may see `obj` but not do this; NotFound when it may not even
    see it (another organization's object is a 404, never a 403)."""
    identity.require(actor, permission, obj, hide=not identity.can(actor, view, obj))


def caps(country: str) -> dict:
    found = settings.ESTATE_LEGAL_CAPS.get((country or "").upper())
    return {**settings.ESTATE_DEFAULT_CAPS, **(found or {})}


def check_deposit_cap(*, country: str, deposit_months: int) -> None:
    cap = int(caps(country)["deposit_months"])
    if deposit_months > cap:
        raise DepositOverCap(
            _("The deposit may not exceed %(cap)s months of rent (legal cap in %(country)s).")
            % {"cap": cap, "country": country},
            field="deposit_months",
        )


def check_commission_cap(*, country: str, rent: int, fee: int, field: str = "agency_fee") -> None:
    bps = int(caps(country)["agency_fee_bps"])
    if fee * 10_000 > rent * bps:
        raise CommissionOverCap(
            _(
                "The agency commission may not exceed %(percent)s %% of one month's rent (legal cap in %(country)s)."
            )
            % {"percent": f"{bps / 100:g}", "country": country},
            field=field,
        )


def check_commission_bps_cap(*, country: str, commission_bps: int) -> None:
    bps = int(caps(country)["agency_fee_bps"])
    if commission_bps > bps:
        raise CommissionOverCap(
            _(
                "The agency commission may not exceed %(percent)s %% of one month's rent (legal cap in %(country)s)."
            )
            % {"percent": f"{bps / 100:g}", "country": country},
            field="commission_bps",
        )


# The number formats of estate's documents, per kind: series "estate.<kind>" of
# apps.core.numbering, scoped to the managing organization, per year.
NUMBER_FORMATS = {
    "quittance": "Q{year}-{n:06d}",  # rent receipt: Q2026-000123
    "receipt": "RE{year}-{n:06d}",  # bank transfer / import recorded by estate: RE2026-000045
    "lease": "BAIL-{year}-{n:06d}",  # lease reference: BAIL-2026-000007
}


def document_number(*, organization_id: int, kind: str, when: date | None = None) -> str:
    """The next gap-free number of `kind` for the organization and year (inside the
    document's transaction)."""
    return next_number(
        series=f"estate.{kind}",
        scope=str(organization_id),
        year=(when or timezone.localdate()).year,
        template=NUMBER_FORMATS[kind],
    )


def token(length: int = 22) -> str:
    return secrets.token_urlsafe(length)[:length]


def code(length: int = 10) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(length))
