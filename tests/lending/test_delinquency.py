"""The nightly delinquency run: billing, aging into buckets, late fees on the ledger,
InstalmentLate and reminders once, the handover to recovery, the provisions and the day's
snapshot; a re-run of the night moves nothing twice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from apps.core.models import OutboxEvent
from apps.ledger import api as ledger
from apps.lending.models import AgingSnapshot, LoanHandover
from apps.lending.services import accounts
from apps.lending.services.delinquency import bucket_for, nightly_run, provision_rates

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 3)


def owed_on_ledger(loan) -> int:
    return ledger.balance(account=loan.account).posted


def provisions(currency="XOF") -> int:
    return ledger.balance(account=accounts.system("lending.provisions", currency)).posted


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (0, "current"),
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "90+"),
    ],
)
def test_bucket_bounds(days, bucket):
    assert bucket_for(days) == bucket


def test_a_late_loan_is_billed_aged_charged_and_told_once(book_loan):
    loan = book_loan(
        principal=120_000, term=3, first_due=TODAY - timedelta(days=40), late_fee_fixed=500, late_fee_bps=200
    )
    on_time = book_loan(principal=60_000, term=2, first_due=TODAY + timedelta(days=10))

    result = nightly_run(today=TODAY)

    loan.refresh_from_db()
    first, second = loan.instalments.order_by("number")[:2]
    assert loan.days_past_due == 40 and loan.bucket == "31-60"
    # both past lines billed (interest receivable), a late fee each: 500 + 2 % of the line
    assert loan.interest_outstanding == first.interest + second.interest
    expected_fees = sum(500 + (i.principal + i.interest + i.fee) * 200 // 10_000 for i in (first, second))
    assert first.penalty > 0 and second.penalty > 0
    assert loan.fees_outstanding == expected_fees == first.penalty + second.penalty
    assert result.late_fees == 2 and result.late_fees_amount == {"XOF": expected_fees}
    # the loan and its ledger account agree
    assert owed_on_ledger(loan) == loan.outstanding
    on_time.refresh_from_db()
    assert on_time.bucket == "current" and on_time.days_past_due == 0 and on_time.fees_outstanding == 0

    late = OutboxEvent.objects.filter(name="lending.InstalmentLate")
    assert late.count() == 1
    payload = late.get().payload
    assert payload["loan"] == str(loan.public_id) and payload["number"] == 1
    assert payload["bucket"] == "31-60" and payload["days_late"] == 40
    assert payload["amount_due"] == first.owed + second.owed
    assert result.reminders == 1

    # the same night again: nothing billed, charged, told or posted twice
    before = (owed_on_ledger(loan), provisions())
    again = nightly_run(today=TODAY)
    loan.refresh_from_db()
    assert again.late_fees == 0 and again.aged == 0 and again.late_events == 0
    assert (owed_on_ledger(loan), provisions()) == before
    assert loan.fees_outstanding == expected_fees
    assert OutboxEvent.objects.filter(name="lending.InstalmentLate").count() == 1


def test_a_worse_bucket_is_told_again_and_hands_over_once(book_loan, settings):
    settings.LENDING_RECOVERY_BUCKET = "61-90"
    loan = book_loan(principal=90_000, term=3, first_due=TODAY - timedelta(days=20))
    nightly_run(today=TODAY)
    loan.refresh_from_db()
    assert loan.bucket == "1-30" and not LoanHandover.objects.filter(loan=loan).exists()

    nightly_run(today=TODAY + timedelta(days=1))  # 21 days: same bucket, not told again
    assert OutboxEvent.objects.filter(name="lending.InstalmentLate").count() == 1

    nightly_run(today=TODAY + timedelta(days=45))  # 65 days: 61-90
    loan.refresh_from_db()
    assert loan.bucket == "61-90"
    buckets = [
        e.payload["bucket"] for e in OutboxEvent.objects.filter(name="lending.InstalmentLate").order_by("id")
    ]
    assert buckets == ["1-30", "61-90"]
    handover = LoanHandover.objects.get(loan=loan)
    assert handover.bucket == "61-90" and handover.amount == loan.outstanding

    nightly_run(today=TODAY + timedelta(days=46))
    assert LoanHandover.objects.filter(loan=loan).count() == 1


def test_provisions_follow_the_buckets_and_the_snapshot_is_kept(book_loan):
    current = book_loan(principal=100_000, term=2, first_due=TODAY + timedelta(days=5))
    late = book_loan(principal=50_000, term=2, first_due=TODAY - timedelta(days=95))
    nightly_run(today=TODAY)
    current.refresh_from_db()
    late.refresh_from_db()
    rates = provision_rates()
    assert late.bucket == "90+"
    expected = current.outstanding * rates["current"] // 10_000 + late.outstanding * rates["90+"] // 10_000
    assert provisions() == expected > 0

    snaps = {s.bucket: s for s in AgingSnapshot.objects.filter(day=TODAY, currency="XOF")}
    assert set(snaps) == {"current", "1-30", "31-60", "61-90", "90+"}
    assert snaps["90+"].loans == 1 and snaps["90+"].outstanding == late.outstanding
    assert snaps["current"].outstanding == current.outstanding
    assert sum(s.provision for s in snaps.values()) == expected

    # the late loan catches up on paper (its lines are paid off by hand here): the allowance
    # is released the next night
    late.instalments.update(status="paid")
    nightly_run(today=TODAY + timedelta(days=1))
    late.refresh_from_db()
    assert late.bucket == "current"
    assert provisions() == (
        current.outstanding * rates["current"] // 10_000 + late.outstanding * rates["current"] // 10_000
    )
    assert AgingSnapshot.objects.filter(day=TODAY + timedelta(days=1), bucket="90+").get().loans == 0


def test_the_demo_runs_tonight(book_loan):
    from django.utils import timezone

    from apps.lending.demo import _seed_delinquency

    today = timezone.localdate()
    book_loan(principal=50_000, term=2, first_due=today - timedelta(days=5))
    _seed_delinquency(None)
    _seed_delinquency(None)  # idempotent for the day
    assert AgingSnapshot.objects.filter(day=today).count() == 5
    assert OutboxEvent.objects.filter(name="lending.InstalmentLate").count() == 1
