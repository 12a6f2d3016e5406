"""Lending's accounts on the ledger (docs/lending.md, "Accounting", draws the postings).

- `lending.loan.<loan public id>` (asset, one per loan, never below zero): what the borrower
  owes: the principal disbursed, the interest and fees as they fall due, the penalties. Its
  balance equals the loan's `principal_outstanding + interest_outstanding +
  fees_outstanding` (property-tested).
- system accounts, one per currency, created on first use (`system(code, currency)`):
  `lending.funding` (equity: Hokwe's money lent), `lending.interest_income`,
  `lending.fee_income`, `lending.penalty_income` (revenue), `lending.provisions` (the
  allowance for losses, a liability-side contra), `lending.provision_expense` and
  `lending.write_off` (expense).

Every part posts through `apps.ledger.api` with these accounts; none creates its own chart.
"""

from __future__ import annotations

from uuid import UUID

from apps.ledger import api as ledger
from apps.ledger.contracts import AccountKind, OwnerType

LOAN_PREFIX = "lending.loan."

SYSTEM: dict[str, tuple[str, AccountKind]] = {
    "lending.funding": ("Loan book funding", AccountKind.EQUITY),
    "lending.interest_income": ("Loan interest income", AccountKind.REVENUE),
    "lending.fee_income": ("Loan fee income", AccountKind.REVENUE),
    "lending.penalty_income": ("Loan late fee income", AccountKind.REVENUE),
    "lending.provisions": ("Allowance for loan losses", AccountKind.LIABILITY),
    "lending.provision_expense": ("Loan loss provision expense", AccountKind.EXPENSE),
    "lending.write_off": ("Loans written off", AccountKind.EXPENSE),
}


def system(code: str, currency: str) -> UUID:
    """A lending system account of the chart above (created on first use; idempotent)."""
    name, kind = SYSTEM[code]
    return ledger.create_account(
        code=code, name=name, currency=currency, kind=kind, owner_type=OwnerType.SYSTEM
    ).public_id


def loan_account(loan) -> UUID:
    """The loan's receivable account (created on first use and stored on the loan row by the
    caller: `loan.account`)."""
    if loan.account:
        return loan.account
    return ledger.create_account(
        code=f"{LOAN_PREFIX}{loan.public_id}",
        name=f"Loan {loan.number}",
        currency=loan.currency,
        kind=AccountKind.ASSET,
        owner_type=OwnerType.SYSTEM,
        credits_must_not_exceed_debits=True,
    ).public_id


# --- emergency funds: one user-owned account per fund, under the wallet's savings prefix
# `wallet.vault.` (e-money: counted in the user's balance for kyc and in the safeguarded
# total, like HokweSplit's vaults). A pledge is a ledger hold on it to `lending.pledges`.
FUND_PREFIX = "wallet.vault.fund."
SYSTEM["lending.pledges"] = ("Pledged savings (holds)", AccountKind.LIABILITY)


def fund_account(*, fund_public_id, user_public_id, currency: str) -> UUID:
    """The emergency fund's account (created on first use; idempotent): a liability to the
    saver that never goes below zero, holds counted."""
    return ledger.create_account(
        code=f"{FUND_PREFIX}{fund_public_id}",
        name=f"Emergency fund {fund_public_id}",
        currency=currency,
        kind=AccountKind.LIABILITY,
        owner_type=OwnerType.USER,
        owner=user_public_id,
        debits_must_not_exceed_credits=True,
    ).public_id


# --- repayments: money received by a pay link (MoMo, or cash on it), before it is applied ---
SYSTEM["lending.repayments_received"] = ("Loan repayments received", AccountKind.LIABILITY)
