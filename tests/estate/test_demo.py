"""The estate demo tells a believable story: deposits paid once at signing, no tenant left
with a credit nobody paid for, and the tenants' balances equal the ledger."""

import pytest
from django.core.management import call_command
from django.db.models import F, Sum

from apps.estate.contracts import OPEN_DUE_STATUSES
from apps.estate.models import Lease, RentDue
from apps.ledger import api as ledger

pytestmark = pytest.mark.django_db


def test_the_demo_leases_hold_their_deposit_once_and_owe_what_the_ledger_says():
    call_command("seed_demo", "--no-progress", "--quiet-logins")
    leases = list(Lease.objects.exclude(reference=_signed_for_next_month().reference))
    assert len(leases) >= 10
    for lease in leases:
        assert lease.credit == 0, lease.reference  # nobody paid a deposit twice
        assert lease.deposit_paid == lease.deposit_amount, lease.reference
        for deposit in RentDue.objects.filter(lease=lease, kind="deposit"):
            assert deposit.paid == deposit.total == lease.deposit_amount
    organization = leases[0].organization
    owed = (
        RentDue.objects.filter(organization=organization, status__in=OPEN_DUE_STATUSES)
        .annotate(left=F("total") - F("paid"))
        .aggregate(total=Sum("left"))["total"]
    )
    receivable = ledger.organization_account(
        organization=organization.public_id, code="rent_receivable", currency="XOF"
    )
    assert ledger.balance(account=receivable.public_id).posted == owed > 0


def _signed_for_next_month():
    """The demo's lease signed for the 15th of next month: a move-in invoice to pay."""
    lease = Lease.objects.get(unit__label="C1", unit__property__name="Résidence Les Palmiers")
    assert lease.start_date.day == 15 and lease.deposit_paid == 0
    kinds = sorted(RentDue.objects.filter(lease=lease).values_list("kind", flat=True))
    assert kinds == ["deposit", "fee", "rent", "rent"]  # the first month pro rata, one in advance
    return lease
