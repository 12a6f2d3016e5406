"""The organization's currencies: a payment in a currency the organization does not take
money in, or that no enabled provider route settles, is refused with
`currency_not_supported` (field `currency`) on REST, GraphQL and the service, before
anything is written (no intent, no ledger account)."""

import pytest

from apps.ledger import api as ledger
from apps.payments import services
from apps.payments.errors import CurrencyNotSupported
from apps.payments.models import PaymentIntent, ProviderRoute
from tests.helpers import gql

from .conftest import make_intent

pytestmark = pytest.mark.django_db

CREATE = """mutation($org: UUID!, $currency: String) {
  paymentsCreateIntent(organizationId: $org, amount: 5000, currency: $currency, description: "Loyer") {
    ok errors { field code } intent { amount { currency } }
  }
}"""


def by_rest(client, org, currency):
    body = {"organization": str(org.public_id), "amount": 5000, "description": "Loyer"}
    if currency:
        body["currency"] = currency
    return client.post("/api/v1/payments/intents", body, format="json")


def by_graphql(client, org, currency):
    return gql(client, CREATE, {"org": str(org.public_id), "currency": currency})["paymentsCreateIntent"]


def nothing_written(org):
    assert not PaymentIntent.objects.filter(organization_id=org.pk).exists()
    assert [a.currency for a in ledger.organization_accounts(organization=org.public_id)] == []


@pytest.mark.parametrize("currency", ["EUR", "USD", "XAF"])
def test_a_benin_agency_refuses_another_currency_on_every_transport(
    org, manager, client_for, providers, currency
):
    assert org.currencies == ["XOF"]
    client = client_for(manager)
    response = by_rest(client, org, currency)
    assert response.status_code == 400, response.content
    (error,) = response.json()["errors"]
    assert error["code"] == "currency_not_supported" and error["field"] == "currency"
    data = by_graphql(client, org, currency)
    assert data["ok"] is False and data["errors"] == [{"field": "currency", "code": "currency_not_supported"}]
    with pytest.raises(CurrencyNotSupported) as refused:
        make_intent(org, currency=currency)
    assert refused.value.field == "currency"
    nothing_written(org)


def test_the_refusal_is_translated(org, manager, client_for, providers):
    response = client_for(manager).post(
        "/api/v1/payments/intents",
        {"organization": str(org.public_id), "amount": 5000, "description": "Loyer", "currency": "EUR"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    assert "ne reçoit pas de paiements en EUR" in response.json()["errors"][0]["message"]


def test_the_organizations_own_currency_is_accepted(org, manager, client_for, providers):
    client = client_for(manager)
    response = by_rest(client, org, "XOF")
    assert response.status_code == 201, response.content
    assert response.json()["amount"]["currency"] == "XOF"
    assert by_rest(client, org, None).json()["amount"]["currency"] == "XOF"
    data = by_graphql(client, org, None)
    assert data["ok"] and data["intent"]["amount"]["currency"] == "XOF"
    assert make_intent(org).currency == "XOF"


def test_a_currency_the_organization_is_enabled_for_needs_a_provider_route_that_settles_it(
    org, manager, client_for, settings
):
    org.currencies = ["XOF", "XAF"]
    org.save()
    # only Kkiapay routed: it settles XOF, not XAF
    settings.PAYMENT_PROVIDERS = ["kkiapay", "sandbox"]
    settings.PAYMENT_ROUTES = "mobile_money:*=kkiapay;card:*=kkiapay"
    client = client_for(manager)
    response = by_rest(client, org, "XAF")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "currency_not_supported"
    assert by_graphql(client, org, "XAF")["errors"] == [
        {"field": "currency", "code": "currency_not_supported"}
    ]
    with pytest.raises(CurrencyNotSupported):
        make_intent(org, currency="XAF")
    nothing_written(org)
    assert by_rest(client, org, "XOF").status_code == 201
    # the organization's own route to a provider that settles XAF: accepted
    ProviderRoute.objects.create(organization_id=org.pk, method="mobile_money", provider="sandbox")
    response = by_rest(client, org, "XAF")
    assert response.status_code == 201, response.content
    assert response.json()["amount"]["currency"] == "XAF"


def test_no_enabled_provider_settles_the_currency(org, settings):
    settings.PAYMENT_PROVIDERS = ["kkiapay", "fedapay"]
    settings.PAYMENT_ROUTES = ""
    assert services.intents.currency_served(currency="XOF", country="BJ", organization_id=org.pk)
    assert not services.intents.currency_served(currency="XAF", country="BJ", organization_id=org.pk)
    assert services.intents.currency_served(currency="GNF", country="BJ", organization_id=None) is False
    settings.PAYMENT_ROUTES = "mobile_money:*=fedapay"
    assert services.intents.currency_served(currency="GNF", country="GN", organization_id=None)
