"""Payment limits where they belong (issue 15): a payment from an outside instrument
(mobile money, card, cash, bank transfer) is bounded by payments' own per-country cap
(PAYMENT_MAX_AMOUNT), never by kyc's tier-0 e-money cap; paying from the Hokwe wallet,
and topping it up, stays bounded by kyc's e-money limits."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from apps.kyc import api as kyc
from apps.kyc.models import KycProfile
from apps.ledger import api as ledger
from apps.ledger.contracts import Leg
from apps.payments import api as payments
from apps.payments import services
from apps.payments.contracts import PurposeRef
from apps.payments.limits import PaymentLimitsInvalid, max_amount, validate_table
from apps.payments.models import PaymentIntent
from apps.payments.services import ledgering
from tests.helpers import gql
from tests.identity.factories import UserFactory

from .conftest import balance, make_intent, on_commit

pytestmark = pytest.mark.django_db

RENT = 450_000  # the demo's larger rent, above kyc's tier-0 single-transaction cap (100 000)


def fund_wallet(user, amount, key):
    wallet = ledgering.wallet(user.public_id, "XOF")
    ledger.transfer(
        idempotency_key=f"tests:topup:{key}",
        code="wallet_top_up",
        legs=[
            Leg.debit(ledgering.clearing("sandbox", "XOF"), amount, "XOF"),
            Leg.credit(wallet, amount, "XOF"),
        ],
    )
    return wallet


def test_a_tenant_without_kyc_pays_450000_by_mobile_money_through_the_sandbox(org, tenant, client, providers):
    assert kyc.tier_of(tenant) == 0 and kyc.limits_for(tenant).single_transaction < RENT
    info = payments.create_intent(
        organization=org.public_id,
        amount=RENT,
        purpose=PurposeRef("tests.Rent", "due-450"),
        description="Loyer avril 2026 — Villa A1",
        payer=tenant.public_id,
    )
    intent = PaymentIntent.objects.get(public_id=info.public_id)
    assert intent.status == "created"
    start = client.post(f"/pay/{intent.pay_token}/start", {"method": "mobile_money"})
    assert start.status_code == 302 and "/pay/sandbox/" in start["Location"]
    with on_commit():
        approved = client.post(
            start["Location"], {"decision": "approve", "next": f"/pay/{intent.pay_token}/callback"}
        )
    assert approved.status_code == 302
    intent.refresh_from_db()
    assert intent.status == "succeeded" and intent.method == "mobile_money"
    assert balance(intent.credit_account) == RENT


def test_above_the_country_cap_is_refused_over_rest(org, manager, client_for, providers, settings):
    settings.PAYMENT_MAX_AMOUNT = {"*": {"XOF": 5_000_000}, "BJ": {"XOF": 3_000_000}}
    api = client_for(manager)
    body = {"organization": str(org.public_id), "description": "Loyer", "amount": 3_000_001}
    refused = api.post("/api/v1/payments/intents", body, format="json")
    assert refused.status_code == 400, refused.content
    problem = refused.json()
    assert problem["code"] == "payment_amount_above_limit"
    assert "3\u202f000\u202f000" in problem["detail"] and "plus grand paiement" in problem["detail"]
    assert PaymentIntent.objects.count() == 0
    accepted = api.post("/api/v1/payments/intents", {**body, "amount": 3_000_000}, format="json")
    assert accepted.status_code == 201, accepted.content
    org.country = "CI"  # another country: the "*" entry
    org.save(update_fields=["country"])
    assert (
        api.post("/api/v1/payments/intents", {**body, "amount": 5_000_000}, format="json").status_code == 201
    )
    assert (
        api.post("/api/v1/payments/intents", {**body, "amount": 5_000_001}, format="json").status_code == 400
    )


CREATE = """mutation($org: UUID!, $amount: Amount!) {
  paymentsCreateIntent(organizationId: $org, amount: $amount, description: "Loyer") {
    ok errors { field code message } intent { id }
  }
}"""


def test_above_the_country_cap_is_refused_over_graphql(org, manager, client_for, providers):
    api = client_for(manager)
    refused = gql(api, CREATE, {"org": str(org.public_id), "amount": 5_000_001})["paymentsCreateIntent"]
    assert refused["ok"] is False and refused["intent"] is None
    (error,) = refused["errors"]
    assert error["code"] == "payment_amount_above_limit" and error["field"] == "amount"
    assert "5\u202f000\u202f000" in error["message"]
    accepted = gql(api, CREATE, {"org": str(org.public_id), "amount": RENT})["paymentsCreateIntent"]
    assert accepted["ok"] is True


def test_the_cap_is_checked_again_when_the_method_is_chosen(org, collector, providers, settings):
    """Lowered after the intent was created: the outside-instrument attempt is refused."""
    intent = make_intent(org, amount=RENT)
    settings.PAYMENT_MAX_AMOUNT = {"*": {"XOF": 400_000}}
    with pytest.raises(payments.PaymentAmountAboveLimit):
        services.attempt_start(intent=intent, method="mobile_money")
    with pytest.raises(payments.PaymentAmountAboveLimit):
        services.cash_record(actor=collector, intent=intent)
    intent.refresh_from_db()
    assert intent.status == "created" and intent.attempts.count() == 0


WALLET = "mutation($id: UUID!) { paymentsPayWithWallet(intentId: $id) { ok errors { field code } intent { status } } }"


def test_paying_450000_from_the_wallet_at_tier_0_is_refused_by_the_e_money_limit(
    org, tenant, client_for, providers
):
    wallet = fund_wallet(tenant, 500_000, "w450")  # enough money: the limit refuses, not the balance
    intent = make_intent(org, amount=RENT, payer=tenant)
    with pytest.raises(kyc.KycLimitExceeded) as refused:
        payments.pay_with_wallet(actor=tenant, intent=intent.public_id)
    assert refused.value.params["limit"] == "single_transaction" and refused.value.params["tier"] == 0
    rest = client_for(tenant).post(f"/api/v1/payments/intents/{intent.public_id}/wallet", {}, format="json")
    assert rest.status_code == 403 and rest.json()["code"] == "kyc_limit_exceeded"
    data = gql(client_for(tenant), WALLET, {"id": str(intent.public_id)})["paymentsPayWithWallet"]
    assert data["ok"] is False and data["errors"] == [{"field": "amount", "code": "kyc_limit_exceeded"}]
    intent.refresh_from_db()
    assert intent.status == "created" and intent.attempts.count() == 0  # still payable by mobile money
    assert balance(wallet) == 500_000


def test_a_wallet_top_up_intent_is_bounded_by_the_e_money_limits(org, tenant, providers):
    wallet = ledgering.wallet(tenant.public_id, "XOF")
    with pytest.raises(kyc.KycLimitExceeded):
        make_intent(org, amount=150_000, credit_account=wallet, purpose_type="wallet.TopUp")
    assert (
        make_intent(org, amount=50_000, credit_account=wallet, purpose_type="wallet.TopUp").amount == 50_000
    )


def test_the_cap_table_is_validated():
    validate_table({"*": {"XOF": 5_000_000}, "SN": {"XOF": 1}})
    assert max_amount({"*": {"XOF": 9}, "SN": {"XOF": 1}}, country="SN", currency="XOF") == 1
    assert max_amount({"*": {"XOF": 9}, "SN": {"EUR": 1}}, country="SN", currency="XOF") == 9
    assert max_amount({"*": {"XOF": 9}}, country="BJ", currency="GNF") is None
    for bad in ({}, {"SN": {"XOF": 1}}, {"*": {"XOF": 0}}, {"*": {"XYZ": 1}}, {"bj": {"XOF": 1}, "*": {}}):
        with pytest.raises(PaymentLimitsInvalid):
            validate_table(bad)


CAP = 1_500_000
METHODS = ["mobile_money", "card", "cash", "wallet"]


@hsettings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    amount=st.one_of(st.integers(1, 3_000_000), st.sampled_from([100_000, 100_001, 500_001, CAP, CAP + 1])),
    method=st.sampled_from(METHODS),
    tier=st.sampled_from([0, 1, 2]),
)
def test_the_right_limit_applies(org, collector, providers, settings, amount, method, tier):
    """Outside instruments: refused iff above the country cap, whatever the tier. The wallet:
    also refused above the payer's tier (kyc's single-transaction / daily outflow)."""
    settings.PAYMENT_MAX_AMOUNT = {"*": {"XOF": CAP}}
    payer = UserFactory()
    if tier:
        KycProfile.objects.create(user=payer, tier=tier)
    if amount > CAP:
        with pytest.raises(payments.PaymentAmountAboveLimit):
            make_intent(org, amount=amount, payer=payer, purpose_id=str(payer.public_id))
        return
    intent = make_intent(org, amount=amount, payer=payer, purpose_id=str(payer.public_id))
    if method == "wallet":
        fund_wallet(payer, amount, str(payer.public_id))
        if amount > kyc.limits_for(payer).single_transaction:
            with pytest.raises(kyc.KycLimitExceeded):
                services.wallet_pay(actor=payer, intent=intent)
            intent.refresh_from_db()
            assert intent.status == "created"
        else:
            assert services.wallet_pay(actor=payer, intent=intent).status == "succeeded"
    elif method == "cash":
        assert services.cash_record(actor=collector, intent=intent).status == "succeeded"
    else:
        attempt, _checkout = services.attempt_start(intent=intent, method=method)
        assert attempt.status == "pending" and attempt.provider == "sandbox"
