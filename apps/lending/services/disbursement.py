"""Disbursement: an accepted loan's principal leaves the loan book once (docs/lending.md,
"Lifecycle" and "Accounting").

    disburse(loan)   # safe to call again after a timeout, a crash or from the sweeper

The steps, each idempotent:
1. record: a `Disbursement` row (pending) and the loan's ledger account, committed;
2. an « Avance loyer »: the rent due's payment intent is stored on the row and committed,
   then paid from the loan's account (`payments.pay_from_account`: Dr the loan, Cr the
   agency's rent receivable; estate's handler settles the due and issues the quittance); a
   retry reads the intent's state instead of paying again. What the fee and the due leave
   goes to the wallet;
3. the wallet (`wallet.credit_wallet` from the loan's account) or the owner's balance
   (`owners_payable` of the owner organization, paid out by the owner's normal payout), and
   the upfront fee (Dr the loan, Cr `lending.fee_income`), under keys derived from the loan;
4. apply: the instalments from the schedule, the principal owed, ACTIVE, `LoanDisbursed`
   published (scoring rescores the borrower from lending's handler).

The loan's account is debited with the whole principal: what the borrower owes. No call
runs inside a transaction holding the loan's lock.
"""

from __future__ import annotations

from uuid import UUID

from django.db import transaction
from django.utils import timezone

from apps.core.errors import DomainError
from apps.core.outbox import publish
from apps.estate import api as estate
from apps.ledger import api as ledger
from apps.ledger.contracts import Leg
from apps.payments import api as payments
from apps.payments.contracts import IntentStatus
from apps.wallet import api as wallet

from ..contracts import Destination, LoanStatus
from ..errors import GuarantorsPending, InvalidLoanState, NoRentDueToPay
from ..events import LoanDisbursed
from ..models import Disbursement, Instalment, Loan
from . import accounts
from .acceptance import guarantees_ready
from .applications import loan_schedule

__all__ = ["disburse", "disburse_pending"]

CODE = "lending_disbursement"
CODE_FEE = "lending_upfront_fee"


def _key(loan: Loan, step: str) -> str:
    return f"lending.disburse.{step}:{loan.public_id}"


def _record(loan: Loan) -> tuple[Loan, Disbursement | None]:
    """Step 1: lock, check, the row and the loan's account. Returns (loan, None) when the
    loan is already disbursed."""
    with transaction.atomic():
        row = Loan.objects.select_for_update().select_related("product", "borrower").get(pk=loan.pk)
        if row.status == LoanStatus.ACTIVE or (
            row.status in (LoanStatus.CLOSED, LoanStatus.WRITTEN_OFF) and row.disbursed_on
        ):
            return row, None
        if row.status != LoanStatus.ACCEPTED:
            raise InvalidLoanState()
        if not guarantees_ready(row):
            raise GuarantorsPending()
        if row.product.pledge_bps:
            from . import pledges

            pledges.hold_for_acceptance(row)  # PledgeNotCovered: the borrower's fund is short
        if not row.account:
            row.account = accounts.loan_account(row)
            row.save(update_fields=["account", "updated_at"])
        record, _created = Disbursement.objects.get_or_create(
            loan=row, defaults={"net_amount": row.principal - row.upfront_fee, "fee": row.upfront_fee}
        )
        Disbursement.objects.filter(pk=record.pk).update(attempts=record.attempts + 1)
        return row, record


def _pay_rent_due(loan: Loan, record: Disbursement) -> int:
    """Step 2 for an « Avance loyer »: what was paid to the due (its intent's amount)."""
    if record.intent is None:
        try:
            intent = estate.due_payment_intent(UUID(loan.destination_ref), payer=loan.borrower.public_id)
        except DomainError:
            raise NoRentDueToPay() from None
        if intent.amount > record.net_amount:
            raise NoRentDueToPay()
        Disbursement.objects.filter(pk=record.pk, intent__isnull=True).update(intent=intent.public_id)
        record.refresh_from_db()
    info = payments.get_intent(record.intent)
    if info.status != IntentStatus.SUCCEEDED:
        info = payments.pay_from_account(actor=loan.borrower, intent=record.intent, account=loan.account)
        if info.status != IntentStatus.SUCCEEDED:
            raise NoRentDueToPay()
    return info.amount


def _move(loan: Loan, record: Disbursement) -> tuple[dict, UUID | None]:
    """Steps 2 and 3: the money, each move under its own key. Returns where it went and the
    ledger transfer to the wallet or the owner (None when the rent due took it all)."""
    to_due = to_wallet = to_owner = 0
    transfer = None
    rest = record.net_amount
    if loan.destination == Destination.RENT_DUE:
        to_due = _pay_rent_due(loan, record)
        rest -= to_due
    if loan.destination == Destination.PAYOUT:
        payable = ledger.organization_account(
            organization=loan.organization, code="owners_payable", currency=loan.currency
        )
        transfer = ledger.transfer(
            idempotency_key=_key(loan, "owner"),
            code=CODE,
            legs=[
                Leg.debit(loan.account, rest, loan.currency),
                Leg.credit(payable.public_id, rest, loan.currency),
            ],
            description=f"Loan {loan.number}",
            reference=f"lending.Loan:{loan.public_id}",
        )
        to_owner = rest
    elif rest > 0:
        transfer = wallet.credit_wallet(
            user=loan.borrower,
            amount=rest,
            currency=loan.currency,
            from_account=loan.account,
            idempotency_key=_key(loan, "wallet"),
            code=CODE,
            description=f"Loan {loan.number}",
            reference=f"lending.Loan:{loan.public_id}",
        )
        to_wallet = rest
    if record.fee:
        ledger.transfer(
            idempotency_key=_key(loan, "fee"),
            code=CODE_FEE,
            legs=[
                Leg.debit(loan.account, record.fee, loan.currency),
                Leg.credit(accounts.system("lending.fee_income", loan.currency), record.fee, loan.currency),
            ],
            description=f"Upfront fee, loan {loan.number}",
            reference=f"lending.Loan:{loan.public_id}",
        )
    moved = {"to_due": to_due, "to_wallet": to_wallet, "to_owner": to_owner}
    return moved, (transfer.public_id if transfer is not None else None)


def _apply(loan: Loan, record: Disbursement, moved: dict, transfer: UUID | None) -> Loan:
    """Step 4, once: the instalments, the balances, ACTIVE, the event."""
    schedule = loan_schedule(loan)
    today = timezone.localdate()
    with transaction.atomic():
        row = Loan.objects.select_for_update().select_related("product", "borrower").get(pk=loan.pk)
        if row.status != LoanStatus.ACCEPTED:
            return row
        Instalment.objects.bulk_create(
            [
                Instalment(
                    loan=row,
                    number=line.number,
                    due_date=line.due_date,
                    principal=line.principal,
                    interest=line.interest,
                    fee=line.fee,
                )
                for line in schedule.lines
            ]
        )
        row.status = LoanStatus.ACTIVE
        row.disbursed_on = today
        row.principal_outstanding = row.principal
        row.total_interest = schedule.total_interest
        row.disbursement_transfer = transfer
        row.save(
            update_fields=[
                "status",
                "disbursed_on",
                "principal_outstanding",
                "total_interest",
                "disbursement_transfer",
                "updated_at",
            ]
        )
        Disbursement.objects.filter(pk=record.pk).update(
            status=Disbursement.Status.DONE, done_at=timezone.now(), last_error="", **moved
        )
        publish(
            LoanDisbursed(
                loan=str(row.public_id),
                number=row.number,
                borrower=str(row.borrower.public_id),
                organization=str(row.organization) if row.organization else None,
                product=row.product.code,
                borrower_kind=row.borrower_kind,
                destination=row.destination,
                principal=row.principal,
                currency=row.currency,
                disbursed_on=today.isoformat(),
            )
        )
    return row


def disburse(loan: Loan) -> Loan:
    """Pay out an accepted loan, once (see the module). Raises InvalidLoanState (not
    accepted), GuarantorsPending, NoRentDueToPay, the wallet's and kyc's refusals: the loan
    stays ACCEPTED with the error on its record, and a retry finishes what is left."""
    row, record = _record(loan)
    if record is None:
        return row
    try:
        moved, transfer = _move(row, record)
    except DomainError as exc:
        Disbursement.objects.filter(pk=record.pk).update(last_error=str(exc.message)[:300])
        raise
    return _apply(row, record, moved, transfer)


def disburse_pending(limit: int = 200) -> dict:
    """The sweeper (beat): accepted loans whose disbursement was interrupted or waited for
    guarantors are tried again. Returns {"disbursed": n, "waiting": n}."""
    done = waiting = 0
    for loan in Loan.objects.filter(status=LoanStatus.ACCEPTED).order_by("accepted_at")[:limit]:
        try:
            disburse(loan)
            done += 1
        except DomainError:
            waiting += 1
    return {"disbursed": done, "waiting": waiting}
