"""Restructuring (docs/lending.md, "Delinquency, restructuring and write-off"): credit staff
give a late borrower a new schedule for what the loan owes, with a reason (audited).

What is owed now — the principal still owed, the interest and fees billed and unpaid, the
late fees — becomes the new schedule's principal (capitalised), built by the products'
`schedule.build` with the new term and rate (the loan's own by default) from the new first
due date. The unpaid lines of the current schedule are kept, `superseded`; the new lines
come with the next `version`. The loan's ledger account does not move (it already holds
everything owed): only the loan's split between principal, interest and fees changes, so
the loan and the ledger still agree and nothing owed is lost or added
(tests/lending/test_restructure.py, hypothesis). Interest of the new schedule is billed as
its lines fall due, like any loan's. The loan is current again until a new line is late.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.core.audit import AuditCategory, audit_record

from ..contracts import Bucket, Frequency, LoanStatus
from ..errors import InvalidLoanState
from ..models import Instalment, Loan, Restructuring
from . import schedule as schedules

__all__ = ["restructure"]

UNPAID = ("pending", "partly_paid")


def _line_json(line) -> dict:
    return {
        "number": line.number,
        "due_date": line.due_date.isoformat(),
        "principal": line.principal,
        "interest": line.interest,
        "fee": getattr(line, "fee", 0),
        "penalty": getattr(line, "penalty", 0),
        "paid": getattr(line, "paid", 0),
    }


def restructure(
    *,
    loan: Loan,
    actor,
    reason: str,
    term: int,
    first_due_date: date,
    annual_rate_bps: int | None = None,
    frequency: str | None = None,
) -> Restructuring:
    """A new schedule of `term` lines for everything the loan owes. Raises ValueError for an
    impossible schedule (a zero line: too many lines for what is owed), InvalidLoanState
    when the loan is not being repaid or owes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A restructuring needs a reason.")
    if term < 1:
        raise ValueError("A schedule has at least one instalment.")
    with transaction.atomic():
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        if loan.status != LoanStatus.ACTIVE or loan.outstanding <= 0:
            raise InvalidLoanState(field="status")
        rate = loan.annual_rate_bps if annual_rate_bps is None else annual_rate_bps
        freq = Frequency(frequency or loan.frequency)
        owed = loan.outstanding
        new = schedules.build(
            principal=owed,
            currency=loan.currency,
            annual_rate_bps=rate,
            term=term,
            frequency=freq,
            interest_method=loan.interest_method,
            amortization=loan.amortization,
            grace_periods=0,
            first_due_date=first_due_date,
        )
        current = loan.instalments.filter(superseded=False)
        version = (loan.instalments.aggregate(v=Max("version"))["v"] or 0) + 1
        from_version = version - 1
        old = list(current.filter(status__in=UNPAID).order_by("number"))
        current.filter(status__in=UNPAID).update(superseded=True)
        Instalment.objects.bulk_create(
            [
                Instalment(
                    loan=loan,
                    number=line.number,
                    version=version,
                    due_date=line.due_date,
                    principal=line.principal,
                    interest=line.interest,
                    fee=line.fee,
                )
                for line in new.lines
            ]
        )
        before = {
            "principal_outstanding": loan.principal_outstanding,
            "interest_outstanding": loan.interest_outstanding,
            "fees_outstanding": loan.fees_outstanding,
            "term": loan.term,
            "annual_rate_bps": loan.annual_rate_bps,
            "bucket": loan.bucket,
            "days_past_due": loan.days_past_due,
            "version": from_version,
        }
        loan.principal_outstanding = owed
        loan.interest_outstanding = loan.fees_outstanding = 0
        loan.days_past_due = 0
        loan.bucket = Bucket.CURRENT
        loan.save(
            update_fields=[
                "principal_outstanding",
                "interest_outstanding",
                "fees_outstanding",
                "days_past_due",
                "bucket",
                "updated_at",
            ]
        )
        row = Restructuring.objects.create(
            loan=loan,
            from_version=from_version,
            to_version=version,
            owed=owed,
            term=term,
            annual_rate_bps=rate,
            first_due_date=first_due_date,
            old_schedule=[_line_json(line) for line in old],
            new_schedule=[_line_json(line) for line in new.lines],
            reason=reason[:500],
            actor=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            action="lending.loan.restructured",
            category=AuditCategory.MONEY,
            actor=actor,
            target=loan,
            before=before,
            after={
                "owed": owed,
                "term": term,
                "annual_rate_bps": rate,
                "first_due_date": first_due_date.isoformat(),
                "version": version,
                "total_interest": new.total_interest,
            },
            reason=reason[:500],
        )
        # the loan is current again on its new schedule: its recovery case (if any) closes as
        # restructured, and the handover is freed so a loan that falls behind again is
        # handed over again (a new case)
        from apps.recovery import api as recovery

        from ..models import LoanHandover

        if recovery.close_loan_case(loan=loan.public_id, reason="restructured", note=reason) is not None:
            LoanHandover.objects.filter(loan=loan).update(case=None, updated_at=timezone.now())
    return row
