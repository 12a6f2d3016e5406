"""Recovery's test world (fixtures only): an agency with a manager and a collector, a tenant
whose lease has two overdue months on 10 March 2026, the default ladder, and the case
opened by cases_sync and assigned to the collector. Another agency's owner for isolation."""

from datetime import date

import pytest

from apps.recovery import services
from apps.recovery.models import Case
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

TODAY = date(2026, 3, 10)


@pytest.fixture
def clock(time_machine):
    """10 March 2026, noon in Cotonou: the January and February rents are overdue."""
    time_machine.move_to("2026-03-10T11:00:00+00:00", tick=False)
    return TODAY


@pytest.fixture
def agency(db):
    return OrganizationFactory(name="Agence Recouvrement Test", kind="agency")


@pytest.fixture
def manager(agency):
    return MembershipFactory(organization=agency, role="manager").user


@pytest.fixture
def collector(agency):
    return MembershipFactory(organization=agency, role="collector", user__full_name="Koffi Recouvreur").user


@pytest.fixture
def other_agency(db):
    return OrganizationFactory(name="Agence Concurrente", kind="agency")


@pytest.fixture
def other_manager(other_agency):
    return MembershipFactory(organization=other_agency, role="owner").user


@pytest.fixture
def prop(agency, estate_property):
    return estate_property(agency, name="Résidence Fidjrossè", latitude="6.350000", longitude="2.380000")


@pytest.fixture
def tenant(db):
    return UserFactory(full_name="Brice Zinsou")


@pytest.fixture
def lease(clock, manager, prop, tenant, estate_lease):
    """Unit B2: rent 75 000 + 5 000 charges from 1 January 2026, due on the 5th with 5 days'
    grace (estate's fixture)."""
    return estate_lease(manager, prop, tenant, unit_label="B2")


@pytest.fixture
def pay(manager, estate_pay, django_capture_on_commit_callbacks):
    """pay(lease, amount): the manager records a bank transfer on 10 March; estate applies it
    and recovery follows through the outbox (run on commit)."""

    def pay(lease, amount):
        with django_capture_on_commit_callbacks(execute=True):
            return estate_pay(manager, lease, amount, received_on=TODAY)

    return pay


@pytest.fixture
def ladder(agency):
    return services.ladder_default(organization_id=agency.pk)


def open_case(lease, *, today=TODAY, collector=None) -> Case:
    services.cases_sync(today=today)
    case = Case.objects.get(lease=lease.public_id)
    if collector is not None:
        Case.objects.filter(pk=case.pk).update(collector=collector)
        case.refresh_from_db()
    return case


@pytest.fixture
def case(lease, ladder, collector):
    """The tenant's open case, assigned to the collector."""
    return open_case(lease, collector=collector)


@pytest.fixture
def unassigned_case(clock, manager, prop, ladder, estate_lease):
    """A second debtor's case, assigned to nobody (the collector must not see it)."""
    other_tenant = UserFactory(full_name="Awa Dossou")
    other_lease = estate_lease(manager, prop, other_tenant, unit_label="C3")
    return open_case(other_lease)
