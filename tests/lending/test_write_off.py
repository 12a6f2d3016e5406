"""Write-off: the allowance first, the rest as an expense; the loan's account at zero,
unpaid lines waived, audited, LoanWrittenOff; never twice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from apps.core.models import AuditEntry, OutboxEvent
from apps.ledger import api as ledger
from apps.lending.errors import InvalidLoanState
from apps.lending.models import WriteOff
from apps.lending.services import accounts
from apps.lending.services.delinquency import nightly_run, provision_rates
from apps.lending.services.write_off import write_off
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 3)


def balance(code, currency="XOF"):
    return ledger.balance(account=accounts.system(code, currency)).posted


def test_write_off_uses_the_allowance_then_the_expense(book_loan):
    staff = UserFactory(is_staff=True)
    loan = book_loan(principal=80_000, term=2, first_due=TODAY - timedelta(days=100), late_fee_fixed=1_000)
    other = book_loan(principal=40_000, term=2, first_due=TODAY + timedelta(days=3))
    nightly_run(today=TODAY)
    loan.refresh_from_db()
    assert loan.bucket == "90+"
    owed = loan.outstanding
    allowance = balance("lending.provisions")
    share = owed * provision_rates()["90+"] // 10_000

    row = write_off(loan=loan, actor=staff, reason="Débiteur introuvable", today=TODAY)

    loan.refresh_from_db()
    assert loan.status == "written_off" and loan.outstanding == 0
    assert ledger.balance(account=loan.account).posted == 0
    assert row.amount == owed == row.principal + row.interest + row.fees
    assert row.from_provisions == min(share, allowance) and row.from_provisions + row.to_expense == owed
    assert balance("lending.provisions") == allowance - row.from_provisions
    assert balance("lending.write_off") == row.to_expense
    assert not loan.instalments.filter(superseded=False, status__in=["pending", "partly_paid"]).exists()
    assert AuditEntry.objects.filter(
        action="lending.loan.written_off", target_public_id=str(loan.public_id)
    ).exists()
    event = OutboxEvent.objects.get(name="lending.LoanWrittenOff")
    assert event.payload["amount"] == owed and event.payload["loan"] == str(loan.public_id)

    with pytest.raises(InvalidLoanState):
        write_off(loan=loan, actor=staff, reason="again", today=TODAY)
    assert WriteOff.objects.count() == 1

    # the next night the allowance is what the rest of the book asks
    nightly_run(today=TODAY + timedelta(days=1))
    other.refresh_from_db()
    assert balance("lending.provisions") == other.outstanding * provision_rates()["current"] // 10_000


def test_a_write_off_needs_a_reason(book_loan):
    loan = book_loan()
    with pytest.raises(ValueError):
        write_off(loan=loan, actor=None, reason="  ")
    loan.refresh_from_db()
    assert loan.status == "active"
