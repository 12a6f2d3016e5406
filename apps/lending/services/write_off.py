"""Write-off (docs/lending.md, "Delinquency, restructuring and write-off"): credit staff give
up what a loan still owes, with a reason (audited).

First the borrower's pledged savings still held pay the loan (services/pledges.py
`apply_on_write_off`); then, in one transaction with the loan locked, one ledger transfer

    Dr lending.provisions      the loan's share of the allowance (its bucket's rate × owed),
                               never more than the allowance holds
    Dr lending.write_off       the rest
    Cr lending.loan.<loan>     everything still owed (principal, interest billed, fees)

the unpaid instalments become `waived`, the balances zero, the loan `written_off`, a
`WriteOff` row, an audit entry and `LoanWrittenOff` (after commit). The next nightly run
sets the allowance to what the remaining book asks. Idempotent: a written-off loan is
refused with InvalidLoanState, the transfer's key is the loan's.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from apps.core.audit import AuditCategory, audit_record
from apps.core.outbox import publish
from apps.ledger import api as ledger
from apps.ledger.contracts import Leg

from ..contracts import LoanStatus
from ..errors import InvalidLoanState
from ..events import LoanWrittenOff
from ..models import Instalment, Loan, WriteOff
from . import accounts
from .delinquency import provision_rates

__all__ = ["write_off"]

UNPAID = ("pending", "partly_paid")


def write_off(*, loan: Loan, actor, reason: str, today: date | None = None) -> WriteOff:
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A write-off needs a reason.")
    if loan.status != LoanStatus.ACTIVE:
        raise InvalidLoanState(field="status")
    from .pledges import apply_on_write_off

    apply_on_write_off(loan)
    with transaction.atomic():
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        if loan.status != LoanStatus.ACTIVE or loan.outstanding <= 0:
            raise InvalidLoanState(field="status")  # the pledges may have paid it all
        owed = loan.outstanding
        principal, interest, fees = (
            loan.principal_outstanding,
            loan.interest_outstanding,
            loan.fees_outstanding,
        )
        cur = loan.currency
        from_provisions = to_expense = 0
        provisions = accounts.system("lending.provisions", cur)
        held = max(0, ledger.balance(account=provisions).posted)
        share = owed * provision_rates().get(loan.bucket, 0) // 10_000
        from_provisions = min(share, held, owed)
        to_expense = owed - from_provisions
        legs = [Leg.credit(accounts.loan_account(loan), owed, cur)]
        if from_provisions:
            legs.append(Leg.debit(provisions, from_provisions, cur))
        if to_expense:
            legs.append(Leg.debit(accounts.system("lending.write_off", cur), to_expense, cur))
        transfer = ledger.transfer(
            idempotency_key=f"lending.write_off:{loan.public_id}",
            code="lending_write_off",
            legs=legs,
            description=f"Write-off of loan {loan.number}",
            reference=f"lending.Loan:{loan.public_id}",
        ).public_id
        before = {
            "status": loan.status,
            "principal_outstanding": principal,
            "interest_outstanding": interest,
            "fees_outstanding": fees,
            "bucket": loan.bucket,
            "days_past_due": loan.days_past_due,
        }
        Instalment.objects.filter(loan=loan, superseded=False, status__in=UNPAID).update(
            status=Instalment.Status.WAIVED
        )
        loan.status = LoanStatus.WRITTEN_OFF
        loan.principal_outstanding = loan.interest_outstanding = loan.fees_outstanding = 0
        loan.closed_on = today
        loan.save(
            update_fields=[
                "status",
                "principal_outstanding",
                "interest_outstanding",
                "fees_outstanding",
                "closed_on",
                "updated_at",
            ]
        )
        row = WriteOff.objects.create(
            loan=loan,
            currency=cur,
            amount=owed,
            principal=principal,
            interest=interest,
            fees=fees,
            from_provisions=from_provisions,
            to_expense=to_expense,
            bucket=loan.bucket,
            days_past_due=loan.days_past_due,
            written_off_on=today,
            transfer=transfer,
            reason=reason[:500],
            actor=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            action="lending.loan.written_off",
            category=AuditCategory.MONEY,
            actor=actor,
            target=loan,
            before=before,
            after={"status": loan.status, "written_off": owed, "from_provisions": from_provisions},
            reason=reason[:500],
        )
        publish(
            LoanWrittenOff(
                loan=str(loan.public_id),
                borrower=str(loan.borrower.public_id),
                amount=owed,
                currency=cur,
                written_off_on=today.isoformat(),
            )
        )
        # a loan handed over to recovery: its case closes as written off (None: no case)
        from apps.recovery import api as recovery

        recovery.close_loan_case(loan=loan.public_id, reason="written_off", note=reason)
    return row
