"""Money another module reserves in a user's wallet until an outside answer (invest's orders:
held at order time, posted at execution, released on rejection), and what the wallet must
keep for the rent (the rent-first rule of recurring investing).

A hold counts at once in the wallet's available balance (the ledger's holds) and in kyc's
outflow of the day; posting it for less, or voiding it, gives the difference back to the
day's outflow when that day is still today."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.db import transaction
from django.db.models import Q, Sum

from apps.estate import api as estate
from apps.ledger import api as ledger
from apps.ledger.contracts import HoldState, Leg, TransferResult

from ..errors import WalletInsufficientBalance
from ..models import SplitInstalment, SplitPlan
from .wallets import record_outflow, release_outflow, wallet_for

__all__ = ["hold_wallet", "post_wallet_hold", "void_wallet_hold", "rent_reserve"]


def hold_wallet(
    *,
    user,
    amount: int,
    currency: str,
    to_account: UUID,
    idempotency_key: str,
    code: str,
    kyc_operation: str = "wallet_payment",
    description: str = "",
    reference: str = "",
) -> tuple[TransferResult, date]:
    """Reserve `amount` of the wallet toward `to_account`. Returns the hold and the day its
    outflow was counted on (give both back to `post_wallet_hold` / `void_wallet_hold`).
    WalletInsufficientBalance above the available balance; kyc's limits; WalletFrozen /
    WalletClosed. The caller makes it once per key (its own row records the hold): a second
    call would count the outflow twice."""
    wallet = wallet_for(user, currency)
    with transaction.atomic():
        day = record_outflow(wallet, amount, kyc_operation=kyc_operation)
        try:
            hold = ledger.hold(
                idempotency_key=idempotency_key,
                code=code,
                legs=[Leg.debit(wallet.account, amount, currency), Leg.credit(to_account, amount, currency)],
                description=description,
                reference=reference,
            )
        except ledger.InsufficientFunds:
            raise WalletInsufficientBalance(field="amount") from None
    return hold, day


def post_wallet_hold(*, user, hold: UUID, amount: int, held: int, currency: str, day: date | None):
    """Post the hold for `amount` (≤ `held`); the rest goes back to the wallet and to the
    day's outflow. Idempotent on the hold."""
    result = ledger.post_hold(hold=hold, amount=amount)
    if amount < held:
        release_outflow(wallet_for(user, currency), held - amount, day=day)
    return result


def void_wallet_hold(*, user, hold: UUID, held: int, currency: str, day: date | None):
    """Release the whole hold (idempotent) and give its outflow back."""
    if ledger.hold_state(hold=hold) == HoldState.PENDING:
        ledger.void_hold(hold=hold)
        release_outflow(wallet_for(user, currency), held, day=day)


def rent_reserve(user_public_id: UUID, currency: str, *, today: date, until: date) -> int:
    """What the wallet must keep for the rent until `until`: the HokweSplit instalments
    still to be taken from the wallet by then, plus what the user's open rent dues falling
    due by then still owe when no open HokweSplit plan saves toward them."""
    instalments = SplitInstalment.objects.filter(
        plan__user__public_id=user_public_id,
        plan__currency=currency,
        plan__status=SplitPlan.Status.ACTIVE,
        plan__source=SplitPlan.Source.WALLET,
        status__in=[SplitInstalment.Status.SCHEDULED, SplitInstalment.Status.MISSED],
        on__lte=until,
    ).aggregate(total=Sum("amount"))["total"]
    saved_for = set(
        SplitPlan.objects.filter(
            Q(user__public_id=user_public_id) & Q(status__in=SplitPlan.OPEN)
        ).values_list("due", flat=True)
    )
    dues = sum(
        due.outstanding
        for due in estate.tenant_open_dues(user_public_id)
        if due.currency == currency and due.due_date <= until and due.public_id not in saved_for
    )
    return int(instalments or 0) + int(dues)
