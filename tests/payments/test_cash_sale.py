"""The merchant cash sale is one use case (services.merchant_cash_sale) whichever transport
calls it: REST `POST merchant/cash`, GraphQL `paymentsRecordCashPayment` and the point of
sale page give the same sale, count a replay with the same key once, and take the
currency from the input (one of the organization's) or the organization's own."""

import pytest
from django.utils import timezone

from apps.core.errors import IdempotencyConflict
from apps.payments import api as payments
from apps.payments import services
from apps.payments.errors import InvalidPayment
from apps.payments.models import PaymentIntent
from tests.helpers import gql
from tests.identity.factories import OrganizationFactory

from .conftest import member

pytestmark = pytest.mark.django_db

SALE = {
    "amount": 15_000,
    "description": "Loyer avril",
    "payer_name": "Prisca",
    "payer_phone": "+2290161000001",
}

GQL = """mutation($org: UUID!, $amount: Amount!, $description: String!, $payerName: String, $payerPhone: String,
                  $currency: String, $key: String) {
  paymentsRecordCashPayment(organizationId: $org, amount: $amount, description: $description, payerName: $payerName,
                            payerPhone: $payerPhone, currency: $currency, idempotencyKey: $key) {
    ok errors { field code } intent { id }
  }
}"""


def by_rest(client_for, user, org, key, **sale):
    body = {"organization": str(org.public_id), **SALE, **sale}
    response = client_for(user).post(
        "/api/v1/payments/merchant/cash", body, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    return response


def sell_by_rest(client_for, user, org, key, **sale):
    response = by_rest(client_for, user, org, key, **sale)
    assert response.status_code == 201, response.content
    return PaymentIntent.objects.get(public_id=response.json()["id"])


def by_graphql(client_for, user, org, key, **sale):
    sale = {**SALE, **sale}
    variables = {
        "org": str(org.public_id),
        "amount": sale["amount"],
        "description": sale["description"],
        "payerName": sale["payer_name"],
        "payerPhone": sale["payer_phone"],
        "currency": sale.get("currency"),
        "key": key,
    }
    return gql(client_for(user), GQL, variables)["paymentsRecordCashPayment"]


def sell_by_graphql(client_for, user, org, key, **sale):
    data = by_graphql(client_for, user, org, key, **sale)
    assert data["ok"], data
    return PaymentIntent.objects.get(public_id=data["intent"]["id"])


def sell_by_page(client, user, org, key, **sale):
    client.force_login(user)
    response = client.post(
        "/merchant/", {"organization": str(org.public_id), **SALE, **sale, "action": "cash", "form_key": key}
    )
    assert response.status_code == 302, response.content
    intent_id = response["Location"].rstrip("/").rsplit("/", 1)[1]
    return PaymentIntent.objects.get(public_id=intent_id)


def shape(intent: PaymentIntent) -> dict:
    attempt = intent.attempts.get()
    return {
        "organization": intent.organization_id,
        "amount": intent.amount,
        "currency": intent.currency,
        "status": intent.status,
        "purpose_type": intent.purpose_type,
        "description": intent.description,
        "payer_name": intent.payer_name,
        "payer_phone": intent.payer_phone,
        "method": intent.method,
        "provider": intent.provider,
        "created_by": intent.created_by_id,
        "attempt": (attempt.method, attempt.status, attempt.recorded_by_id),
        "has_receipt": bool(intent.receipt_number and intent.receipt_code),
    }


def test_the_three_transports_make_the_same_sale_and_count_a_replay_once(org, client_for, client, providers):
    agent = member(org, "collector")
    sales = {
        "rest": [sell_by_rest(client_for, agent, org, "rest-1") for _ in range(2)],
        "graphql": [sell_by_graphql(client_for, agent, org, "graphql-1") for _ in range(2)],
        "page": [sell_by_page(client, agent, org, "page-1") for _ in range(2)],
    }
    for transport, (first, replay) in sales.items():
        assert first.pk == replay.pk, f"{transport}: a replay with the same key made a second sale"
    shapes = {transport: shape(first) for transport, (first, _replay) in sales.items()}
    assert shapes["rest"] == shapes["graphql"] == shapes["page"]
    assert shapes["rest"]["currency"] == "XOF" and shapes["rest"]["status"] == "succeeded"
    assert shapes["rest"]["purpose_type"] == "payments.MerchantSale"
    # three sales, each counted once: in the agent's cash, the receipts and the report
    assert PaymentIntent.objects.count() == 3
    assert payments.agent_cash_balance(agent=agent.public_id, currency="XOF") == 3 * 15_000
    year = timezone.localdate().year
    numbers = sorted(first.receipt_number for first, _replay in sales.values())
    assert numbers == [f"R{year}-000001", f"R{year}-000002", f"R{year}-000003"]
    report = client_for(agent).get("/api/v1/payments/merchant/cash-report").json()
    assert report["count"] == 3
    # one idempotency handling: a key is the agent's, whichever transport sends it again
    assert sell_by_graphql(client_for, agent, org, "rest-1").pk == sales["rest"][0].pk
    assert sell_by_page(client, agent, org, "graphql-1").pk == sales["graphql"][0].pk
    assert PaymentIntent.objects.count() == 3
    assert report["totals"] == [
        {"amount": 45_000, "currency": "XOF", "formatted": report["totals"][0]["formatted"]}
    ]


def test_the_same_key_for_another_sale_is_refused_on_every_transport(org, client_for, client, providers):
    agent = member(org, "collector")
    sell_by_rest(client_for, agent, org, "k")
    response = by_rest(client_for, agent, org, "k", amount=16_000)
    assert response.status_code == 409 and response.json()["code"] == "idempotency_key_reused"
    data = by_graphql(client_for, agent, org, "k", amount=16_000)
    assert data["ok"] is False and data["errors"][0]["code"] == "idempotency_key_reused"
    with pytest.raises(IdempotencyConflict):
        services.merchant_cash_sale(
            actor=agent,
            organization_id=org.pk,
            currency=None,
            idempotency_key="k",
            **{**SALE, "amount": 16_000},
        )
    assert PaymentIntent.objects.count() == 1


def test_keys_are_the_agents_own(org, client_for, providers):
    first, second = member(org, "collector"), member(org, "collector")
    a = sell_by_graphql(client_for, first, org, "shared-key")
    b = sell_by_graphql(client_for, second, org, "shared-key")
    assert a.pk != b.pk and PaymentIntent.objects.filter(status="succeeded").count() == 2


def test_the_currency_is_the_organizations_own_or_one_of_its_currencies(client_for, client, providers):
    douala = OrganizationFactory(name="Agence Douala", country="CM")
    agent = member(douala, "collector")
    # no currency given: the organization's own (XAF in Cameroon), on every transport
    assert sell_by_rest(client_for, agent, douala, "r1").currency == "XAF"
    assert sell_by_graphql(client_for, agent, douala, "g1").currency == "XAF"
    assert sell_by_page(client, agent, douala, "p1").currency == "XAF"
    assert sell_by_graphql(client_for, agent, douala, "g2", currency="xaf").currency == "XAF"
    # a currency the organization does not take payments in is refused
    response = by_rest(client_for, agent, douala, "r2", currency="XOF")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "currency"
    data = by_graphql(client_for, agent, douala, "g3", currency="EUR")
    assert data["ok"] is False and data["errors"] == [{"field": "currency", "code": "currency_not_supported"}]
    assert PaymentIntent.objects.filter(organization_id=douala.pk).count() == 4


def test_a_currency_the_organization_is_enabled_for_is_accepted(org, client_for, providers):
    from apps.payments.services import ledgering

    org.currencies = ["XOF", "EUR"]  # staff enabled euros (identity's Organization.currencies)
    org.save()
    ledgering.owners_payable(org.public_id, "EUR")  # the organization keeps an account in euros
    assert (
        sell_by_graphql(
            client_for, member(org, "collector"), org, "eur", amount=2_500, currency="EUR"
        ).currency
        == "EUR"
    )


def test_only_agents_of_the_organization_sell(org, other_org, providers):
    with pytest.raises(InvalidPayment):
        services.currency_for(OrganizationFactory(country="US"), None)  # a country Hokwe does not serve
    outsider = member(other_org, "collector")
    from apps.core.errors import NotFound

    with pytest.raises(NotFound):
        services.merchant_cash_sale(
            actor=outsider, organization_id=org.pk, currency=None, idempotency_key="", **SALE
        )
    viewer = member(org, "viewer")
    with pytest.raises(NotFound):
        services.merchant_cash_sale(
            actor=viewer, organization_id=org.pk, currency=None, idempotency_key="", **SALE
        )
    assert PaymentIntent.objects.count() == 0
