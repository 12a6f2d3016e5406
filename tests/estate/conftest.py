from datetime import date

import pytest

from apps.estate import services
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

from .factories import MandateFactory, PropertyFactory, UnitFactory

TODAY = date(2026, 3, 10)


@pytest.fixture
def today():
    return TODAY


@pytest.fixture
def clock(time_machine):
    """The calendar of these tests: 10 March 2026, noon in Cotonou."""
    time_machine.move_to("2026-03-10T11:00:00+00:00", tick=False)
    return TODAY


@pytest.fixture
def agency(db):
    return OrganizationFactory(name="Agence Les Cocotiers Test", kind="agency")


@pytest.fixture
def manager(agency):
    return MembershipFactory(organization=agency, role="manager").user


@pytest.fixture
def other_agency(db):
    return OrganizationFactory(name="Agence Concurrente", kind="agency")


@pytest.fixture
def other_manager(other_agency):
    return MembershipFactory(organization=other_agency, role="owner").user


@pytest.fixture
def mandate(agency):
    return MandateFactory(agency=agency, commission_bps=1000, start_date=date(2025, 1, 1))


@pytest.fixture
def prop(mandate):
    return PropertyFactory(mandate=mandate, name="Résidence Fidjrossè")


@pytest.fixture
def unit(prop):
    return UnitFactory(property=prop, label="B2", market_rent=75_000)


@pytest.fixture
def tenant(db):
    return UserFactory(full_name="Brice Zinsou")


def make_lease(actor, unit, tenant, **overrides):
    values = dict(
        tenants=[services.TenantInput(phone=str(tenant.phone), full_name=tenant.full_name)],
        start_date=date(2026, 1, 1),
        rent=75_000,
        charges=5_000,
        deposit_months=2,
        due_day=5,
        grace_days=5,
    )
    values.update(overrides)
    return services.lease_create(actor=actor, unit=unit, **values)


@pytest.fixture
def lease(clock, manager, unit, tenant):
    return make_lease(manager, unit, tenant)
