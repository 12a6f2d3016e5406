"""Rent dues: the month-end run (idempotent, set-based), statuses and late fees with the
calendar, payments oldest first, credit never lost, the ledger in step with the dues."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import F, Sum
from django.test.utils import CaptureQueriesContext

from apps.estate import services
from apps.estate.models import CreditMovement, Lease, MonthEndRun, RentDue
from apps.ledger import api as ledger

from .conftest import make_lease
from .factories import UnitFactory

pytestmark = pytest.mark.django_db


def _receivable(org) -> int:
    account = ledger.organization_account(organization=org.public_id, code="rent_receivable")
    return ledger.balance(account=account.public_id).posted


def _check_ledger(org):
    """The tenants' receivable on the ledger = what the dues still ask − tenant credit."""
    open_dues = (
        RentDue.objects.filter(organization=org)
        .exclude(status="written_off")
        .aggregate(left=Sum(F("total") - F("paid")))["left"]
        or 0
    )
    credit = Lease.objects.filter(organization=org).aggregate(c=Sum("credit"))["c"] or 0
    assert _receivable(org) == open_dues - credit


def _leases(manager, prop, n):
    from tests.identity.factories import UserFactory

    return [make_lease(manager, UnitFactory(property=prop), UserFactory()) for _ in range(n)]


def test_month_end_is_idempotent_and_set_based(clock, manager, prop, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="hokwe.estate")  # the progress lines must be loggable
    _leases(manager, prop, 3)
    with CaptureQueriesContext(connection) as small:
        first = services.month_end_run(period=date(2026, 4, 1), batch_size=100)
    assert (first.leases, first.created) == (3, 3)
    again = services.month_end_run(period=date(2026, 4, 1), batch_size=100)
    assert again.created == 0
    assert RentDue.objects.filter(period=date(2026, 4, 1)).count() == 3
    _leases(manager, prop, 12)
    with CaptureQueriesContext(connection) as large:
        result = services.month_end_run(period=date(2026, 5, 1), batch_size=100)
    assert result.created == 15
    assert len(large) == len(small), "queries per batch must not grow with the number of leases"
    assert MonthEndRun.objects.get(period=date(2026, 5, 1)).dues_created == 15
    progress = [r.msg for r in caplog.records if "estate_month_end_progress" in str(r.msg)]
    assert progress and progress[-1]["dues_created"] == 15
    _check_ledger(prop.organization)


def test_month_end_uses_tenant_credit_and_skips_ended_leases(lease, manager, unit):
    services.payment_record(
        actor=manager, lease=lease, amount=300_000, method="bank_transfer"
    )  # 60 000 credit
    services.month_end_run(period=date(2026, 4, 1))
    april = RentDue.objects.get(lease=lease, period=date(2026, 4, 1))
    lease.refresh_from_db()
    assert (april.paid, april.status, lease.credit) == (60_000, "partially_paid", 0)
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 4, 30))
    assert services.month_end_run(period=date(2026, 5, 1)).created == 0
    _check_ledger(lease.organization)


def test_statuses_move_with_the_calendar(lease, time_machine):
    services.month_end_run(period=date(2026, 4, 1))
    april = RentDue.objects.get(lease=lease, period=date(2026, 4, 1))
    assert april.status == "upcoming"
    time_machine.move_to("2026-04-06T09:00:00+00:00")
    services.dues_refresh()
    april.refresh_from_db()
    assert april.status == "due"
    time_machine.move_to("2026-04-12T09:00:00+00:00")
    services.dues_refresh()
    april.refresh_from_db()
    assert april.status == "overdue"


def test_late_fees_follow_the_policy_with_a_monthly_cap(clock, manager, unit, tenant, time_machine):
    lease = make_lease(
        manager,
        unit,
        tenant,
        start_date=date(2026, 3, 1),
        late_fee_policy="per_day",
        late_fee_value=1_000,
        late_fee_cap=5_000,
    )
    march = RentDue.objects.get(lease=lease, kind="rent")
    deposit = RentDue.objects.get(lease=lease, kind="deposit")  # signed in March: its move-in invoice
    time_machine.move_to("2026-03-13T09:00:00+00:00")  # 3 days after the grace period
    services.dues_refresh()
    march.refresh_from_db()
    assert march.total == 80_000 + 3_000 and march.status == "overdue"
    time_machine.move_to("2026-03-25T09:00:00+00:00")
    services.dues_refresh()
    services.dues_refresh()  # twice the same day: nothing more
    march.refresh_from_db()
    assert march.total == 80_000 + 5_000
    deposit.refresh_from_db()
    assert deposit.status == "overdue" and deposit.total == 150_000  # no late fee on a deposit
    _check_ledger(lease.organization)


def test_a_named_due_is_paid_first_then_the_oldest(lease, manager):
    march = RentDue.objects.get(lease=lease, period=date(2026, 3, 1))
    services.payment_record(actor=manager, lease=lease, amount=100_000, method="bank_transfer", due=march)
    paid = dict(RentDue.objects.filter(lease=lease).values_list("period", "paid"))
    assert paid == {date(2026, 3, 1): 80_000, date(2026, 1, 1): 20_000, date(2026, 2, 1): 0}


def test_overpayment_is_kept_as_credit_never_lost(lease, manager):
    payment = services.payment_record(actor=manager, lease=lease, amount=95_000, method="cash")
    services.payment_record(actor=manager, lease=lease, amount=200_000, method="bank_transfer")
    lease.refresh_from_db()
    assert payment.to_credit == 0
    assert lease.credit == 95_000 + 200_000 - 240_000
    assert sum(CreditMovement.objects.filter(lease=lease).values_list("amount", flat=True)) == lease.credit
    _check_ledger(lease.organization)


def test_discount_after_payment_moves_the_excess_to_credit(lease, manager):
    january = RentDue.objects.get(lease=lease, period=date(2026, 1, 1))
    services.payment_record(actor=manager, lease=lease, amount=80_000, method="bank_transfer", due=january)
    with pytest.raises(Exception):  # noqa: B017 -- a paid due cannot be discounted
        services.due_adjust(actor=manager, due=january, kind="discount", amount=10_000)
    services.due_adjust(actor=manager, due=january, kind="charge", amount=2_000, label="Réparation robinet")
    january.refresh_from_db()
    assert (january.total, january.status) == (82_000, "overdue")  # 2 000 left, past grace
    february = RentDue.objects.get(lease=lease, period=date(2026, 2, 1))
    services.payment_record(actor=manager, lease=lease, amount=50_000, method="bank_transfer", due=february)
    services.due_adjust(actor=manager, due=february, kind="discount", amount=40_000)
    february.refresh_from_db()
    lease.refresh_from_db()
    assert (february.total, february.paid, february.status) == (40_000, 40_000, "paid")
    assert lease.credit == 10_000
    _check_ledger(lease.organization)


def test_write_off_reverses_the_accrual(lease, manager):
    february = RentDue.objects.get(lease=lease, period=date(2026, 2, 1))
    services.due_write_off(actor=manager, due=february, reason="Locataire parti")
    february.refresh_from_db()
    assert february.status == "written_off"
    _check_ledger(lease.organization)


def test_owner_statement_collected_minus_commission_minus_expenses(lease, manager, prop):
    from apps.ledger import api as ledger

    services.payment_record(
        actor=manager, lease=lease, amount=80_000, method="bank_transfer", received_on=date(2026, 3, 2)
    )
    services.expense_create(
        actor=manager, property=prop, label="Peinture", amount=30_000, incurred_on=date(2026, 3, 5)
    )
    statement = services.statement_get_or_refresh(
        actor=manager, organization_id=prop.organization_id, owner_id=prop.owner_id, period=date(2026, 3, 1)
    )
    assert (statement.collected, statement.commission, statement.expenses, statement.net) == (
        80_000,
        8_000,
        30_000,
        42_000,
    )
    services.statement_close(actor=manager, statement=statement)
    owner = ledger.organization_account(organization=prop.owner.public_id, code="owners_payable")
    agency = ledger.organization_account(organization=prop.organization.public_id, code="owners_payable")
    assert ledger.balance(account=owner.public_id).posted == 42_000
    assert ledger.balance(account=agency.public_id).posted == 38_000  # expenses back + commission
    with pytest.raises(Exception):  # noqa: B017 -- closed once
        services.statement_close(actor=manager, statement=statement)
