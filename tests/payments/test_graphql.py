"""GraphQL: the same services and scoping as REST."""

import pytest

from apps.payments import services
from apps.payments.models import PaymentIntent

from .conftest import make_intent

pytestmark = pytest.mark.django_db


def gql(client, query, variables=None):
    response = client.post("/graphql", {"query": query, "variables": variables or {}}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


CREATE = """mutation($org: UUID!, $key: String) {
  createPaymentIntent(organizationId: $org, amount: 75000, description: "Loyer mars", idempotencyKey: $key) {
    ok errors { field code message } intent { id status amount { amount formatted } payUrl organizationName }
  }
}"""


def test_create_read_and_list(org, manager, client_for, providers, django_assert_max_num_queries):
    api = client_for(manager)
    data = gql(api, CREATE, {"org": str(org.public_id), "key": "g1"})["createPaymentIntent"]
    assert data["ok"] and data["intent"]["amount"]["amount"] == 75000
    again = gql(api, CREATE, {"org": str(org.public_id), "key": "g1"})["createPaymentIntent"]
    assert again["intent"]["id"] == data["intent"]["id"]
    assert PaymentIntent.objects.count() == 1
    read = gql(
        api, "query($id: UUID!) { paymentIntent(id: $id) { id description } }", {"id": data["intent"]["id"]}
    )
    assert read["paymentIntent"]["description"] == "Loyer mars"
    for i in range(20):
        make_intent(org, purpose_id=str(i))
    with django_assert_max_num_queries(10):
        listed = gql(api, "{ myPayments(first: 50) { id organizationName amount { formatted } } }")
    assert len(listed["myPayments"]) == 21


def test_bad_input_is_a_typed_error(org, manager, client_for, providers):
    data = gql(
        client_for(manager),
        'mutation($org: UUID!) { createPaymentIntent(organizationId: $org, amount: -4, description: "x") { ok errors { field code } } }',
        {"org": str(org.public_id)},
    )["createPaymentIntent"]
    assert data["ok"] is False and data["errors"][0]["field"] == "amount"
    assert PaymentIntent.objects.count() == 0


def test_another_organizations_user_sees_nothing(org, outsider, collector, client_for, providers):
    intent = make_intent(org)
    paid = make_intent(org, purpose_id="p")
    services.cash_record(actor=collector, intent=paid)
    api = client_for(outsider)
    assert (
        gql(api, "query($id: UUID!) { paymentIntent(id: $id) { id } }", {"id": str(intent.public_id)})[
            "paymentIntent"
        ]
        is None
    )
    assert gql(api, "{ myPayments { id } payouts { id } payoutAccounts { id } }") == {
        "myPayments": [],
        "payouts": [],
        "payoutAccounts": [],
    }
    for mutation, variables in [
        (
            "mutation($id: UUID!) { startPayment(intentId: $id) { ok errors { code } } }",
            {"id": str(intent.public_id)},
        ),
        (
            'mutation($id: UUID!) { confirmPayment(intentId: $id, transactionId: "x") { ok errors { code } } }',
            {"id": str(intent.public_id)},
        ),
        (
            "mutation($id: UUID!) { refundPayment(intentId: $id, amount: 1) { ok errors { code } } }",
            {"id": str(paid.public_id)},
        ),
        (
            'mutation($org: UUID!) { recordCashPayment(organizationId: $org, amount: 5, description: "x") { ok errors { code } } }',
            {"org": str(org.public_id)},
        ),
        (CREATE, {"org": str(org.public_id), "key": None}),
    ]:
        data = next(iter(gql(api, mutation, variables).values()))
        assert data["ok"] is False and data["errors"][0]["code"] in (
            "not_found",
            "payment_intent_not_found",
        ), data
    intent.refresh_from_db()
    assert intent.status == "created" and PaymentIntent.objects.count() == 2


def test_cash_and_start_by_graphql(org, collector, client_for, providers):
    api = client_for(collector)
    data = gql(
        api,
        'mutation($org: UUID!) { recordCashPayment(organizationId: $org, amount: 15000, description: "Loyer", idempotencyKey: "c1") { ok intent { status receiptNumber } } }',
        {"org": str(org.public_id)},
    )["recordCashPayment"]
    assert data["ok"] and data["intent"]["status"] == "succeeded" and data["intent"]["receiptNumber"]
    intent = make_intent(org, purpose_id="s")
    start = gql(
        api,
        "mutation($id: UUID!) { startPayment(intentId: $id) { ok checkout { provider kind url } } }",
        {"id": str(intent.public_id)},
    )
    assert start["startPayment"]["checkout"]["kind"] == "sandbox"
