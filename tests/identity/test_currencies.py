"""An organization's currencies: its country's by default, read-only on REST and GraphQL,
read by other modules through identity.api, filled for existing rows by the migration."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from apps.identity import api as identity
from apps.identity.models import Organization
from tests.helpers import bearer_client, gql
from tests.identity.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("country", "expected"), [("BJ", ["XOF"]), ("CI", ["XOF"]), ("CM", ["XAF"]), ("US", [])]
)
def test_a_new_organization_takes_its_countrys_currency(country, expected):
    org = OrganizationFactory(country=country)
    org.refresh_from_db()
    assert org.currencies == expected
    assert identity.get_organization(id=org.pk).currencies == tuple(expected)


def test_staff_may_add_a_currency_the_own_stays_first():
    org = OrganizationFactory(country="BJ")
    org.currencies = ["XOF", "eur", "EUR"]
    org.full_clean()
    org.save()
    org.refresh_from_db()
    assert org.currencies == ["XOF", "EUR"]
    assert identity.get_organization(public_id=org.public_id).currencies == ("XOF", "EUR")
    org.currencies = ["XOF", "BTC"]
    with pytest.raises(ValidationError) as refused:
        org.full_clean()
    assert "currencies" in refused.value.message_dict


def test_the_field_is_read_only_on_rest_and_graphql(user):
    client = bearer_client(user)
    created = client.post(
        "/api/v1/identity/organizations",
        {"name": "Agence Cocody", "kind": "agency", "country": "CI"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["currencies"] == ["XOF"]
    refused = client.post(
        "/api/v1/identity/organizations",
        {"name": "Agence Paris", "kind": "agency", "currencies": ["EUR"]},
        format="json",
    )
    assert refused.status_code == 400
    data = gql(client, "{ identityMyOrganizations { name currencies } }")
    assert data["identityMyOrganizations"] == [{"name": "Agence Cocody", "currencies": ["XOF"]}]


def test_the_migration_fills_existing_organizations_from_their_country():
    migration = importlib.import_module("apps.identity.migrations.0004_organization_currencies")
    benin = OrganizationFactory(country="BJ")
    cameroon = OrganizationFactory(country="CM")
    kept = OrganizationFactory(country="BJ", currencies=["XOF", "EUR"])
    elsewhere = OrganizationFactory(country="FR")
    Organization.objects.filter(pk__in=[benin.pk, cameroon.pk, elsewhere.pk]).update(currencies=[])
    migration.fill_from_country(django_apps, None)
    assert {o.pk: o.currencies for o in Organization.objects.all()} == {
        benin.pk: ["XOF"],
        cameroon.pk: ["XAF"],
        kept.pk: ["XOF", "EUR"],
        elsewhere.pk: [],
    }
