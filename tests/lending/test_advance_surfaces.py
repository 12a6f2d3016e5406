"""Landlord advances on REST and GraphQL: the owner reads the organization's rents and limit,
simulates, applies (idempotent), reads the advance; the agency managing the properties and
other callers never see the organization's advances or rents."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.helpers import bearer_client, gql, gql_response

from .test_advance import landlord_world

pytestmark = pytest.mark.django_db


def _url(name, **kwargs):
    return reverse(name, kwargs={"version": "v1", **kwargs})


def test_rest_eligibility_simulation_apply_and_read():
    world = landlord_world()
    client = bearer_client(world.landlord)
    org, product = world.owner.public_id, world.product.public_id

    orgs = client.get(_url("lending-advance-organizations")).json()
    assert [o["id"] for o in orgs] == [str(org)]
    products = client.get(_url("lending-advance-products")).json()
    assert str(product) in [p["id"] for p in products]

    found = client.get(_url("lending-advance-eligibility", organization=org, product_id=product))
    assert found.status_code == 200, found.content
    body = found.json()
    assert body["eligible"] is True and body["maximum"]["amount"] == 270_000
    assert len(body["history"]) == 12 and body["history"][-1]["net"]["amount"] == 90_000

    sim = client.get(
        _url("lending-advance-simulation", organization=org, product_id=product),
        {"amount": 200_000, "term": 2},
    )
    assert sim.status_code == 200, sim.content
    assert sim.json()["amount"]["amount"] == 200_000 and sim.json()["eligibility"]["eligible"] is True

    payload = {"organization": str(org), "product": str(product), "amount": 200_000, "term": 2}
    created = client.post(_url("lending-advances"), payload, format="json", HTTP_IDEMPOTENCY_KEY="adv-1")
    assert created.status_code == 201, created.content
    advance = created.json()
    assert advance["status"] == "approved" and advance["organization"] == str(org)
    again = client.post(_url("lending-advances"), payload, format="json", HTTP_IDEMPOTENCY_KEY="adv-1")
    assert again.json()["id"] == advance["id"]

    listed = client.get(_url("lending-advances")).json()
    assert [a["id"] for a in listed] == [advance["id"]]
    detail = client.get(_url("lending-advance", loan_id=advance["id"]))
    assert detail.status_code == 200 and detail.json()["number"] == advance["number"]

    # the agency's manager (not an owner of the organization) sees none of it
    agency = bearer_client(world.manager)
    assert agency.get(_url("lending-advance", loan_id=advance["id"])).status_code == 404
    assert agency.get(_url("lending-advances")).json() == []
    assert (
        agency.get(_url("lending-advance-eligibility", organization=org, product_id=product)).status_code
        == 404
    )
    refused = agency.post(_url("lending-advances"), payload, format="json", HTTP_IDEMPOTENCY_KEY="adv-2")
    assert refused.status_code == 404


def test_graphql_eligibility_apply_and_read():
    world = landlord_world()
    client = bearer_client(world.landlord)
    org, product = world.owner.public_id, world.product.public_id
    data = gql(
        client,
        """query($o: UUID!, $p: UUID!) {
          lendingAdvanceOrganizations { id name }
          lendingAdvanceEligibility(organization: $o, productId: $p) {
            eligible maximum { amount } history { period net { amount } } reasons { code }
          }
        }""",
        {"o": str(org), "p": str(product)},
    )
    assert data["lendingAdvanceOrganizations"][0]["id"] == str(org)
    assert data["lendingAdvanceEligibility"]["eligible"] is True
    assert data["lendingAdvanceEligibility"]["maximum"]["amount"] == 270_000

    data = gql(
        client,
        """mutation($o: UUID!, $p: UUID!) {
          lendingApplyForAdvance(organization: $o, productId: $p, amount: 400000, term: 3, idempotencyKey: "g1") {
            ok errors { code } advance { id status decisionReasons { code } }
          }
        }""",
        {"o": str(org), "p": str(product)},
    )
    result = data["lendingApplyForAdvance"]
    assert result["ok"] and result["advance"]["status"] == "declined"
    assert [r["code"] for r in result["advance"]["decisionReasons"]] == ["advance_above_limit"]

    data = gql(client, "{ lendingAdvances { id status organization } }")
    assert [a["id"] for a in data["lendingAdvances"]] == [result["advance"]["id"]]
    outsider = bearer_client(world.manager)
    body = gql_response(outsider, f'{{ lendingAdvance(loanId: "{result["advance"]["id"]}") {{ id }} }}')
    assert body["data"]["lendingAdvance"] is None
    assert body["errors"][0]["extensions"]["code"] == "lending_loan_not_found"
