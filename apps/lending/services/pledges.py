"""Pledged savings (docs/lending.md, "Emergency fund, guarantors and pledged savings").

    required_pledge(loan) -> int           the product's pledge_bps of the principal (rounded up)
    hold_for_acceptance(loan)              at acceptance: the borrower's fund pledges what the
                                           guarantors' pledges do not cover (a ledger hold)
    pledge_from_fund(loan=, fund=, amount=, guarantor=None) -> Pledge
    on_repaid(loan)                        after each repayment: release in proportion to the
                                           principal repaid; everything once the loan is closed
                                           (or was never disbursed: withdrawn, expired, declined)
    apply_on_write_off(loan)              before a write-off: the pledges pay what is owed

A pledge is a ledger hold (pending transfer, no timeout) Dr the fund's account, Cr
`lending.pledges`: the ledger counts it at once, so the pledged money can be neither withdrawn
nor spent. The ledger posts or voids a hold once, so a partial release voids the hold and
holds the rest again (`hold_seq` numbers them; each key `lending:pledge:<pledge>:<seq>`).

Release rule: after repayments, `released = floor(amount x principal repaid / principal)`
(integer arithmetic; principal repaid = principal - principal_outstanding), so the pledge
still held never falls below the same share of the principal still owed."""

from __future__ import annotations

from django.db import transaction

from apps.ledger import api as ledger
from apps.ledger.contracts import Leg

from ..contracts import LoanStatus
from ..errors import PledgeNotCovered
from ..models import EmergencyFund, Guarantor, Loan, Pledge
from .accounts import system

__all__ = [
    "CODE_PLEDGE",
    "CODE_PLEDGE_APPLIED",
    "apply_on_write_off",
    "hold_for_acceptance",
    "on_repaid",
    "pledge_from_fund",
    "pledged_total",
    "release_guarantor",
    "required_pledge",
]

CODE_PLEDGE = "lending_pledge"  # the hold: fund -> lending.pledges (pending)
CODE_PLEDGE_APPLIED = "lending_pledge_applied"  # a write-off: fund -> the loan's account
# never disbursed: what was pledged goes back whole
_RELEASE_ALL = {LoanStatus.CLOSED, LoanStatus.WITHDRAWN, LoanStatus.EXPIRED, LoanStatus.DECLINED}


def required_pledge(loan: Loan) -> int:
    """What the product asks to be pledged for this loan: pledge_bps of the principal,
    rounded up to the minor unit."""
    bps = loan.product.pledge_bps
    return -(-loan.principal * bps // 10_000) if bps else 0


def pledged_total(loan: Loan) -> int:
    return sum(p.amount for p in loan.pledges.filter(status=Pledge.Status.HELD))


def _hold(pledge: Pledge, fund: EmergencyFund, amount: int):
    return ledger.hold(
        idempotency_key=f"lending:pledge:{pledge.public_id}:{pledge.hold_seq}",
        code=CODE_PLEDGE,
        legs=[
            Leg.debit(fund.account, amount, pledge.currency),
            Leg.credit(system("lending.pledges", pledge.currency), amount, pledge.currency),
        ],
        reference=f"lending.Loan:{pledge.loan.public_id}",
        description=f"Savings pledged to loan {pledge.loan.number}",
    )


def pledge_from_fund(
    *, loan: Loan, fund: EmergencyFund, amount: int, guarantor: Guarantor | None = None
) -> Pledge:
    """Pledge `amount` of `fund` to `loan` (a ledger hold). PledgeNotCovered when the fund
    does not have that much available. Idempotent per (loan, fund): a second call returns
    the pledge held as it is; a pledge of that fund released before any was applied (a
    guarantee taken back, then given again) is pledged anew on the same row."""
    from .fund import available

    found = Pledge.objects.filter(loan=loan, fund=fund).first()
    if found is not None and (found.status == Pledge.Status.HELD or found.applied):
        return found
    if fund.currency != loan.currency or fund.status != EmergencyFund.Status.OPEN:
        raise PledgeNotCovered(field="fund")
    with transaction.atomic():
        fund = EmergencyFund.objects.select_for_update().get(pk=fund.pk)
        if amount > available(fund):
            raise PledgeNotCovered(field="fund")
        if found is None:
            pledge = Pledge.objects.create(
                loan=loan, fund=fund, guarantor=guarantor, amount=amount, currency=loan.currency
            )
        else:
            pledge = Pledge.objects.select_for_update().get(pk=found.pk)
            pledge.guarantor, pledge.amount, pledge.released = guarantor, amount, 0
            pledge.status, pledge.hold_seq = Pledge.Status.HELD, pledge.hold_seq + 1
            pledge.save(update_fields=["guarantor", "amount", "released", "status", "hold_seq", "updated_at"])
        try:
            with transaction.atomic():
                result = _hold(pledge, fund, amount)
        except ledger.InsufficientFunds:
            raise PledgeNotCovered(field="fund") from None
        pledge.hold = result.public_id
        pledge.save(update_fields=["hold", "updated_at"])
    return pledge


def hold_for_acceptance(loan: Loan) -> list[Pledge]:
    """At the offer's acceptance (inside its transaction): the borrower's own fund pledges
    what the product asks minus what accepted guarantors already pledged. Nothing asked:
    nothing held. PledgeNotCovered (nothing held) when the borrower's fund cannot."""
    from .fund import fund_of

    required = required_pledge(loan)
    held = pledged_total(loan)
    missing = required - held
    if missing <= 0:
        return list(loan.pledges.filter(status=Pledge.Status.HELD))
    fund = fund_of(loan.borrower, loan.currency)
    if fund is None:
        raise PledgeNotCovered(field="fund")
    pledge_from_fund(loan=loan, fund=fund, amount=missing)
    return list(loan.pledges.filter(status=Pledge.Status.HELD))


def _target_released(pledge: Pledge, loan: Loan) -> int:
    if loan.status in _RELEASE_ALL:
        return pledge.amount - pledge.applied
    if loan.status != LoanStatus.ACTIVE or loan.principal <= 0:
        return pledge.released
    repaid = max(loan.principal - loan.principal_outstanding, 0)
    return min(pledge.amount * repaid // loan.principal, pledge.amount - pledge.applied)


def _release_to(pledge: Pledge, target: int) -> None:
    """Void the current hold and hold what stays pledged again (inside a transaction, the
    pledge row locked)."""
    if target <= pledge.released:
        return
    if pledge.hold is not None:
        try:
            ledger.void_hold(hold=pledge.hold)
        except ledger.HoldAlreadyResolved:
            pass
    pledge.released = target
    pledge.hold = None
    if pledge.held > 0:
        pledge.hold_seq += 1
        pledge.hold = _hold(pledge, pledge.fund, pledge.held).public_id
    else:
        pledge.status = Pledge.Status.RELEASED
    pledge.save(update_fields=["released", "hold", "hold_seq", "status", "updated_at"])


def release_guarantor(guarantor: Guarantor) -> None:
    """A guarantee taken back before the loan is accepted: its pledge goes back whole."""
    with transaction.atomic():
        for pledge in (
            Pledge.objects.select_for_update()
            .select_related("fund", "loan")
            .filter(guarantor=guarantor, status=Pledge.Status.HELD)
        ):
            _release_to(pledge, pledge.amount - pledge.applied)


def on_repaid(loan: Loan) -> int:
    """Release the loan's pledges in proportion to the principal repaid (all of it once the
    loan is closed, or when it was never disbursed). Call it after a repayment, inside its
    transaction (the loan's balances already updated). Returns what was released now.
    Idempotent: the release depends only on the loan's state."""
    released = 0
    with transaction.atomic():
        pledges = list(
            Pledge.objects.select_for_update()
            .select_related("fund", "loan")
            .filter(loan_id=loan.pk, status=Pledge.Status.HELD)
            .order_by("pk")
        )
        for pledge in pledges:
            pledge.loan = loan
            before = pledge.released
            _release_to(pledge, _target_released(pledge, loan))
            released += pledge.released - before
    return released


def apply_on_write_off(loan: Loan) -> int:
    """Before a write-off: each pledge still held pays the loan (through the repayments'
    `repay`, channel "fund", from the fund's account: the allocation order applies) up to
    what is owed; the rest is released. Returns what was applied. Idempotent per pledge."""
    from .repayments import repay  # the repayments' service (allocation and ledger)

    applied_total = 0
    pledges = list(
        Pledge.objects.select_related("fund", "loan").filter(loan_id=loan.pk, status=Pledge.Status.HELD)
    )
    for pledge in pledges:
        with transaction.atomic():
            pledge = Pledge.objects.select_for_update().select_related("fund", "loan").get(pk=pledge.pk)
            if pledge.status != Pledge.Status.HELD:
                continue
            loan.refresh_from_db()
            take = min(pledge.held, loan.outstanding)
            if pledge.hold is not None:
                try:
                    ledger.void_hold(hold=pledge.hold)
                except ledger.HoldAlreadyResolved:
                    pass
                pledge.hold = None
            # settled before the repayment: its own call of on_repaid leaves this pledge alone
            pledge.applied = take
            pledge.released = pledge.amount - take
            pledge.status = Pledge.Status.APPLIED if take > 0 else Pledge.Status.RELEASED
            pledge.save(update_fields=["applied", "released", "hold", "status", "updated_at"])
            if take > 0:
                repay(
                    loan=loan,
                    amount=take,
                    channel="fund",
                    source_account=pledge.fund.account,
                    idempotency_key=f"lending:pledge:{pledge.public_id}:applied",
                )
            applied_total += take
    return applied_total
