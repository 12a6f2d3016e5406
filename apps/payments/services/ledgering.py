"""The ledger accounts payments uses and the postings of each flow (docs/payments.md).

success   debit provider clearing (or the payer's wallet, the agent's cash, the bank
          clearing) A; credit the caller's account A - fee; credit fees revenue fee
refund    the reverse, for the refunded amount (the fee is given back pro rata)
suspense  debit provider clearing; credit suspense (money we cannot credit to anyone)
settle    debit bank net; debit provider fees; credit provider clearing gross
payout    hold: debit the organization's owners' payable; credit the payout provider's
          clearing; posted when the provider confirms, voided on failure
"""

from __future__ import annotations

from uuid import UUID

from apps.core.money import Money
from apps.ledger import api as ledger
from apps.ledger.contracts import AccountKind, Leg, OwnerType


def _system(code: str, currency: str, *, name: str, kind: AccountKind) -> UUID:
    try:
        return ledger.system_account(code=code, currency=currency).public_id
    except ledger.AccountNotFound:
        return ledger.create_account(
            code=code, name=name, currency=currency, kind=kind, owner_type=OwnerType.SYSTEM
        ).public_id


def clearing(provider: str, currency: str) -> UUID:
    """What the provider holds for us (an asset), one per provider and currency."""
    return _system(
        f"provider_clearing.{provider}",
        currency,
        name=f"Provider clearing ({provider})",
        kind=AccountKind.ASSET,
    )


def fees_revenue(currency: str) -> UUID:
    return ledger.system_account(code="fees_revenue", currency=currency).public_id


def suspense(currency: str) -> UUID:
    return ledger.system_account(code="suspense", currency=currency).public_id


def bank(currency: str) -> UUID:
    return _system("bank", currency, name="Bank (settlements)", kind=AccountKind.ASSET)


def provider_fees(provider: str, currency: str) -> UUID:
    return _system(
        f"provider_fees.{provider}", currency, name=f"Provider fees ({provider})", kind=AccountKind.EXPENSE
    )


def agent_cash(agent_public_id: UUID, currency: str) -> UUID:
    """The cash an agent holds for Hokwe until it is deposited (an asset owned by the agent)."""
    return ledger.create_account(
        code="cash_on_hand",
        name="Cash on hand",
        currency=currency,
        kind=AccountKind.ASSET,
        owner_type=OwnerType.USER,
        owner=agent_public_id,
    ).public_id


def wallet(user_public_id: UUID, currency: str) -> UUID:
    return ledger.user_wallet(user=user_public_id, currency=currency).public_id


def owners_payable_account(organization_public_id: UUID, currency: str):
    """The organization's owners' payable (ledger's AccountInfo), created on first use."""
    return ledger.organization_account(
        organization=organization_public_id, code="owners_payable", currency=currency
    )


def owners_payable(organization_public_id: UUID, currency: str) -> UUID:
    return owners_payable_account(organization_public_id, currency).public_id


def success_legs(*, debit: UUID, credit: UUID, amount: int, fee: int, currency: str) -> list[Leg]:
    legs = [Leg.debit(debit, amount, currency), Leg.credit(credit, amount - fee, currency)]
    if fee:
        legs.append(Leg.credit(fees_revenue(currency), fee, currency))
    if amount == fee:  # everything is fee: no zero-amount leg for the caller's account
        legs = [legs[0], legs[2]]
    return legs


def refund_split(
    *, amount: int, fee: int, refund: int, refunded_before: int, fee_refunded_before: int
) -> tuple[int, int]:
    """(caller part, fee part) of a refund: the fee is given back in proportion, and the
    last refund takes whatever fee remains, so a full refund returns the fee exactly."""
    if refunded_before + refund == amount:
        fee_part = fee - fee_refunded_before
    else:
        share = Money(fee, "XOF").allocate([refund, amount - refund])[0].amount if fee else 0
        fee_part = min(share, fee - fee_refunded_before, refund)
    return refund - fee_part, fee_part


def refund_legs(
    *, debit_account: UUID, credit: UUID, refund: int, caller_part: int, fee_part: int, currency: str
) -> list[Leg]:
    legs = [Leg.credit(debit_account, refund, currency)]
    if caller_part:
        legs.append(Leg.debit(credit, caller_part, currency))
    if fee_part:
        legs.append(Leg.debit(fees_revenue(currency), fee_part, currency))
    return legs


def organization_cash(organization_public_id: UUID, currency: str) -> UUID:
    """Cash an organization received from its agents (the agency's till), until banked."""
    return ledger.create_account(
        code="cash_received",
        name="Cash received from agents",
        currency=currency,
        kind=AccountKind.ASSET,
        owner_type=OwnerType.ORGANIZATION,
        owner=organization_public_id,
    ).public_id
