"""PUBLIC: what other modules may call in kyc.

Limits (payments, wallet — before moving money):
    check(user, operation, amount, *, organization=None, currency=None, usage=None)
        raises KycLimitExceeded (names the limit and how to raise it), KycCurrencyNotCovered,
        or OrganizationNotVerified (payout to an organization without approved KYB)
    limits_for(user) -> contracts.Limits;  tier_of(user) -> int;  status_of(user) -> KycStatus
    set_usage_source(source)   # a contracts.UsageSource: balance, inflow this month, outflow today

Business verification (payouts):
    organization_verified(org) -> bool;  organization_verification(org) -> OrganizationVerification
    check(None, "payout", …, organization=org): agencies/merchants need KYB; an owner-kind
    organization (a landlord) may instead have its owner's identity verified (ID, tier 1)
    verified_name(user) -> str | None   # the name on the person's approved identity verification

`user` may be a user object, an identity UserInfo, or a user public id (str / UUID);
`organization` an organization object, an OrganizationInfo, an internal id or a public id;
`amount` an int in minor units (with `currency`) or a core Money.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from apps.core.money import Money
from apps.identity import api as identity
from apps.identity.contracts import OrganizationInfo, UserInfo

from . import selectors
from .contracts import (
    KycStatus,
    Limits,
    Observation,
    ObservedKind,
    ObservedTransaction,
    Operation,
    OrganizationVerification,
    Usage,
)
from .errors import (
    IdentityVerificationRequired,
    KycCurrencyNotCovered,
    KycLimitExceeded,
    OrganizationNotVerified,
)
from .models import RejectionReason
from .services import limits as limit_services
from .services import monitoring as monitoring_services

__all__ = [
    "IdentityVerificationRequired",
    "KycCurrencyNotCovered",
    "KycLimitExceeded",
    "OrganizationNotVerified",
    "Observation",
    "ObservedKind",
    "ObservedTransaction",
    "check",
    "check_many",
    "limit_reads",
    "limits_for",
    "observe_transaction",
    "organization_verification",
    "organization_verified",
    "rejection_reason_label",
    "seal_file",
    "set_usage_source",
    "status_of",
    "tier_of",
    "unseal_file",
    "verified_name",
    "tiers_of",
]

set_usage_source = limit_services.set_usage_source


@dataclass(frozen=True)
class _Person:
    pk: int
    public_id: uuid.UUID
    phone: str | None


def _person(user):
    if user is None:
        return None
    if isinstance(user, UserInfo):
        return _Person(pk=user.id, public_id=user.public_id, phone=user.phone)
    if getattr(user, "pk", None) is not None and hasattr(user, "public_id"):
        return user
    info = identity.get_user(user)  # a public id; NotFound when unknown
    return _Person(pk=info.id, public_id=info.public_id, phone=info.phone)


def _organization_id(organization) -> int:
    if isinstance(organization, OrganizationInfo):
        return organization.id
    if isinstance(organization, int) and not isinstance(organization, bool):
        return organization
    if getattr(organization, "pk", None) is not None:
        return organization.pk
    return identity.get_organization(organization).id


def _amount(amount, currency: str | None) -> tuple[int, str | None]:
    if isinstance(amount, Money):
        return amount.amount, amount.currency
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("amount is an int in minor units (or a Money)")
    return amount, currency


def check(
    user=None,
    operation: Operation | str = Operation.PAYMENT,
    amount=0,
    *,
    organization=None,
    currency: str | None = None,
    usage: Usage | None = None,
) -> None:
    """Refuse (raise) when `operation` of `amount` is above what the verification allows.

    - a payout to an organization needs its KYB approved;
    - for a user: the single-transaction maximum always; for money coming into the wallet
      (wallet_topup, transfer_in) the monthly inflow and the maximum balance; for money
      leaving it (wallet_payment, transfer_out, withdrawal, payout) the daily outflow.
      Usage comes from `usage`, else from the registered UsageSource, else counts as zero.
    An anonymous payer (user None) has nothing to check at this level."""
    operation = Operation(operation)
    value, currency = _amount(amount, currency)
    if value < 0:
        raise ValueError("amount must not be negative")
    if operation == Operation.PAYOUT and organization is not None:
        limit_services.check_organization_payout(organization_id=_organization_id(organization))
    person = _person(user)
    if person is None:
        return
    if currency is None:
        currency = limits_for(person).currency
    limit_services.check_user(user=person, operation=operation, amount=value, currency=currency, usage=usage)


def limits_for(user) -> Limits:
    """The limits of the user's current tier in their country."""
    person = _person(user)
    return selectors.limits(country=selectors.country_of_user(person), tier=selectors.tier_of(person))


def tier_of(user) -> int:
    return selectors.tier_of(_person(user))


def status_of(user) -> KycStatus:
    person = _person(user)
    latest = selectors.latest_submission(person)
    return KycStatus(
        user_public_id=str(person.public_id),
        tier=selectors.tier_of(person),
        country=selectors.country_of_user(person),
        submission_status=latest.status if latest else "",
        rejection_reason=latest.rejection_reason if latest else "",
    )


def organization_verified(organization) -> bool:
    """True when the organization's business verification (KYB) is approved."""
    return selectors.organization_verified(_organization_id(organization))


def organization_verification(organization) -> OrganizationVerification:
    organization_id = _organization_id(organization)
    latest = selectors.latest_business_submission(organization_id)
    public_id = identity.get_organization(id=organization_id).public_id
    return OrganizationVerification(
        organization_public_id=str(public_id),
        status=latest.status if latest else "",
        verified=selectors.organization_verified(organization_id),
        decided_at=latest.decided_at if latest else None,
    )


def rejection_reason_label(code: str) -> str:
    """The translated text of a rejection reason (in the active language)."""
    try:
        return str(RejectionReason(code).label)
    except ValueError:
        return str(RejectionReason.OTHER.label)


def verified_name(user) -> str | None:
    """The name ("First Last") on the person's approved identity verification (an ID document,
    tier 1 or more, not expired), or None: what a payout account in their own name must match."""
    person = _person(user)
    if person is None:
        return None
    return selectors.verified_name(person.pk)


# --- transaction monitoring (AML) ---------------------------------------------------------------


def observe_transaction(observed: ObservedTransaction) -> Observation:
    """Hand a transaction that happened to monitoring (payments does it from its handlers,
    after commit). Recorded once per `observed.source_key` (a replay records nothing and
    opens nothing); the rules run on it and open or update alerts for compliance."""
    return monitoring_services.observe(observed)


# --- sealed files: other modules' sensitive files under the KYC document encryption (scoring) ---


def seal_file(plaintext: bytes, *, aad: bytes):
    """Encrypt a file as KYC documents are (a per-file AES-256-GCM data key wrapped by
    HOKWE_MASTER_KEYS, apps/core/crypto.py): -> `Sealed(blob, key_id, wrapped_key)`; store the blob, keep the key id
    and wrapped key next to the row; `aad` binds them to that row."""
    from .services import sealing

    return sealing.seal(plaintext, aad=aad)


def unseal_file(blob: bytes, *, key_id: str, wrapped_key: bytes, aad: bytes) -> bytes:
    """The plain file back (ValueError when the blob or key was altered or belongs elsewhere)."""
    from .services import sealing

    return sealing.unseal(blob, key_id=key_id, wrapped_key=wrapped_key, aad=aad)


# --- set-based limits: many movements at once (the wallet's daily runs) --------------------------


def check_many(checks, *, usage=None) -> list:
    """`check` for many `(user, operation, amount, currency)` at once, in order, with a fixed
    number of queries: a list of None (allowed) or the refusal `check` would raise
    (KycLimitExceeded, KycCurrencyNotCovered), not raised. What an allowed item uses counts
    for the next items of the same user. `user`: a user object or an identity UserInfo;
    `usage`: {user public id: Usage} (a user missing from it: the UsageSource, else zero)."""
    from .services import batch_checks

    return batch_checks.check_many(checks, usage=usage)


# --- scoring (the rent score's features): tiers of many users at once ---


def tiers_of(user_ids) -> dict:
    """{user public id: tier} (0 without a profile). One query, whatever the number of users."""
    from .services.scoring_reads import tiers_of as tiers

    return tiers(user_ids)


# --- per-call reads of tiers and limits (the wallet's P2P hot path) ------------------------------


def limit_reads(users):
    """The tiers and limits of `users` (user objects) read once, in one query, for ONE call:
    `.check(user, operation, amount, currency=, usage=)` is `check` for those users (same
    rules, same refusals), `.tier(user)`, `.limits(user)`, `.verified_name(user)`. Pass it
    down the call and drop it; never keep it across calls (services/limits_reads.py)."""
    from .services.limits_reads import limit_reads as reads

    return reads(users)
