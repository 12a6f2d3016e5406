"""A lease's life after signing: notice (congé / préavis) by the tenant or the landlord,
renewal (a new lease from a date, new rent, deposit and credit carried over), rent changes
from a month on, the move-out (end, later unpaid dues written off, unit vacant) and the
deposit settlement — and the refusals of each, which write nothing.

The `lease` fixture: unit B2, from 1 January 2026, rent 75 000 + charges 5 000 (80 000 a
month), due on the 5th with 5 grace days, deposit 2 months; today is 10 March 2026, so
the dues of January, February and March exist."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.core.errors import NotFound
from apps.core.models import OutboxEvent
from apps.estate import api as estate
from apps.estate import services
from apps.estate.errors import DatesOutOfOrder, InvalidInput, InvalidState, LeaseOverlap, NegativeAmount
from apps.estate.models import DepositSettlement, Lease, LeaseTerms, RentDue, RentPayment
from apps.ledger import api as ledger
from tests.identity.factories import UserFactory

from .conftest import make_lease

pytestmark = pytest.mark.django_db

JAN, FEB, MAR, APR, MAY, JUN, JUL = (date(2026, m, 1) for m in range(1, 8))


def api(user):
    from apps.identity.services.tokens import tokens_issue

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=user, auth_method='otp').access_token}")
    return client


def url(name, lease):
    return reverse(name, kwargs={"version": "v1", "lease_id": lease.public_id})


def dues(lease) -> dict:
    """{period: (total, paid, status)}"""
    return {
        period: (total, paid, status)
        for period, total, paid, status in RentDue.objects.filter(lease=lease).values_list(
            "period", "total", "paid", "status"
        )
    }


def row(lease) -> dict:
    return Lease.objects.filter(pk=lease.pk).values().get()


def balance(org, code: str) -> int:
    for account in ledger.organization_accounts(organization=org.public_id):
        if account.code == code:
            return ledger.balance(account=account.public_id).posted
    return 0


def receivable(org) -> int:
    account = ledger.organization_account(organization=org.public_id, code="rent_receivable")
    return ledger.balance(account=account.public_id).posted


# --- notice -------------------------------------------------------------------------------------


def test_the_tenant_gives_notice_the_planned_end_is_set_and_the_lease_stays_active(lease, manager):
    noticed = services.lease_give_notice(
        actor=manager, lease=lease, given_on=date(2026, 3, 10), end_date=date(2026, 6, 30)
    )
    stored = row(lease)
    assert (stored["notice_given_on"], stored["notice_by"], stored["end_date"]) == (
        date(2026, 3, 10),
        "tenant",
        date(2026, 6, 30),
    )
    assert stored["status"] == "active" and stored["ended_on"] is None
    assert noticed.end_date == date(2026, 6, 30)
    lease.unit.refresh_from_db()
    assert lease.unit.status == "occupied"


def test_no_due_is_issued_after_the_planned_end(lease, manager):
    services.lease_give_notice(
        actor=manager, lease=lease, given_on=date(2026, 3, 10), end_date=date(2026, 5, 15), by="landlord"
    )
    assert row(lease)["notice_by"] == "landlord"
    for period in (APR, MAY, JUN, JUL):
        services.month_end_run(period=period)
    issued = dues(lease)
    assert sorted(issued) == [JAN, FEB, MAR, APR, MAY]
    assert issued[MAY][0] == 80_000  # the last month is billed in full (no prorata)
    assert services.month_end_run(period=JUN).created == 0


def test_notice_then_move_out_on_the_planned_date(lease, manager):
    services.lease_give_notice(
        actor=manager, lease=lease, given_on=date(2026, 3, 1), end_date=date(2026, 4, 30)
    )
    services.month_end_run(period=APR)
    services.month_end_run(period=MAY)
    ended = services.lease_end(actor=manager, lease=lease, end_date=date(2026, 4, 30))
    assert ended.status == "ended" and ended.ended_on == date(2026, 4, 30)
    assert sorted(dues(lease)) == [JAN, FEB, MAR, APR]
    assert "written_off" not in {status for _t, _p, status in dues(lease).values()}


def test_a_later_notice_replaces_the_planned_end(lease, manager):
    services.lease_give_notice(
        actor=manager, lease=lease, given_on=date(2026, 3, 1), end_date=date(2026, 5, 31)
    )
    services.lease_give_notice(
        actor=manager, lease=lease, given_on=date(2026, 3, 10), end_date=date(2026, 8, 31), by="landlord"
    )
    stored = row(lease)
    assert (stored["notice_given_on"], stored["notice_by"], stored["end_date"]) == (
        date(2026, 3, 10),
        "landlord",
        date(2026, 8, 31),
    )


@pytest.mark.parametrize(
    "given_on, end_date, by, error, field, message",
    [
        (
            date(2026, 3, 10),
            date(2026, 3, 9),
            "tenant",
            DatesOutOfOrder,
            "end_date",
            "La date de fin doit être égale ou postérieure à la date du préavis.",
        ),
        (
            date(2025, 11, 1),
            date(2025, 12, 31),
            "tenant",
            DatesOutOfOrder,
            "end_date",
            "La date de fin doit être égale ou postérieure à la date de début.",
        ),
        (date(2026, 3, 10), date(2026, 6, 30), "agency", InvalidInput, "by", None),
    ],
)
def test_bad_notice_is_refused_and_the_lease_is_unchanged(
    lease, manager, given_on, end_date, by, error, field, message
):
    before = row(lease)
    with pytest.raises(error) as refused:
        services.lease_give_notice(actor=manager, lease=lease, given_on=given_on, end_date=end_date, by=by)
    assert refused.value.field == field
    if message:
        assert str(refused.value.message) == message
    assert row(lease) == before


def test_no_notice_on_an_ended_lease_nor_from_another_agency(lease, manager, other_manager):
    with pytest.raises(NotFound):
        services.lease_give_notice(
            actor=other_manager, lease=lease, given_on=date(2026, 3, 10), end_date=date(2026, 6, 30)
        )
    assert row(lease)["notice_given_on"] is None
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    with pytest.raises(InvalidState) as refused:
        services.lease_give_notice(
            actor=manager, lease=lease, given_on=date(2026, 3, 10), end_date=date(2026, 6, 30)
        )
    assert str(refused.value.message) == "Seul un bail actif peut recevoir un préavis."
    assert row(lease)["end_date"] == date(2026, 3, 31)


def test_a_notice_cannot_push_the_end_over_the_next_lease_of_the_unit(lease, manager, unit):
    services.lease_give_notice(
        actor=manager, lease=lease, given_on=date(2026, 3, 1), end_date=date(2026, 6, 30)
    )
    make_lease(manager, unit, UserFactory(full_name="Prochaine Locataire"), start_date=date(2026, 7, 1))
    with pytest.raises(LeaseOverlap):
        services.lease_give_notice(
            actor=manager, lease=lease, given_on=date(2026, 3, 10), end_date=date(2026, 8, 31)
        )
    assert row(lease)["end_date"] == date(2026, 6, 30)


def test_a_notice_ending_in_the_past_is_refused(lease, manager):
    with pytest.raises((DatesOutOfOrder, InvalidInput, InvalidState)):
        services.lease_give_notice(
            actor=manager, lease=lease, given_on=date(2026, 1, 15), end_date=date(2026, 2, 15)
        )


def test_a_past_planned_end_is_a_french_field_error_and_today_is_accepted(lease, manager):
    before = row(lease)
    with pytest.raises(DatesOutOfOrder) as refused:
        services.lease_give_notice(
            actor=manager, lease=lease, given_on=date(2026, 2, 1), end_date=date(2026, 3, 9)
        )
    assert refused.value.field == "end_date"
    assert str(refused.value.message) == (
        "La date de fin prévue est déjà passée : enregistrez plutôt le départ du locataire."
    )
    assert row(lease) == before
    services.lease_give_notice(
        actor=manager, lease=lease, given_on=date(2026, 3, 1), end_date=date(2026, 3, 10)
    )
    assert row(lease)["end_date"] == date(2026, 3, 10)


def test_rest_notice(lease, manager, other_manager):
    response = api(manager).post(
        url("estate-lease-notice", lease), {"given_on": "2026-03-10", "end_date": "2026-06-30"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["end_date"]) == ("active", "2026-06-30")
    assert row(lease)["notice_by"] == "tenant"
    bad = api(manager).post(
        url("estate-lease-notice", lease),
        {"given_on": "2026-03-10", "end_date": "2026-03-01", "by": "landlord"},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "end_date"
    assert row(lease)["end_date"] == date(2026, 6, 30)
    foreign = api(other_manager).post(
        url("estate-lease-notice", lease), {"given_on": "2026-03-10", "end_date": "2026-12-31"}, format="json"
    )
    assert foreign.status_code == 404 and row(lease)["end_date"] == date(2026, 6, 30)


# --- rent changes -------------------------------------------------------------------------------------


def test_a_rent_change_applies_from_the_first_of_its_month_and_dues_follow(lease, manager):
    terms = services.lease_change_terms(
        actor=manager, lease=lease, effective_from=date(2026, 5, 17), rent=82_000, reason="Révision annuelle"
    )
    assert terms.effective_from == MAY and (terms.rent, terms.charges) == (82_000, 5_000)
    assert (row(lease)["rent"], row(lease)["charges"]) == (82_000, 5_000)
    for period in (APR, MAY, JUN):
        services.month_end_run(period=period)
    totals = {period: total for period, (total, _p, _s) in dues(lease).items()}
    assert totals == {JAN: 80_000, FEB: 80_000, MAR: 80_000, APR: 80_000, MAY: 87_000, JUN: 87_000}
    assert list(
        LeaseTerms.objects.filter(lease=lease).order_by("effective_from").values_list("rent", flat=True)
    ) == [
        75_000,
        82_000,
    ]
    # the rent in force was agreed with the latest terms: what the valuations read
    assert Lease.objects.get(pk=lease.pk).agreed_on == MAY
    leases = estate.valuation_leases(currency="XOF")
    assert [(x.lease, x.agreed_on, x.rent) for x in leases] == [(lease.public_id, MAY, 82_000)]


def test_a_signed_lease_was_agreed_in_its_first_month(lease):
    first = LeaseTerms.objects.get(lease=lease)
    assert Lease.objects.get(pk=lease.pk).agreed_on == first.effective_from


def test_a_rent_change_over_an_issued_month_is_refused(lease, manager):
    services.month_end_run(period=APR)
    with pytest.raises(InvalidInput) as refused:
        services.lease_change_terms(actor=manager, lease=lease, effective_from=APR, rent=90_000)
    assert refused.value.field == "effective_from"
    assert "04/2026" in str(refused.value.message) and "05/2026" in str(refused.value.message)
    assert row(lease)["rent"] == 75_000 and LeaseTerms.objects.filter(lease=lease).count() == 1
    with pytest.raises(NegativeAmount):
        services.lease_change_terms(actor=manager, lease=lease, effective_from=JUN, rent=0)
    assert LeaseTerms.objects.filter(lease=lease).count() == 1


# --- renewal --------------------------------------------------------------------------------------------


def test_renewal_is_a_new_lease_with_the_new_rent_and_the_old_one_ends_the_day_before(lease, manager, tenant):
    new = services.lease_renew(
        actor=manager, lease=lease, start_date=APR, end_date=date(2027, 3, 31), rent=85_000
    )
    old = row(lease)
    assert (old["status"], old["end_date"], old["ended_on"]) == (
        "ended",
        date(2026, 3, 31),
        date(2026, 3, 31),
    )
    new = Lease.objects.get(pk=new.pk)
    assert new.status == "active" and new.renewed_from_id == lease.pk and new.reference != lease.reference
    assert (new.start_date, new.end_date, new.unit_id) == (APR, date(2027, 3, 31), lease.unit_id)
    assert (new.rent, new.charges, new.due_day, new.grace_days) == (85_000, 5_000, 5, 5)
    assert (new.deposit_months, new.deposit_amount) == (2, 170_000)
    assert list(new.lease_tenants.values_list("user_id", "is_primary")) == [(tenant.pk, True)]
    assert dues(new) == {APR: (90_000, 0, "upcoming")}
    assert sorted(dues(lease)) == [JAN, FEB, MAR]
    services.month_end_run(period=MAY)
    assert dues(new)[MAY][0] == 90_000 and MAY not in dues(lease)
    lease.unit.refresh_from_db()
    assert lease.unit.status == "occupied"
    _check_receivable(lease.organization)


def test_renewal_without_a_rent_keeps_the_rent_and_a_later_change_applies_from_its_month(lease, manager):
    new = services.lease_renew(actor=manager, lease=lease, start_date=APR)
    assert (new.rent, new.end_date) == (75_000, None)
    services.lease_change_terms(actor=manager, lease=new, effective_from=JUN, rent=78_000)
    for period in (MAY, JUN):
        services.month_end_run(period=period)
    totals = {period: total for period, (total, _p, _s) in dues(new).items()}
    assert totals == {APR: 80_000, MAY: 80_000, JUN: 83_000}
    with pytest.raises(InvalidState):  # the old lease is over: its terms no longer change
        services.lease_change_terms(actor=manager, lease=lease, effective_from=JUL, rent=99_000)


def test_renewal_carries_the_deposit_and_the_credit(lease, manager):
    services.deposit_record_offline(actor=manager, lease=lease, amount=150_000)
    services.payment_record(actor=manager, lease=lease, amount=250_000, method="bank_transfer")
    new = services.lease_renew(actor=manager, lease=lease, start_date=APR)
    new.refresh_from_db()
    assert (new.deposit_paid, row(lease)["deposit_paid"]) == (150_000, 0)
    assert (new.credit, row(lease)["credit"]) == (0, 0)
    assert dues(new)[APR] == (80_000, 10_000, "partially_paid")  # the 10 000 credit paid April
    _check_receivable(lease.organization)


@pytest.mark.parametrize(
    "start_date, end_date, rent, error, field",
    [
        (JAN, None, None, DatesOutOfOrder, "start_date"),
        (date(2025, 12, 1), None, None, DatesOutOfOrder, "start_date"),
        # the new lease is refused by lease_create: the old one must not be ended either
        (APR, date(2026, 3, 31), None, DatesOutOfOrder, "end_date"),
        (APR, None, -5, NegativeAmount, "rent"),
    ],
)
def test_a_refused_renewal_writes_nothing(lease, manager, start_date, end_date, rent, error, field):
    before = row(lease)
    with pytest.raises(error) as refused:
        services.lease_renew(actor=manager, lease=lease, start_date=start_date, end_date=end_date, rent=rent)
    assert refused.value.field == field
    assert row(lease) == before
    assert Lease.objects.count() == 1


def test_an_ended_lease_cannot_be_renewed(lease, manager, other_manager):
    with pytest.raises(NotFound):
        services.lease_renew(actor=other_manager, lease=lease, start_date=APR)
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    with pytest.raises(InvalidState) as refused:
        services.lease_renew(actor=manager, lease=lease, start_date=APR)
    assert str(refused.value.message) == "Seul un bail actif peut être renouvelé."
    assert Lease.objects.count() == 1
    # a renewed lease is ended: it cannot be renewed a second time
    second = make_lease(manager, lease.unit, UserFactory(), start_date=APR)
    renewed = services.lease_renew(actor=manager, lease=second, start_date=JUN)
    with pytest.raises(InvalidState):
        services.lease_renew(actor=manager, lease=second, start_date=JUL)
    assert Lease.objects.filter(renewed_from=second).get() == renewed


def test_a_renewal_after_the_month_end_run_bills_its_first_month_once(lease, manager):
    services.month_end_run(period=APR)  # the 25th: April is billed to the current lease
    new = services.lease_renew(actor=manager, lease=lease, start_date=APR)  # same rent
    april = RentDue.objects.filter(lease__in=[lease, new], period=APR).exclude(status="written_off")
    assert [(d.lease_id, d.total) for d in april] == [(new.pk, 80_000)]


def test_a_renewal_over_a_paid_month_keeps_the_money_as_credit_on_the_new_lease(lease, manager):
    services.month_end_run(period=APR)
    services.payment_record(actor=manager, lease=lease, amount=330_000, method="bank_transfer")
    assert dues(lease)[APR] == (80_000, 80_000, "paid") and row(lease)["credit"] == 10_000
    old_receipt = RentDue.objects.get(lease=lease, period=APR).quittance
    new = services.lease_renew(actor=manager, lease=lease, start_date=APR, rent=77_000)
    assert dues(lease)[APR] == (80_000, 0, "written_off")  # taken back entirely
    old_receipt.refresh_from_db()
    assert old_receipt.voided_at is not None and old_receipt.void_reason == "lease renewed"
    # the 80 000 paid for April and the 10 000 credit: the new April (82 000) is paid, 8 000 left
    assert dues(new)[APR] == (82_000, 82_000, "paid")
    assert (row(lease)["credit"], Lease.objects.get(pk=new.pk).credit) == (0, 8_000)
    assert RentDue.objects.get(lease=new, period=APR).quittance.voided_at is None
    _check_receivable(lease.organization)


def test_a_renewal_mid_month_does_not_bill_that_month_twice(lease, manager):
    new = services.lease_renew(actor=manager, lease=lease, start_date=date(2026, 3, 15))
    assert dues(lease)[MAR][2] == "written_off" and dues(new)[MAR][0] == 80_000
    open_march = RentDue.objects.filter(period=MAR, lease__in=[lease, new]).exclude(status="written_off")
    assert open_march.count() == 1
    _check_receivable(lease.organization)


# --- ending the lease -------------------------------------------------------------------------------


def test_ending_writes_off_later_unpaid_dues_frees_the_unit_and_publishes_lease_ended(lease, manager):
    services.month_end_run(period=APR)
    services.month_end_run(period=MAY)
    ended = services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 20))
    assert (ended.status, ended.end_date, ended.ended_on) == ("ended", date(2026, 3, 20), date(2026, 3, 20))
    statuses = {period: status for period, (_t, _p, status) in dues(lease).items()}
    assert statuses[APR] == statuses[MAY] == "written_off"
    assert statuses[MAR] != "written_off" and dues(lease)[MAR][0] == 80_000  # the month left is owed in full
    lease.unit.refresh_from_db()
    assert lease.unit.status == "vacant"
    event = OutboxEvent.objects.filter(name="estate.LeaseEnded").get()
    assert event.payload["lease_id"] == str(lease.public_id) and event.payload["end_date"] == "2026-03-20"
    _check_receivable(lease.organization)
    # the ex-tenant still owes what fell due before leaving (recovery reads it)
    owed = list(estate.arrears(today=date(2026, 3, 20), leases=[lease.public_id]))
    assert len(owed) == 1


def test_paid_dues_after_the_end_are_kept(lease, manager):
    services.month_end_run(period=APR)
    services.payment_record(actor=manager, lease=lease, amount=320_000, method="bank_transfer")
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    assert dues(lease)[APR] == (80_000, 80_000, "paid")
    assert list(estate.arrears(today=date(2026, 3, 31), leases=[lease.public_id])) == []


def test_a_partly_paid_month_after_the_end_is_not_owed(lease, manager):
    services.month_end_run(period=APR)
    services.payment_record(actor=manager, lease=lease, amount=270_000, method="bank_transfer")
    assert dues(lease)[APR] == (80_000, 30_000, "partially_paid")
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    assert list(estate.arrears(today=date(2026, 6, 1), leases=[lease.public_id])) == []
    # the unpaid rest is written off through the ledger; what was paid stays paid
    assert dues(lease)[APR] == (80_000, 30_000, "written_off")
    _check_receivable(lease.organization)


def test_ending_twice_or_before_the_start_is_refused(lease, manager, other_manager):
    with pytest.raises(DatesOutOfOrder) as refused:
        services.lease_end(actor=manager, lease=lease, end_date=date(2025, 12, 31))
    assert refused.value.field == "end_date" and row(lease)["status"] == "active"
    with pytest.raises(NotFound):
        services.lease_end(actor=other_manager, lease=lease, end_date=date(2026, 3, 31))
    assert row(lease)["status"] == "active"
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    with pytest.raises(InvalidState) as again:
        services.lease_end(actor=manager, lease=lease, end_date=date(2026, 4, 30))
    assert str(again.value.message) == "Ce bail n'est pas actif."
    assert row(lease)["end_date"] == date(2026, 3, 31)
    assert OutboxEvent.objects.filter(name="estate.LeaseEnded").count() == 1


def test_the_unit_stays_occupied_while_another_lease_of_it_is_active(lease, manager, unit):
    services.lease_give_notice(
        actor=manager, lease=lease, given_on=date(2026, 3, 1), end_date=date(2026, 3, 31)
    )
    make_lease(manager, unit, UserFactory(), start_date=APR)
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    unit.refresh_from_db()
    assert unit.status == "occupied"


def test_rest_end(lease, manager, other_manager):
    assert (
        api(other_manager)
        .post(url("estate-lease-end", lease), {"end_date": "2026-03-31"}, format="json")
        .status_code
        == 404
    )
    response = api(manager).post(url("estate-lease-end", lease), {"end_date": "2026-03-31"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["end_date"]) == ("ended", "2026-03-31")
    again = api(manager).post(url("estate-lease-end", lease), {"end_date": "2026-04-30"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"


# --- the deposit at move-out ------------------------------------------------------------------------------


def test_a_deposit_received_outside_hokwe_is_refunded_outside_in_full(lease, manager):
    services.deposit_record_offline(actor=manager, lease=lease, amount=150_000, reference="VIR-CAUTION")
    assert balance(lease.organization, "estate.deposits_held") == 150_000
    services.payment_record(actor=manager, lease=lease, amount=240_000, method="bank_transfer")
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    settlement = services.deposit_settle(actor=manager, lease=lease, deductions=[])
    assert (settlement.held, settlement.deducted, settlement.refund) == (150_000, 0, 150_000)
    assert settlement.refund_reference == "offline" and settlement.deductions == []
    assert row(lease)["deposit_paid"] == 0
    assert balance(lease.organization, "estate.deposits_held") == 0


def test_unpaid_rent_is_taken_from_the_deposit_and_damage_goes_to_the_owner(lease, manager):
    services.deposit_record_offline(actor=manager, lease=lease, amount=150_000)
    services.payment_record(actor=manager, lease=lease, amount=160_000, method="bank_transfer")  # Jan, Feb
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    settlement = services.deposit_settle(
        actor=manager,
        lease=lease,
        deductions=[
            {"label": "Loyer de mars", "amount": 80_000, "kind": "rent"},
            {"label": "Serrure changée", "amount": 12_000, "kind": "damage"},
            {"label": "Facture d'eau", "amount": 3_000},
        ],
    )
    assert (settlement.deducted, settlement.refund) == (95_000, 55_000)
    assert [d["kind"] for d in settlement.deductions] == ["rent", "damage", "other"]
    assert dues(lease)[MAR] == (80_000, 80_000, "paid")
    assert RentPayment.objects.filter(lease=lease, method="deposit").get().amount == 80_000
    owner = ledger.organization_account(
        organization=lease.unit.property.owner.public_id, code="owners_payable"
    )
    assert ledger.balance(account=owner.public_id).posted == 15_000
    assert balance(lease.organization, "estate.deposits_held") == 0
    _check_receivable(lease.organization)


@pytest.mark.parametrize(
    "deductions, field",
    [
        ([{"label": "Tout", "amount": 150_001, "kind": "damage"}], "deductions"),
        ([{"label": "", "amount": 1_000, "kind": "damage"}], "deductions.0.label"),
        ([{"label": "Vitre", "amount": 1_000}, {"label": "Vitre", "amount": 0}], "deductions.1.amount"),
        ([{"label": "Vitre", "amount": -1_000}], "deductions.0.amount"),
        ([{"label": "Vitre", "amount": "1000"}], "deductions.0.amount"),
        ([{"label": "Vitre", "amount": 1_000, "kind": "penalty"}], "deductions.0.kind"),
    ],
)
def test_bad_deductions_are_refused_and_nothing_moves(lease, manager, deductions, field):
    services.deposit_record_offline(actor=manager, lease=lease, amount=150_000)
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    with pytest.raises((InvalidInput, NegativeAmount)) as refused:
        services.deposit_settle(actor=manager, lease=lease, deductions=deductions)
    assert refused.value.field == field
    assert not DepositSettlement.objects.exists()
    assert row(lease)["deposit_paid"] == 150_000
    assert balance(lease.organization, "estate.deposits_held") == 150_000


def test_the_deposit_is_settled_once_and_only_after_the_end(lease, manager, other_manager):
    services.deposit_record_offline(actor=manager, lease=lease, amount=150_000)
    with pytest.raises(InvalidState) as early:
        services.deposit_settle(actor=manager, lease=lease, deductions=[])
    assert not DepositSettlement.objects.exists() and row(lease)["deposit_paid"] == 150_000
    assert early.value.code == "invalid_state"
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    with pytest.raises(NotFound):
        services.deposit_settle(actor=other_manager, lease=lease, deductions=[])
    services.deposit_settle(actor=manager, lease=lease, deductions=[{"label": "Vitre", "amount": 10_000}])
    with pytest.raises(InvalidState):
        services.deposit_settle(actor=manager, lease=lease, deductions=[])
    assert DepositSettlement.objects.get().refund == 140_000


def test_after_a_renewal_the_deposit_is_settled_on_the_new_lease(lease, manager):
    services.deposit_record_offline(actor=manager, lease=lease, amount=150_000)
    new = services.lease_renew(actor=manager, lease=lease, start_date=APR)
    services.lease_end(actor=manager, lease=new, end_date=date(2026, 4, 30))
    settlement = services.deposit_settle(actor=manager, lease=new, deductions=[])
    assert (settlement.held, settlement.refund) == (150_000, 150_000)
    assert balance(lease.organization, "estate.deposits_held") == 0


def test_rest_deposit_settlement(lease, manager, other_manager):
    services.deposit_record_offline(actor=manager, lease=lease, amount=150_000)
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    body = {"deductions": [{"label": "Peinture", "amount": 20_000, "kind": "damage"}]}
    assert api(other_manager).post(url("estate-lease-deposit", lease), body, format="json").status_code == 404
    response = api(manager).post(url("estate-lease-deposit", lease), body, format="json")
    assert response.status_code == 201
    out = response.json()
    assert (out["held"], out["deducted"], out["refund"], out["refund_reference"]) == (
        150_000,
        20_000,
        130_000,
        "offline",
    )
    again = api(manager).post(url("estate-lease-deposit", lease), body, format="json")
    assert again.status_code == 409 and DepositSettlement.objects.count() == 1


def _check_receivable(org):
    """rent_receivable = what open dues still ask − tenant credit (docs/estate.md)."""
    open_left = sum(
        total - paid
        for total, paid in RentDue.objects.filter(organization=org)
        .exclude(status="written_off")
        .values_list("total", "paid")
    )
    credit = sum(Lease.objects.filter(organization=org).values_list("credit", flat=True))
    assert receivable(org) == open_left - credit
