"""Repayments and their allocation (docs/lending.md, "Repayments and allocation").

    repay(loan=, amount=, channel=, source_account=, idempotency_key=, actor=None)
    payoff(loan, today=None) -> contracts.Payoff        what closes the loan today
    due_now(loan, today=None) -> int                     what is due today (billed, unpaid)
    repay_from_wallet(actor=, loan=, amount=, idempotency_key=)
    repay_from_fund(actor=, loan=, amount=, idempotency_key=)     the emergency fund
    repayment_link(actor=, loan=, amount=None, idempotency_key=) -> payments IntentInfo
    intent_paid(...)                                     a pay link paid (MoMo or cash)
    autodebit_due(today)                                 the daily auto-debit from wallets

The allocation, for one payment:
1. what is due is billed first (services/accounting.py: interest and fees become owed when
   their instalment falls due);
2. the due instalments, oldest first; inside each, the product's order of components
   (default fees — late fees included —, then interest, then principal);
3. what is left is a prepayment (when the product allows it):
   - enough to close the loan (`payoff`): the principal still owed plus the interest and
     fee of the current period accrued to the day (the period from the previous due date,
     or the disbursement, to today, over the period's length, rounded down); the later
     periods' interest and fees are never charged; the loan closes;
   - less: it pays the principal of the instalments not yet due, oldest first; their
     interest and fees are still billed on their due dates;
4. what is left after that (or after step 2 when prepayment is not allowed) is the excess:
   the product's `excess_rule` sends it back to the wallet (a wallet payment simply takes
   less) or refuses the whole payment (AmountAboveOwed). A pay link already paid always
   sends its excess to the wallet (the money is in).

The money: one ledger transfer from the source to the loan's account for what is
allocated (wallet: `wallet.debit_wallet`, with kyc's outflow limits; others:
`ledger.transfer`), and `wallet.credit_wallet` for an excess. Same idempotency key,
same payment: the first repayment is returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from apps.core.errors import DomainError, IdempotencyConflict
from apps.core.outbox import publish, publish_many
from apps.identity import api as identity
from apps.ledger import api as ledger
from apps.ledger.contracts import Leg
from apps.payments import api as payments
from apps.payments.contracts import FeeRule, PurposeRef
from apps.wallet import api as wallet

from ..contracts import DEFAULT_ALLOCATION, BorrowerKind, Component, InterestMethod, LoanStatus, Payoff
from ..errors import (
    AmountAboveOwed,
    FundNotFound,
    InvalidLoanState,
    LoanNotFound,
    NothingToRepay,
    RepaymentAmountInvalid,
)
from ..events import InstalmentPaid, LoanClosed
from ..models import Instalment, Loan, Repayment
from . import accounting, accounts, fund, pledges
from .schedule import period_rate

__all__ = [
    "CODE_REPAY",
    "CODE_REPAY_EXCESS",
    "PURPOSE_LOAN",
    "AutodebitResult",
    "autodebit_due",
    "due_now",
    "intent_paid",
    "payoff",
    "repay",
    "repay_from_fund",
    "repay_from_wallet",
    "repayment_link",
]

CODE_REPAY = "lending_repayment"
CODE_REPAY_EXCESS = "lending_repayment_excess"
PURPOSE_LOAN = "lending.Loan"  # a pay link's purpose: the loan's public id
OPEN = (Instalment.Status.PENDING, Instalment.Status.PARTLY_PAID)


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _order(loan: Loan) -> tuple[Component, ...]:
    """The product's allocation order (every component once), else the default."""
    chosen = []
    for value in loan.product.allocation_order or ():
        try:
            component = Component(value)
        except ValueError:
            continue
        if component not in chosen:
            chosen.append(component)
    return tuple(chosen) + tuple(c for c in DEFAULT_ALLOCATION if c not in chosen)


def _owed(line: Instalment, component: Component) -> int:
    if component is Component.FEES:
        return line.fee + line.penalty - line.paid_fee
    if component is Component.INTEREST:
        return line.interest - line.paid_interest
    return line.principal - line.paid_principal


def _open_lines(loan: Loan) -> list[Instalment]:
    return list(
        loan.instalments.filter(superseded=False, status__in=OPEN)
        .annotate(is_billed=accounting.billed())
        .order_by("version", "number")
    )


def _previous_due(loan: Loan, line: Instalment) -> date | None:
    """Where `line`'s period starts: the latest earlier due date of the loan's schedule in
    force, else the day its schedule began (a restructuring's day, or the disbursement)."""
    before = (
        loan.instalments.filter(superseded=False, due_date__lt=line.due_date)
        .order_by("-due_date")
        .values_list("due_date", flat=True)
        .first()
    )
    started = loan.disbursed_on
    if line.version > 1:
        restructured = (
            loan.restructurings.filter(to_version=line.version).values_list("created_at", flat=True).first()
        )
        if restructured is not None:
            started = timezone.localtime(restructured).date()
    candidates = [d for d in (before, started) if d is not None and d < line.due_date]
    return max(candidates, default=None)


def _accrued(loan: Loan, line: Instalment, today: date) -> tuple[int, int]:
    """The current period's interest and fee accrued to `today` (rounded down)."""
    start = _previous_due(loan, line) or today
    length = max(1, (line.due_date - start).days)
    elapsed = min(length, max(0, (today - start).days))
    interest = (line.interest - line.paid_interest) * elapsed // length
    fee = (line.fee - line.paid_fee) * elapsed // length
    return interest, fee


def _split(lines, today):
    """(due lines: billed, or falling due by today; lines not yet due)."""
    due = [line for line in lines if line.is_billed or line.due_date <= today]
    later = [line for line in lines if not (line.is_billed or line.due_date <= today)]
    return due, later


def due_now(loan: Loan, today: date | None = None) -> int:
    """What is due today: the due instalments' unpaid fees, interest and principal (the
    ones falling due today counted even before the nightly billing)."""
    due, _later = _split(_open_lines(loan), _today(today))
    return sum(line.owed for line in due)


def payoff(loan: Loan, today: date | None = None) -> Payoff:
    """What closes the loan today (the prepayment quote): what is due, the principal not yet
    due and the current period's interest and fee accrued to the day."""
    today = _today(today)
    if loan.status != LoanStatus.ACTIVE:
        return Payoff(
            loan=str(loan.public_id), currency=loan.currency, as_of=today, principal=0, interest=0, fees=0
        )
    due, later = _split(_open_lines(loan), today)
    fees = sum(_owed(line, Component.FEES) for line in due)
    interest = sum(_owed(line, Component.INTEREST) for line in due)
    principal = sum(_owed(line, Component.PRINCIPAL) for line in due + later)
    if later:
        accrued_interest, accrued_fee = _accrued(loan, later[0], today)
        interest += accrued_interest
        fees += accrued_fee
    return Payoff(
        loan=str(loan.public_id),
        currency=loan.currency,
        as_of=today,
        principal=principal,
        interest=interest,
        fees=fees,
    )


@dataclass
class _Plan:
    per_line: dict  # line pk -> {component: amount}
    prepaid: int = 0
    closes: bool = False
    accrued: tuple | None = None  # (line, interest, fee) billed early by a payoff
    excess: int = 0

    def total(self, component: Component) -> int:
        return sum(parts.get(component, 0) for parts in self.per_line.values())


def _take(plan: _Plan, line: Instalment, component: Component, amount: int) -> None:
    if amount > 0:
        parts = plan.per_line.setdefault(line.pk, {})
        parts[component] = parts.get(component, 0) + amount


def _plan(loan: Loan, lines: list[Instalment], amount: int, today: date) -> _Plan:
    """Allocate `amount` over the open lines (billed ones first); see the module."""
    plan = _Plan(per_line={})
    left = amount
    due, later = _split(lines, today)
    for line in due:
        for component in _order(loan):
            take = min(left, _owed(line, component))
            _take(plan, line, component, take)
            left -= take
    if left > 0 and later and loan.product.prepayment_allowed:
        accrued_interest, accrued_fee = _accrued(loan, later[0], today)
        principal_left = sum(_owed(line, Component.PRINCIPAL) for line in later)
        if left >= principal_left + accrued_interest + accrued_fee:
            plan.accrued = (later[0], accrued_interest, accrued_fee)
            _take(plan, later[0], Component.FEES, accrued_fee)
            _take(plan, later[0], Component.INTEREST, accrued_interest)
            for line in later:
                _take(plan, line, Component.PRINCIPAL, _owed(line, Component.PRINCIPAL))
            plan.prepaid = principal_left
            plan.closes = True
            left -= principal_left + accrued_interest + accrued_fee
        else:
            for line in later:
                take = min(left, _owed(line, Component.PRINCIPAL))
                _take(plan, line, Component.PRINCIPAL, take)
                plan.prepaid += take
                left -= take
    elif not later:
        plan.closes = all(sum(plan.per_line.get(line.pk, {}).values()) == line.owed for line in due)
    plan.excess = left
    return plan


def _positive(amount) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise RepaymentAmountInvalid(field="amount")
    return amount


def _key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()[:200]
    if not key:
        raise IdempotencyConflict(field="Idempotency-Key")
    return key


def _replayed(loan: Loan, key: str, amount: int, channel: str) -> Repayment | None:
    found = Repayment.objects.filter(loan_id=loan.pk, idempotency_key=key).first()
    if found is not None and (found.channel != channel or amount not in (found.amount, found.allocated)):
        raise IdempotencyConflict(field="Idempotency-Key")
    return found


def repay(
    *,
    loan: Loan,
    amount: int,
    channel: str,
    source_account: UUID | None = None,
    idempotency_key: str,
    actor=None,
    today: date | None = None,
    intent: UUID | None = None,
    excess_to_wallet: bool = False,
) -> Repayment:
    """Apply a payment of `amount` to `loan` from ledger account `source_account` (the
    wallet channel: the borrower's wallet, `source_account` may be None). Allocation,
    prepayment and excess: see the module. Idempotent per (loan, idempotency_key).
    Raises RepaymentAmountInvalid, InvalidLoanState (not being repaid), NothingToRepay,
    AmountAboveOwed (the product refuses an excess), the ledger's and the wallet's refusals
    (InsufficientFunds, WalletFrozen, kyc limits): nothing is written then.
    `excess_to_wallet`: money already received (a pay link): never refused, whatever is
    not owed goes to the borrower's wallet."""
    amount = _positive(amount)
    channel = Repayment.Channel(channel)
    key = _key(idempotency_key)
    today = _today(today)
    found = _replayed(loan, key, amount, channel)
    if found is not None:
        return found
    # the wallet (a payoff asked by the borrower too): through the wallet, kyc's limits counted
    from_wallet = channel in (Repayment.Channel.WALLET, Repayment.Channel.PREPAYMENT)
    from_fund = channel == Repayment.Channel.FUND
    with transaction.atomic():
        loan = Loan.objects.select_for_update().select_related("product", "borrower").get(pk=loan.pk)
        found = _replayed(loan, key, amount, channel)
        if found is not None:
            return found
        if from_wallet:
            source_account = wallet.wallet_info(loan.borrower, loan.currency).account
        elif from_fund:
            savings = fund.fund_of(loan.borrower, loan.currency)
            if source_account is None or (savings is not None and source_account == savings.account):
                if savings is None:
                    raise FundNotFound(field="fund")
                source_account = savings.account
            else:  # another fund (a guarantor's pledge applied at a write-off): a plain transfer
                from_fund = False
        if source_account is None:
            raise RepaymentAmountInvalid(field="source_account")
        if loan.status == LoanStatus.ACTIVE:
            accounting.bill_loan(loan, today)
            loan.refresh_from_db()
            lines = _open_lines(loan)
            plan = _plan(loan, lines, amount, today)
        elif excess_to_wallet:
            lines, plan = [], _Plan(per_line={}, excess=amount)
        else:
            raise InvalidLoanState()
        allocated = amount - plan.excess
        if allocated == 0 and not excess_to_wallet:
            raise NothingToRepay()
        if plan.excess and not excess_to_wallet:
            if loan.product.excess_rule == loan.product.ExcessRule.REFUSE:
                raise AmountAboveOwed(owed=allocated)
            if from_wallet or from_fund:  # what is not owed never leaves the wallet or the fund
                amount, plan.excess = allocated, 0
        if plan.accrued:
            line, accrued_interest, accrued_fee = plan.accrued
            accounting.bill_accrued(loan, line, interest=accrued_interest, fee=accrued_fee, today=today)
        repayment = Repayment(
            loan=loan,
            channel=channel,
            currency=loan.currency,
            amount=amount,
            fees=plan.total(Component.FEES),
            interest=plan.total(Component.INTEREST),
            principal=plan.total(Component.PRINCIPAL),
            prepaid=plan.prepaid,
            excess=plan.excess,
            paid_on=today,
            idempotency_key=key,
            source_account=source_account,
            intent=intent,
            actor=actor if getattr(actor, "pk", None) else None,
        )
        repayment.save()
        reference = f"lending.Repayment:{repayment.public_id}"
        description = f"Repayment, loan {loan.number}"
        if allocated:
            if from_wallet:
                moved = wallet.debit_wallet(
                    user=loan.borrower,
                    amount=allocated,
                    currency=loan.currency,
                    to_account=loan.account,
                    idempotency_key=f"lending:repay:{repayment.public_id}",
                    code=CODE_REPAY,
                    description=description,
                    reference=reference,
                )
            elif from_fund:
                moved = fund.fund_debit(
                    user=loan.borrower,
                    currency=loan.currency,
                    amount=allocated,
                    to_account=loan.account,
                    idempotency_key=f"lending:repay:{repayment.public_id}",
                    reference=reference,
                    description=description,
                )
            else:
                moved = ledger.transfer(
                    idempotency_key=f"lending:repay:{repayment.public_id}",
                    code=CODE_REPAY,
                    legs=[
                        Leg.debit(source_account, allocated, loan.currency),
                        Leg.credit(loan.account, allocated, loan.currency),
                    ],
                    description=description,
                    reference=reference,
                )
            repayment.transfer = moved.public_id
        if plan.excess:
            back = wallet.credit_wallet(
                user=loan.borrower,
                amount=plan.excess,
                currency=loan.currency,
                from_account=source_account,
                idempotency_key=f"lending:repay-excess:{repayment.public_id}",
                code=CODE_REPAY_EXCESS,
                kyc_operation=None,  # the borrower's own money coming back
                description=f"Overpayment returned, loan {loan.number}",
                reference=reference,
            )
            repayment.excess_transfer = back.public_id
        paid_lines = _apply(loan, lines, plan, today)
        if plan.prepaid and loan.status == LoanStatus.ACTIVE:
            paid_lines += _reprice_after_prepayment(loan, lines, today)
        repayment.allocation = [
            {
                "instalment": str(line.public_id),
                "number": line.number,
                "version": line.version,
                **{c.value: plan.per_line[line.pk].get(c, 0) for c in DEFAULT_ALLOCATION},
            }
            for line in lines
            if line.pk in plan.per_line
        ]
        repayment.closed_loan = loan.status == LoanStatus.CLOSED and allocated > 0
        repayment.save(
            update_fields=["transfer", "excess_transfer", "allocation", "closed_loan", "updated_at"]
        )
        _publish(loan, paid_lines, today, closed=repayment.closed_loan, lines=lines)
        if allocated:
            _tell(loan, repayment)
            _follow_recovery(loan, repayment, today)
        if allocated:
            _release_pledges(loan)
    return repayment


def _apply(loan: Loan, lines: list[Instalment], plan: _Plan, today: date) -> list[Instalment]:
    """The instalments and the loan's balances after `plan`. Returns the lines paid now."""
    if not plan.per_line:
        return []
    paid_now, changed = [], []
    accrued_line = plan.accrued[0].pk if plan.accrued else None
    for line in lines:
        parts = plan.per_line.get(line.pk)
        if plan.closes and not line.is_billed and line.due_date > today:
            # a payoff: the periods not begun are never charged, the current one to the day
            # (such a line was never billed: nothing of its interest or fee is paid yet)
            if line.pk == accrued_line:
                line.interest, line.fee = plan.accrued[1], plan.accrued[2]
            else:
                line.interest, line.fee = 0, 0
        if not parts and not plan.closes:
            continue
        parts = parts or {}
        line.paid_fee += parts.get(Component.FEES, 0)
        line.paid_interest += parts.get(Component.INTEREST, 0)
        line.paid_principal += parts.get(Component.PRINCIPAL, 0)
        if line.owed == 0:
            line.status = Instalment.Status.PAID
            line.paid_on = today
            paid_now.append(line)
        elif line.paid:
            line.status = Instalment.Status.PARTLY_PAID
        changed.append(line)
    Instalment.objects.bulk_update(
        changed,
        ["interest", "fee", "paid_fee", "paid_interest", "paid_principal", "status", "paid_on", "updated_at"],
    )
    billed_interest = sum(parts.get(Component.INTEREST, 0) for parts in plan.per_line.values())
    billed_fees = sum(parts.get(Component.FEES, 0) for parts in plan.per_line.values())
    loan.refresh_from_db(fields=["interest_outstanding", "fees_outstanding", "principal_outstanding"])
    loan.interest_outstanding -= billed_interest
    loan.fees_outstanding -= billed_fees
    loan.principal_outstanding -= plan.total(Component.PRINCIPAL)
    fields = ["interest_outstanding", "fees_outstanding", "principal_outstanding", "updated_at"]
    if plan.closes or (loan.outstanding == 0 and not any(line.owed for line in lines)):
        loan.status = LoanStatus.CLOSED
        loan.closed_on = today
        fields += ["status", "closed_on"]
    loan.save(update_fields=fields)
    return paid_now


def _reprice_after_prepayment(loan: Loan, lines: list[Instalment], today: date) -> list[Instalment]:
    """Declining balance: after a partial prepayment, the interest of the periods not yet
    due follows the principal still owed — the current period keeps its interest accrued to
    today and pays the rest on the lower balance, each later period the period rate on the
    balance at its start. Never more than the schedule said. Flat interest is on the initial
    principal: unchanged. Returns the lines this leaves paid in full."""
    if loan.interest_method != InterestMethod.DECLINING:
        return []
    later = [line for line in lines if not line.is_billed and line.due_date > today and line.status != "paid"]
    if not later:
        return []
    rate = period_rate(loan.annual_rate_bps, loan.frequency)
    balance = sum(line.principal - line.paid_principal for line in lines)
    paid_now, changed = [], []
    for k, line in enumerate(later):
        if k == 0:
            start = _previous_due(loan, line) or today
            length = max(1, (line.due_date - start).days)
            elapsed = min(length, max(0, (today - start).days))
            interest = Fraction(line.interest * elapsed, length) + balance * rate * Fraction(
                length - elapsed, length
            )
        else:
            interest = balance * rate
        new = min(line.interest, int((interest + Fraction(1, 2)) // 1))
        balance -= line.principal - line.paid_principal
        if new != line.interest:
            line.interest = new
            if line.owed == 0:
                line.status, line.paid_on = Instalment.Status.PAID, today
                paid_now.append(line)
            changed.append(line)
    Instalment.objects.bulk_update(changed, ["interest", "status", "paid_on", "updated_at"])
    return paid_now


def _publish(loan: Loan, paid_lines: list[Instalment], today: date, *, closed: bool, lines) -> None:
    borrower = str(loan.borrower.public_id)
    publish_many(
        [
            InstalmentPaid(
                loan=str(loan.public_id),
                borrower=borrower,
                number=line.number,
                due_date=line.due_date.isoformat(),
                paid_on=today.isoformat(),
                days_late=max(0, (today - line.due_date).days),
                amount=line.total,
                currency=loan.currency,
            )
            for line in paid_lines
        ]
    )
    if closed:
        last = max((line.due_date for line in lines), default=today)
        publish(
            LoanClosed(
                loan=str(loan.public_id), borrower=borrower, closed_on=today.isoformat(), prepaid=today < last
            )
        )


def _tell(loan: Loan, repayment: Repayment) -> None:
    """The borrower's SMS and in-app message, once the repayment is committed."""
    from apps.notifications import api as notifications

    from ..messages import LENDING_LOAN_REPAID, LENDING_REPAYMENT_RECEIVED

    user, closed = str(loan.borrower.public_id), repayment.closed_loan
    if closed:
        key, context = LENDING_LOAN_REPAID, {"number": loan.number}
    else:
        key = LENDING_REPAYMENT_RECEIVED
        context = {
            "number": loan.number,
            "amount": {"amount": repayment.allocated, "currency": loan.currency},
            "owed": {"amount": loan.outstanding, "currency": loan.currency},
        }
    transaction.on_commit(
        lambda: notifications.send(
            user, key, context, idempotency_key=f"lending:repayment:{repayment.public_id}"
        ),
        robust=True,
    )


def _release_pledges(loan: Loan) -> None:
    """The pledged savings follow the principal repaid (services/pledges.py)."""
    pledges.on_repaid(loan)


# --- the channels -----------------------------------------------------------------------------


def _own(actor, loan: Loan) -> None:
    if actor is None or loan.borrower_id != getattr(actor, "pk", None):
        raise LoanNotFound()


def repay_from_wallet(
    *, actor, loan: Loan, amount: int, idempotency_key: str, today: date | None = None
) -> Repayment:
    """The borrower repays now from their wallet (the surfaces' « Rembourser »)."""
    _own(actor, loan)
    return repay(
        loan=loan,
        amount=amount,
        channel=Repayment.Channel.WALLET,
        idempotency_key=idempotency_key,
        actor=actor,
        today=today,
    )


def repay_from_fund(
    *, actor, loan: Loan, amount: int, idempotency_key: str, today: date | None = None
) -> Repayment:
    """The borrower repays from their emergency fund (what is available: pledged savings and
    withdrawals under notice are never taken)."""
    _own(actor, loan)
    return repay(
        loan=loan,
        amount=amount,
        channel=Repayment.Channel.FUND,
        idempotency_key=idempotency_key,
        actor=actor,
        today=today,
    )


def lender_organization():
    """The organization pay links for repayments are paid to: Hokwe's loan book (a platform
    organization, created on first use)."""
    return identity.platform_organization(
        name=settings.LENDING_LENDER_NAME, country=settings.LENDING_LENDER_COUNTRY, currencies=("XOF", "XAF")
    )


def repayment_page_url(loan: Loan) -> str:
    """The stable repayment link recovery's reminders carry for a loan case: the borrower's
    pay link page (a MoMo intent for what is due now, made when opened), or, for a landlord
    advance, its page in the owner's area."""
    base = (getattr(settings, "PAYMENT_PUBLIC_BASE_URL", "") or "https://hokwe.com").rstrip("/")
    if loan.borrower_kind == BorrowerKind.LANDLORD:
        return f"{base}/manager/lending/advances/{loan.public_id}"
    return f"{base}/lending/loans/{loan.public_id}/pay-link"


def _follow_recovery(loan: Loan, repayment: Repayment, today: date) -> None:
    """A loan handed over to recovery: its case follows the repayment (what is owed now, the
    payment once), and closes as paid with the loan. One query for a loan never handed over."""
    from apps.core.money import Money
    from apps.recovery import api as recovery

    from ..models import LoanHandover

    if not LoanHandover.objects.filter(loan_id=loan.pk, case__isnull=False).exists():
        return
    payment = f"lending.Repayment:{repayment.public_id}"
    if loan.status == LoanStatus.CLOSED:
        recovery.close_loan_case(
            loan=loan.public_id, reason="paid", paid=repayment.allocated, payment=payment
        )
        return
    oldest = (
        loan.instalments.filter(superseded=False, status__in=OPEN)
        .order_by("due_date")
        .values_list("due_date", flat=True)
        .first()
    )
    recovery.update_loan_case(
        loan=loan.public_id,
        outstanding=Money(loan.outstanding, loan.currency),
        paid=repayment.allocated,
        payment=payment,
        oldest_due_date=oldest,
    )


def repayment_link(
    *, actor, loan: Loan, amount: int | None = None, idempotency_key: str, today: date | None = None
):
    """A MoMo pay link (payments' intent, paid at `pay_url`) for `amount` (default: what is
    due now, else the next instalment). It credits `lending.repayments_received`; when it
    is paid (MoMo, or cash recorded by a collector on it) `intent_paid` applies it. Never
    more than the payoff."""
    _own(actor, loan)
    if loan.status != LoanStatus.ACTIVE:
        raise InvalidLoanState()
    today = _today(today)
    ceiling = payoff(loan, today).total
    if amount is None:
        amount = due_now(loan, today)
        if not amount:
            lines = _open_lines(loan)
            amount = lines[0].owed if lines else 0
        amount = min(amount, ceiling)
    amount = _positive(amount) if amount else 0
    if not amount:
        raise NothingToRepay()
    if amount > ceiling:
        raise AmountAboveOwed(owed=ceiling)
    return payments.create_intent(
        organization=lender_organization().public_id,
        amount=amount,
        currency=loan.currency,
        purpose=PurposeRef(PURPOSE_LOAN, str(loan.public_id)),
        description=f"Remboursement prêt {loan.number}",
        credit_account=accounts.system("lending.repayments_received", loan.currency),
        payer=actor.public_id,
        fee_rule=FeeRule(),
        idempotency_key=f"lending:link:{loan.public_id}:{_key(idempotency_key)}",
    )


def intent_paid(
    *, intent_id: str, purpose_id: str, amount: int, fee: int, method: str, credit_account: str
) -> Repayment | None:
    """A repayment pay link was paid (payments' PaymentSucceeded): apply it from
    `lending.repayments_received`; what is not owed any more goes to the wallet."""
    loan = Loan.objects.filter(public_id=purpose_id).first()
    net = amount - fee
    if loan is None or net <= 0:
        return None
    return repay(
        loan=loan,
        amount=net,
        channel=Repayment.Channel.CASH if method == "cash" else Repayment.Channel.MOMO,
        source_account=UUID(str(credit_account)),
        idempotency_key=f"intent:{intent_id}",
        intent=UUID(str(intent_id)),
        excess_to_wallet=True,
    )


@dataclass(frozen=True)
class AutodebitResult:
    loans: int  # with something due
    repaid: int  # took something from the wallet
    amount: int  # summed over currencies: for the logs
    skipped: int  # an empty, frozen or limited wallet: tried again tomorrow


def autodebit_due(today: date | None = None) -> AutodebitResult:
    """The daily auto-debit: every active tenant loan with something due takes what its
    borrower's wallet has available, up to what is due (one repayment per loan and day,
    key `autodebit:<day>`). What is due is billed first, set-based; the loans and their
    wallets are read in bulk, each repayment is its own transaction (a refusal skips that
    loan only)."""
    today = _today(today)
    accounting.bill_due(today)
    # what each loan owes today, in one aggregate (the due lines are billed by now)
    owed_by_loan = dict(
        Instalment.objects.filter(
            superseded=False,
            status__in=OPEN,
            due_date__lte=today,
            loan__status=LoanStatus.ACTIVE,
            loan__borrower_kind=BorrowerKind.TENANT,
        )
        .values("loan_id")
        .annotate(
            owed=Sum(
                F("principal")
                + F("interest")
                + F("fee")
                + F("penalty")
                - F("paid_principal")
                - F("paid_interest")
                - F("paid_fee")
            )
        )
        .values_list("loan_id", "owed")
    )
    loans = list(
        Loan.objects.filter(pk__in=[pk for pk, owed in owed_by_loan.items() if owed > 0])
        .select_related("product", "borrower")
        .order_by("pk")
    )
    repaid = amount_total = skipped = 0
    for loan in loans:
        owed = owed_by_loan[loan.pk]
        try:
            available = wallet.wallet_info(loan.borrower, loan.currency).available
        except DomainError:
            skipped += 1
            continue
        take = min(owed, available)
        if take <= 0:
            skipped += 1
            continue
        try:
            repay(
                loan=loan,
                amount=take,
                channel=Repayment.Channel.WALLET,
                idempotency_key=f"autodebit:{today.isoformat()}",
                today=today,
            )
        except DomainError:
            skipped += 1
            continue
        repaid += 1
        amount_total += take
    return AutodebitResult(loans=len(loans), repaid=repaid, amount=amount_total, skipped=skipped)
