from datetime import date

import pytest

from apps.estate import services
from apps.estate.models import RentDue
from apps.ledger import api as ledger

pytestmark = pytest.mark.django_db


def test_lease_issues_back_dated_dues_and_cash_pays_oldest_first(lease, manager):
    dues = list(RentDue.objects.filter(lease=lease).order_by("period"))
    assert [d.period for d in dues] == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert [d.status for d in dues] == ["overdue", "overdue", "due"]
    payment = services.payment_record(actor=manager, lease=lease, amount=100_000, method="cash")
    dues = list(RentDue.objects.filter(lease=lease).order_by("period"))
    assert [d.paid for d in dues] == [80_000, 20_000, 0]
    assert dues[0].status == "paid" and dues[0].quittance.code
    assert payment.intent is not None
    receivable = ledger.organization_account(
        organization=lease.organization.public_id, code="rent_receivable"
    )
    assert ledger.balance(account=receivable.public_id).posted == 3 * 80_000 - 100_000
