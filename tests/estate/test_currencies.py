"""Units and leases are in one of the organization's currencies (identity's
Organization.currencies): another is refused with `currency_not_supported`."""

import pytest

from apps.estate import services
from apps.estate.errors import CurrencyNotSupported
from apps.estate.models import Lease, Unit

from .conftest import make_lease

pytestmark = pytest.mark.django_db


def test_a_unit_takes_the_organizations_own_currency(manager, prop):
    unit = services.unit_create(
        actor=manager, property=prop, label="A1", kind="apartment", market_rent=50_000
    )
    assert unit.currency == "XOF"
    assert (
        services.unit_create(
            actor=manager, property=prop, label="A2", kind="apartment", currency="xof"
        ).currency
        == "XOF"
    )


def test_a_unit_in_euros_is_refused_for_a_benin_agency(manager, prop):
    with pytest.raises(CurrencyNotSupported) as refused:
        services.unit_create(actor=manager, property=prop, label="A1", kind="apartment", currency="EUR")
    assert refused.value.code == "currency_not_supported" and refused.value.field == "currency"
    assert not Unit.objects.filter(property=prop, label="A1").exists()


def test_a_currency_the_organization_is_enabled_for_is_accepted(manager, prop, agency):
    agency.currencies = ["XOF", "EUR"]
    agency.save()
    unit = services.unit_create(actor=manager, property=prop, label="A1", kind="apartment", currency="EUR")
    assert unit.currency == "EUR"


def test_a_lease_on_a_unit_in_a_currency_the_organization_lacks_is_refused(
    clock, manager, unit, tenant, agency
):
    Unit.objects.filter(pk=unit.pk).update(currency="EUR")  # e.g. a unit written before the rule
    unit.refresh_from_db()
    with pytest.raises(CurrencyNotSupported):
        make_lease(manager, unit, tenant)
    assert not Lease.objects.filter(unit=unit).exists()
    Unit.objects.filter(pk=unit.pk).update(currency="XOF")
    unit.refresh_from_db()
    assert make_lease(manager, unit, tenant).currency == "XOF"
