"""Billing's accounts on the ledger (docs/billing.md, "Accounting").

- `billing.receivable.<customer public id>` (asset, per customer): what the customer owes on
  finalized invoices. A payment intent for an invoice credits it directly (payments posts
  the provider's clearing against it), so a paid invoice leaves it at zero.
- `billing.credits.<customer public id>` (liability, per customer, never below zero): the
  prepaid credit wallet (Lago's model): credits bought, credit notes refunded to credits;
  used to pay invoices.
- system accounts per currency (`system(code, currency)`): `billing.revenue` (revenue,
  subscriptions and usage before tax), `billing.tva_payable` (liability: the TVA collected,
  owed to the tax office), `billing.bad_debt` (expense: invoices marked uncollectible).
"""

from __future__ import annotations

from uuid import UUID

from apps.identity import api as identity
from apps.ledger import api as ledger
from apps.ledger.contracts import AccountKind, OwnerType

SYSTEM: dict[str, tuple[str, AccountKind]] = {
    "billing.revenue": ("Subscription and usage revenue", AccountKind.REVENUE),
    "billing.tva_payable": ("TVA collected on Hokwe's invoices", AccountKind.LIABILITY),
    "billing.bad_debt": ("Invoices written off", AccountKind.EXPENSE),
}


def system(code: str, currency: str) -> UUID:
    """A billing system account of the chart above (created on first use; idempotent)."""
    name, kind = SYSTEM[code]
    return ledger.create_account(
        code=code, name=name, currency=currency, kind=kind, owner_type=OwnerType.SYSTEM
    ).public_id


def receivable(customer) -> UUID:
    """The customer's receivable (created on first use and stored on the row)."""
    if not customer.receivable_account:
        customer.receivable_account = ledger.create_account(
            code=f"billing.receivable.{customer.public_id}",
            name=f"Receivable · {customer.legal_name}"[:200],
            currency=customer.currency,
            kind=AccountKind.ASSET,
            owner_type=OwnerType.ORGANIZATION,
            owner=_org_public_id(customer),
        ).public_id
        customer.save(update_fields=["receivable_account", "updated_at"])
    return customer.receivable_account


def credits(customer) -> UUID:
    """The customer's prepaid credit wallet (created on first use and stored on the row)."""
    if not customer.credits_account:
        customer.credits_account = ledger.create_account(
            code=f"billing.credits.{customer.public_id}",
            name=f"Prepaid credits · {customer.legal_name}"[:200],
            currency=customer.currency,
            kind=AccountKind.LIABILITY,
            owner_type=OwnerType.ORGANIZATION,
            owner=_org_public_id(customer),
            debits_must_not_exceed_credits=True,
        ).public_id
        customer.save(update_fields=["credits_account", "updated_at"])
    return customer.credits_account


def credits_balance(customer) -> int:
    """What the customer's prepaid credit wallet holds (minor units)."""
    if not customer.credits_account:
        return 0
    return ledger.balance(account=customer.credits_account).posted


def _org_public_id(customer) -> UUID:
    return identity.get_organization(id=customer.organization_id).public_id
