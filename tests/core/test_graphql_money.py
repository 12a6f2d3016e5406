"""GraphQL amounts (issue 17, item 2): the `Amount` scalar carries 64-bit integers. An
amount over 2^31 - 1 (GraphQL's `Int`) goes in through a real mutation and comes back in a
query's Money; a float, a string, a boolean, a negative or a value above 10^12 is refused
with `extensions.code: invalid_amount`; no amount-like argument or input field is `Int`."""

import re
from decimal import Decimal

import pytest
from graphql import (
    GraphQLInputObjectType,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    get_named_type,
)

from apps.core.graphql.types import Amount
from apps.estate.models import Lease
from hokwe.schema import schema
from tests.estate.factories import UnitFactory
from tests.fixtures.estate import managed_property
from tests.helpers import bearer_client, gql
from tests.identity.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

BIG = 3_000_000_000  # over 2^31 - 1

CREATE_LEASE = """mutation($unit: UUID!, $rent: Amount!, $charges: Amount) {
  estateCreateLease(unitId: $unit, tenants: [{phone: "+2290161008888", fullName: "Brice Zinsou"}],
    startDate: "2026-06-01", rent: $rent, charges: $charges) {
    ok errors { field code message } lease { id } } }"""

READ_LEASE = """query($id: UUID!) { estateLease(leaseId: $id) {
  rent { amount currency formatted } charges { amount currency } } }"""


@pytest.fixture
def manager(db):
    agency = OrganizationFactory(name="Agence Les Cocotiers Test", kind="agency")
    return MembershipFactory(organization=agency, role="manager").user


@pytest.fixture
def unit(manager):
    prop = managed_property(manager.memberships.get().organization)
    return UnitFactory(property=prop, label="B2", market_rent=75_000)


def test_amount_over_2_pow_31_round_trips_through_a_lease(manager, unit):
    client = bearer_client(manager)
    done = gql(client, CREATE_LEASE, {"unit": str(unit.public_id), "rent": BIG, "charges": BIG + 1})
    assert done["estateCreateLease"]["errors"] == [] and done["estateCreateLease"]["ok"]
    lease_id = done["estateCreateLease"]["lease"]["id"]
    assert Lease.objects.get(public_id=lease_id).rent == BIG

    read = gql(client, READ_LEASE, {"id": lease_id})["estateLease"]
    assert read["rent"]["amount"] == BIG and isinstance(read["rent"]["amount"], int)
    assert read["charges"] == {"amount": BIG + 1, "currency": read["rent"]["currency"]}


def test_literal_amount_over_2_pow_31_in_the_document(manager, unit):
    query = (
        f'mutation {{ estateUpdateUnit(unitId: "{unit.public_id}", marketRent: {10**12}) '
        "{ ok errors { code } unit { marketRent { amount } } } }"
    )
    done = gql(bearer_client(manager), query)["estateUpdateUnit"]
    assert done["errors"] == [] and done["unit"]["marketRent"]["amount"] == 10**12
    unit.refresh_from_db()
    assert unit.market_rent == 10**12


def refused(client, query, variables=None, **extra) -> dict:
    """A refused input is a top-level error: HTTP 400 and no data."""
    extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    response = client.post("/graphql", {"query": query, "variables": variables or {}}, format="json", **extra)
    assert response.status_code == 400, response.content
    return response.json()


@pytest.mark.parametrize("bad", [1000.0, 1000.5, "1000", "abc", True, -1, 10**12 + 1, 2**63])
def test_variable_that_is_not_an_amount_is_refused(manager, unit, bad):
    body = refused(bearer_client(manager), CREATE_LEASE, {"unit": str(unit.public_id), "rent": bad})
    assert body.get("data") is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "invalid_amount", error
    expected = {
        -1: "greater than or equal to 0",
        10**12 + 1: "less than or equal to 1000000000000",
        2**63: "less than",
    }
    assert expected.get(bad if type(bad) is int else None, "minor unit") in error["message"]
    assert not Lease.objects.exists()


@pytest.mark.parametrize("literal", ["1000.0", '"1000"', "true", "-5", str(10**12 + 1)])
def test_literal_that_is_not_an_amount_is_refused(manager, unit, literal):
    query = f'mutation {{ estateUpdateUnit(unitId: "{unit.public_id}", marketRent: {literal}) {{ ok }} }}'
    body = refused(bearer_client(manager), query)
    assert body.get("data") is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["invalid_amount"], body
    unit.refresh_from_db()
    assert unit.market_rent == 75_000


def test_refusal_is_translated(manager, unit):
    body = refused(
        bearer_client(manager),
        CREATE_LEASE,
        {"unit": str(unit.public_id), "rent": 1000.0},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert body["errors"][0]["message"].startswith("Un montant est un nombre entier")
    assert body["errors"][0]["extensions"]["code"] == "invalid_amount"


AMOUNT_NAME = re.compile(
    r"amount|rent|charges|cost|deposit|fee|price|balance|total|declared|paid|pending|inflow|outflow", re.I
)
NOT_AMOUNTS = {"depositMonths", "withdrawalFeeBps"}  # a count of months, a rate in basis points: not money


def _is_int(type_) -> bool:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return type_ is GraphQLInt


def test_no_amount_argument_input_or_output_field_is_int():
    graphql_schema = schema.graphql_schema
    still_int = []
    for type_name, type_ in graphql_schema.type_map.items():
        if type_name.startswith("__"):
            continue
        if isinstance(type_, GraphQLInputObjectType):
            still_int += [
                f"{type_name}.{name}"
                for name, field in type_.fields.items()
                if AMOUNT_NAME.search(name) and name not in NOT_AMOUNTS and _is_int(field.type)
            ]
        for field_name, field in (getattr(type_, "fields", None) or {}).items():
            if (
                isinstance(type_, GraphQLObjectType)
                and AMOUNT_NAME.search(field_name)
                and field_name not in NOT_AMOUNTS
                and _is_int(field.type)
            ):
                still_int.append(f"{type_name}.{field_name}")
            still_int += [
                f"{type_name}.{field_name}({name})"
                for name, arg in (getattr(field, "args", None) or {}).items()
                if AMOUNT_NAME.search(name) and name not in NOT_AMOUNTS and _is_int(arg.type)
            ]
    assert still_int == []
    assert get_named_type(graphql_schema.get_type("MoneyType").fields["amount"].type).name == "Amount"


def test_output_serializes_big_and_negative_integers_exactly():
    assert Amount.serialize(BIG) == BIG
    assert Amount.serialize(-BIG) == -BIG  # a balance may be negative on output
    assert Amount.serialize(Decimal("3000000000")) == BIG  # a database SUM
    for wrong in (Decimal("1.5"), 2.5, "12", True):
        with pytest.raises(TypeError):
            Amount.serialize(wrong)
