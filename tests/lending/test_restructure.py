"""Restructuring: a new schedule for everything owed, audited; the old unpaid lines are
superseded; nothing owed is lost or added (hypothesis), the loan and the ledger agree."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.models import AuditEntry
from apps.ledger import api as ledger
from apps.lending.errors import InvalidLoanState
from apps.lending.services.delinquency import nightly_run
from apps.lending.services.restructure import restructure

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 3)


def test_restructure_a_late_loan(book_loan):
    loan = book_loan(principal=150_000, term=3, first_due=TODAY - timedelta(days=45), late_fee_fixed=2_000)
    nightly_run(today=TODAY)
    loan.refresh_from_db()
    owed = loan.outstanding
    assert loan.bucket == "31-60" and loan.interest_outstanding > 0 and loan.fees_outstanding > 0

    row = restructure(
        loan=loan, actor=None, reason="Perte d'emploi", term=6, first_due_date=TODAY + timedelta(days=30)
    )

    loan.refresh_from_db()
    assert loan.outstanding == owed == ledger.balance(account=loan.account).posted
    assert loan.principal_outstanding == owed and loan.bucket == "current" and loan.days_past_due == 0
    new = list(loan.instalments.filter(superseded=False).order_by("number"))
    assert [i.version for i in new] == [2] * 6 and sum(i.principal for i in new) == owed
    assert new[0].due_date == TODAY + timedelta(days=30)
    assert loan.instalments.filter(superseded=True).count() == 3
    assert row.from_version == 1 and row.to_version == 2 and len(row.old_schedule) == 3
    assert AuditEntry.objects.filter(action="lending.loan.restructured", reason="Perte d'emploi").exists()

    # the new schedule is the one the nightly run ages: nothing late until its first line
    nightly_run(today=TODAY + timedelta(days=1))
    loan.refresh_from_db()
    assert loan.bucket == "current" and loan.outstanding == ledger.balance(account=loan.account).posted


def test_restructure_refuses_a_loan_not_being_repaid(book_loan):
    loan = book_loan()
    loan.status = "closed"
    loan.save(update_fields=["status"])
    with pytest.raises(InvalidLoanState):
        restructure(loan=loan, actor=None, reason="x", term=3, first_due_date=TODAY)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    principal=st.integers(min_value=10_000, max_value=2_000_000),
    term=st.integers(min_value=1, max_value=6),
    late_days=st.integers(min_value=0, max_value=120),
    new_term=st.integers(min_value=1, max_value=12),
)
def test_a_restructuring_preserves_what_is_owed(book_loan, principal, term, late_days, new_term):
    loan = book_loan(
        principal=principal, term=term, first_due=TODAY - timedelta(days=late_days), late_fee_bps=300
    )
    nightly_run(today=TODAY)
    loan.refresh_from_db()
    owed = loan.outstanding
    restructure(
        loan=loan,
        actor=None,
        reason="test",
        term=new_term,
        first_due_date=TODAY + timedelta(days=7),
        annual_rate_bps=0,
    )
    loan.refresh_from_db()
    new = list(loan.instalments.filter(superseded=False))
    # at a zero rate the new schedule is exactly what was owed; the ledger did not move
    assert sum(i.total for i in new) == owed == loan.outstanding
    assert ledger.balance(account=loan.account).posted == owed
