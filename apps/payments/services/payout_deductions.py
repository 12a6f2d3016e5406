"""Deductions taken from an organization's owners' payable before its payout (docs/payments.md,
"Payouts"): a module above payments registers a deduction (lending: what is due on a
landlord's rent advances, repaid from the rents collected before the owner is paid) and
payments runs every registered one before it holds the money of a payout, manual or
scheduled.

A deduction is a callable

    deduction(*, organization: UUID, currency: str, source_account: UUID, available: int,
              today: date) -> int

that moves at most `available` out of `source_account` (the organization's owners' payable)
through the ledger, idempotently, and returns how much it took. It runs inside the payout's
transaction when there is one (a failure refuses the payout: the money set aside for a debt
is never paid out by mistake). Payments never names what a deduction is for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from uuid import UUID

from apps.ledger import api as ledger

logger = logging.getLogger("hokwe.payments")

Deduction = Callable[..., int]
_DEDUCTIONS: dict[str, Deduction] = {}


def register_payout_deduction(name: str, deduction: Deduction) -> None:
    """Register (or replace, by `name`) a deduction run before every owner payout."""
    _DEDUCTIONS[name] = deduction


def run_payout_deductions(*, organization: UUID, currency: str, source_account: UUID, today: date) -> int:
    """Run every registered deduction, in registration order, on what is available on
    `source_account`; returns the total taken."""
    taken = 0
    for name, deduction in list(_DEDUCTIONS.items()):
        available = ledger.balance(account=source_account).available
        if available <= 0:
            break
        amount = deduction(
            organization=organization,
            currency=currency,
            source_account=source_account,
            available=available,
            today=today,
        )
        if amount:
            logger.info(
                "payments_payout_deduction",
                extra={"deduction": name, "organization": str(organization), "amount": amount},
            )
            taken += int(amount)
    return taken
