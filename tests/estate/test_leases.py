"""Leases: the no-overlap rule (database and service), dates, amounts, legal caps per
country, versioned terms that never rewrite past dues, receipts that never change."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.estate import services
from apps.estate.errors import (
    CommissionOverCap,
    DatesOutOfOrder,
    DepositOverCap,
    InvalidInput,
    LeaseOverlap,
    NegativeAmount,
)
from apps.estate.models import Lease, LeaseTerms, RentDue

from .conftest import make_lease
from .factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_overlapping_lease_is_refused_with_a_translated_error(lease, manager, unit, tenant):
    with pytest.raises(LeaseOverlap) as refused:
        make_lease(manager, unit, tenant, start_date=date(2026, 6, 1))
    assert refused.value.field == "start_date"
    assert str(refused.value.message) == "Ce logement a déjà un bail actif sur ces dates."


def test_the_database_refuses_overlapping_active_leases(lease, unit):
    """The exclusion constraint holds even when the service check is bypassed."""
    twin = Lease(
        organization=lease.organization, unit=unit, reference="RAW-1", start_date=date(2026, 2, 1), rent=10
    )
    with pytest.raises(IntegrityError, match="estate_lease_no_overlap"), transaction.atomic():
        twin.save()
    # an ended lease, or one after the first ends, is fine
    Lease.objects.filter(pk=lease.pk).update(end_date=date(2026, 5, 31))
    Lease.objects.create(
        organization=lease.organization, unit=unit, reference="RAW-2", start_date=date(2026, 6, 1), rent=10
    )


def test_service_maps_a_racing_overlap_to_the_same_error(lease, manager, unit, tenant, monkeypatch):
    from apps.estate.services import leases

    monkeypatch.setattr(leases, "_overlapping", lambda *a, **k: Lease.objects.none())
    with pytest.raises(LeaseOverlap):
        make_lease(manager, unit, tenant, start_date=date(2026, 5, 1))


@pytest.mark.parametrize(
    "overrides, error, field",
    [
        ({"end_date": date(2025, 12, 31)}, DatesOutOfOrder, "end_date"),
        ({"rent": -5}, NegativeAmount, "rent"),
        ({"rent": 0}, NegativeAmount, "rent"),
        ({"charges": -1}, NegativeAmount, "charges"),
        ({"deposit_months": 4}, DepositOverCap, "deposit_months"),
        ({"agency_fee": 40_000}, CommissionOverCap, "agency_fee"),
        ({"due_day": 31}, InvalidInput, "due_day"),
        ({"tenants": []}, InvalidInput, "tenants"),
    ],
)
def test_bad_lease_input(clock, manager, unit, tenant, overrides, error, field):
    with pytest.raises(error) as refused:
        make_lease(manager, unit, tenant, **overrides)
    assert refused.value.field == field
    assert not Lease.objects.exists() and not RentDue.objects.exists()


def test_caps_are_configurable_per_country(clock, manager, unit, tenant, settings):
    settings.ESTATE_LEGAL_CAPS = {
        **settings.ESTATE_LEGAL_CAPS,
        "BJ": {"deposit_months": 2, "agency_fee_bps": 5000},
    }
    with pytest.raises(DepositOverCap) as refused:
        make_lease(manager, unit, tenant, deposit_months=3)
    assert "2 mois de loyer" in str(refused.value.message)
    make_lease(manager, unit, tenant, deposit_months=2, agency_fee=37_500)  # 50 % of 75 000


def test_rent_change_applies_from_a_month_and_never_rewrites_issued_dues(lease, manager):
    with pytest.raises(InvalidInput) as refused:
        services.lease_change_terms(actor=manager, lease=lease, effective_from=date(2026, 3, 1), rent=90_000)
    assert refused.value.field == "effective_from"
    services.lease_change_terms(
        actor=manager, lease=lease, effective_from=date(2026, 5, 1), rent=90_000, charges=5_000
    )
    services.month_end_run(period=date(2026, 4, 1))
    services.month_end_run(period=date(2026, 5, 1))
    totals = dict(RentDue.objects.filter(lease=lease).values_list("period", "total"))
    assert totals[date(2026, 3, 1)] == 80_000 and totals[date(2026, 4, 1)] == 80_000
    assert totals[date(2026, 5, 1)] == 95_000
    assert LeaseTerms.objects.filter(lease=lease).count() == 2


def test_editing_a_lease_never_changes_a_paid_receipt(lease, manager, tenant, client):
    services.payment_record(actor=manager, lease=lease, amount=80_000, method="cash")
    due = RentDue.objects.get(lease=lease, period=date(2026, 1, 1))
    before = dict(due.quittance.snapshot)
    tenant.full_name = "Autre Nom"
    tenant.save()
    services.lease_change_terms(actor=manager, lease=lease, effective_from=date(2026, 4, 1), rent=99_000)
    services.lease_update(actor=manager, lease=lease, due_day=10)
    due.quittance.refresh_from_db()
    assert due.quittance.snapshot == before
    page = client.get(reverse("estate:receipt-verify", args=[due.quittance.code])).content.decode()
    assert "Brice Z." in page and "80\u202f000\u00a0FCFA" in page and "Autre" not in page


def test_end_writes_off_later_unpaid_dues_and_frees_the_unit(lease, manager):
    services.month_end_run(period=date(2026, 4, 1))
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 20))
    statuses = dict(RentDue.objects.filter(lease=lease).values_list("period", "status"))
    assert statuses[date(2026, 4, 1)] == "written_off"
    assert statuses[date(2026, 3, 1)] != "written_off"
    lease.unit.refresh_from_db()
    assert lease.unit.status == "vacant"


def test_renewal_carries_credit_and_deposit(lease, manager):
    services.deposit_record_offline(actor=manager, lease=lease, amount=150_000)
    services.payment_record(
        actor=manager, lease=lease, amount=250_000, method="bank_transfer"
    )  # 10 000 credit
    lease.refresh_from_db()
    assert lease.credit == 10_000
    new = services.lease_renew(actor=manager, lease=lease, start_date=date(2026, 4, 1), rent=85_000)
    new.refresh_from_db()
    lease.refresh_from_db()
    assert lease.status == "ended" and lease.end_date == date(2026, 3, 31)
    assert new.deposit_paid == 150_000 and lease.deposit_paid == 0
    assert new.renewed_from_id == lease.pk
    april = RentDue.objects.get(lease=new, period=date(2026, 4, 1))
    assert april.paid == 10_000 and new.credit == 0


def test_move_out_settles_the_deposit_with_listed_deductions(lease, manager):
    from apps.ledger import api as ledger

    services.deposit_record_offline(actor=manager, lease=lease, amount=150_000)
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    settlement = services.deposit_settle(
        actor=manager,
        lease=lease,
        deductions=[
            {"label": "Loyer de mars impayé", "amount": 80_000, "kind": "rent"},
            {"label": "Vitre cassée", "amount": 20_000, "kind": "damage"},
        ],
    )
    assert (settlement.held, settlement.deducted, settlement.refund) == (150_000, 100_000, 50_000)
    assert RentDue.objects.get(lease=lease, period=date(2026, 1, 1)).status == "paid"
    owner_balance = ledger.organization_account(
        organization=lease.unit.property.owner.public_id, code="owners_payable"
    )
    assert ledger.balance(account=owner_balance.public_id).posted == 20_000


def test_another_agency_cannot_touch_a_lease(lease, other_manager, unit):
    from apps.core.errors import NotFound

    with pytest.raises(NotFound):
        services.lease_end(actor=other_manager, lease=lease, end_date=date(2026, 3, 31))
    with pytest.raises(NotFound):
        services.payment_record(actor=other_manager, lease=lease, amount=1000, method="cash")


def test_lease_wizard_and_units_reject_a_unit_of_another_agency(client, other_manager, clock):
    foreign = UnitFactory()
    client.force_login(other_manager)
    assert client.get(reverse("manager:estate-lease-new") + f"?unit={foreign.public_id}").status_code == 404


def test_a_mandate_needs_the_owner_to_have_invited_the_agency(clock, manager, agency):
    from apps.core.errors import NotFound
    from tests.identity.factories import MembershipFactory

    from .factories import OwnerOrgFactory

    owner = OwnerOrgFactory()
    with pytest.raises(NotFound):
        services.mandate_create(
            actor=manager,
            agency_id=agency.pk,
            owner_id=owner.pk,
            commission_bps=1000,
            start_date=date(2026, 1, 1),
        )
    MembershipFactory(organization=owner, user=manager, role="viewer")
    manager = type(manager).objects.get(pk=manager.pk)  # roles are cached per user object
    with pytest.raises(CommissionOverCap):
        services.mandate_create(
            actor=manager,
            agency_id=agency.pk,
            owner_id=owner.pk,
            commission_bps=6000,
            start_date=date(2026, 1, 1),
        )
    mandate = services.mandate_create(
        actor=manager,
        agency_id=agency.pk,
        owner_id=owner.pk,
        commission_bps=1000,
        start_date=date(2026, 1, 1),
    )
    assert mandate.commission_bps == 1000
