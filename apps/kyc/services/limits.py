"""`check`: may this user (or organization) move this amount? Raises a DomainError naming
the limit and how to raise it. Reads only."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.core.money import Money
from apps.identity import api as identity

from .. import selectors
from ..contracts import INFLOW_OPERATIONS, OUTFLOW_OPERATIONS, LimitName, Limits, Operation, Tier, Usage
from ..errors import (
    IdentityVerificationRequired,
    KycCurrencyNotCovered,
    KycLimitExceeded,
    OrganizationNotVerified,
)

_usage_source = None


def set_usage_source(source) -> None:
    """Register who knows a user's wallet usage (a contracts.UsageSource), or None."""
    global _usage_source
    _usage_source = source


def usage_source():
    return _usage_source


def limit_label(name: str) -> str:
    return {
        LimitName.MAX_BALANCE: _("maximum balance"),
        LimitName.MONTHLY_INFLOW: _("monthly inflow limit"),
        LimitName.SINGLE_TRANSACTION: _("single-transaction maximum"),
        LimitName.DAILY_OUTFLOW: _("daily outflow limit"),
    }[LimitName(name)]


def how_to_raise(tier: int) -> str:
    if tier <= Tier.PHONE:
        return _(
            "To raise it, verify your identity with an ID card, passport or driving licence in the Hokwe app."
        )
    if tier == Tier.IDENTITY:
        return _("To raise it, add a selfie and a proof of address in the Hokwe app.")
    return _("This is the highest verification level: contact Hokwe support to ask for a higher limit.")


@dataclass(frozen=True)
class _Breach:
    name: str
    maximum: int
    remaining: int


def _first_breach(limits: Limits, operation: Operation, amount: int, usage: Usage) -> _Breach | None:
    checks = [(LimitName.SINGLE_TRANSACTION, 0)]
    if operation in INFLOW_OPERATIONS:
        checks += [
            (LimitName.MONTHLY_INFLOW, usage.inflow_this_month),
            (LimitName.MAX_BALANCE, usage.balance),
        ]
    if operation in OUTFLOW_OPERATIONS:
        checks += [(LimitName.DAILY_OUTFLOW, usage.outflow_today)]
    for name, used in checks:
        maximum = limits.value(name)
        if used + amount > maximum:
            return _Breach(str(name), maximum, max(0, maximum - used))
    return None


def check_user(
    *, user, operation: Operation, amount: int, currency: str, usage: Usage | None = None
) -> Limits:
    tier = selectors.tier_of(user)
    limits = selectors.limits(country=selectors.country_of_user(user), tier=tier)
    return check_limits(
        user=user,
        tier=tier,
        limits=limits,
        operation=operation,
        amount=amount,
        currency=currency,
        usage=usage,
    )


def check_limits(
    *, user, tier: int, limits: Limits, operation: Operation, amount: int, currency: str, usage: Usage | None
) -> Limits:
    """`check_user` once the user's tier and limits are read (by it, or by a per-call
    `limits_reads.LimitReads`): the same rules and the same refusals."""
    if currency != limits.currency:
        raise KycCurrencyNotCovered(field="amount", currency=currency, tier=tier)
    if usage is None:
        source = usage_source()
        usage = source.usage(user_public_id=str(user.public_id), currency=currency) if source else Usage()
    breach = _first_breach(limits, operation, amount, usage)
    if breach is None:
        return limits
    language = get_language() or "fr"
    message = _(
        "%(amount)s is above your %(limit)s at verification level %(tier)s (%(maximum)s; "
        "%(remaining)s left). %(how)s"
    ) % {
        "amount": Money(amount, currency).format(language),
        "limit": limit_label(breach.name),
        "tier": tier,
        "maximum": Money(breach.maximum, currency).format(language),
        "remaining": Money(breach.remaining, currency).format(language),
        "how": how_to_raise(tier),
    }
    raise KycLimitExceeded(
        message,
        field="amount",
        limit=breach.name,
        tier=tier,
        maximum=breach.maximum,
        remaining=breach.remaining,
        next_tier=min(tier + 1, Tier.FULL) if tier < Tier.FULL else None,
    )


def check_organization_payout(*, organization_id: int) -> None:
    """Agencies and merchants (companies) need their KYB (RCCM, IFU, directors) approved. An
    owner-kind organization (a landlord, a person) may instead rely on its owner's own
    identity verification (an ID document, tier 1): most landlords have no RCCM."""
    if selectors.organization_verified(organization_id):
        return
    if identity.get_organization(id=organization_id).kind == "owner":
        if selectors.owner_identity_verified(organization_id):
            return
        raise IdentityVerificationRequired(field="organization")
    raise OrganizationNotVerified(field="organization")
