"""An owner organization's rents under management, as estate's api reads them for landlord
advances (estate.owner_rent_backing): history billed / collected / net of commission, the
months ahead from the active leases, another owner's rents never counted."""

from __future__ import annotations

from datetime import date

import pytest

from apps.estate import api as estate
from tests.fixtures.estate import first_of_month, lease_for, managed_property, pay_rent
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _agency():
    agency = OrganizationFactory(name="Agence Avances", kind="agency")
    manager = MembershipFactory(organization=agency, role="owner").user
    return agency, manager


def test_history_collected_and_net_of_commission(django_capture_on_commit_callbacks):
    today = date.today()
    agency, manager = _agency()
    prop = managed_property(agency, name="Résidence Avance", since=date(2020, 1, 1))  # 10 % commission
    owner = prop.owner
    lease = lease_for(
        manager,
        prop,
        UserFactory(),
        unit_label="A1",
        start_date=first_of_month(today, 14),
        rent=100_000,
        charges=0,
        deposit_months=0,
        due_day=1,
        grace_days=0,
    )
    # ten months paid: the oldest first (14 months ago to 5 months ago)
    with django_capture_on_commit_callbacks(execute=True):
        pay_rent(manager, lease, 1_000_000)
    other = managed_property(agency, name="Résidence Autre", since=date(2020, 1, 1))
    lease_for(
        manager, other, UserFactory(), unit_label="Z9", start_date=first_of_month(today, 3), rent=500_000
    )

    backing = estate.owner_rent_backing([owner.public_id], currency="XOF", today=today)[owner.public_id]

    assert len(backing.history) == 12
    assert [m.period for m in backing.history] == [first_of_month(today, 12 - i) for i in range(12)]
    assert all(m.billed == 100_000 for m in backing.history)
    # months -12 .. -5 paid, -4 .. -1 not
    assert [m.collected for m in backing.history] == [100_000] * 8 + [0] * 4
    assert [m.net for m in backing.history] == [90_000] * 8 + [0] * 4
    assert backing.billed == 1_200_000 and backing.collected == 800_000 and backing.net == 720_000
    assert backing.months_collected == 8
    assert backing.collection_rate_bps == 6_666
    assert backing.first_period == first_of_month(today, 14)
    assert backing.active_leases == 1
    assert [(m.billed, m.net) for m in backing.expected] == [(100_000, 90_000)] * 3


def test_an_owner_with_nothing_under_management_gets_zeros():
    owner = OrganizationFactory(kind="owner")
    backing = estate.owner_rent_backing([owner.public_id], currency="XOF", today=date(2026, 6, 15))[
        owner.public_id
    ]
    assert backing.billed == backing.collected == backing.net == 0
    assert backing.first_period is None and backing.active_leases == 0
    assert [m.net for m in backing.expected] == [0, 0, 0]
    assert backing.collection_rate_bps == 0


def test_many_owners_in_three_queries(django_assert_num_queries):
    owners = [OrganizationFactory(kind="owner").public_id for _ in range(5)]
    with django_assert_num_queries(3):
        result = estate.owner_rent_backing(owners, currency="XOF", today=date(2026, 6, 15))
    assert set(result) == set(owners)
