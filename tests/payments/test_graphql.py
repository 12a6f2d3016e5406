"""GraphQL: the same services and scoping as REST, under the payments-prefixed names (the
former names are deprecated aliases that still answer)."""

import pytest

from apps.identity.models import Membership
from apps.ledger import api as ledger
from apps.ledger.contracts import Leg
from apps.payments import services
from apps.payments.models import PaymentIntent, PayoutAccount, SandboxTransaction
from apps.payments.services import ledgering
from tests.helpers import gql, graphql_post

from .conftest import balance, make_intent, member

pytestmark = pytest.mark.django_db


CREATE = """mutation($org: UUID!, $key: String) {
  paymentsCreateIntent(organizationId: $org, amount: 75000, description: "Loyer mars", idempotencyKey: $key) {
    ok errors { field code message } intent { id status amount { amount currency formatted } payUrl organizationName }
  }
}"""


def _payload(data: dict) -> dict:
    (payload,) = data.values()
    return payload


def test_create_read_and_list(org, manager, client_for, providers, django_assert_max_num_queries):
    api = client_for(manager)
    data = gql(api, CREATE, {"org": str(org.public_id), "key": "g1"})["paymentsCreateIntent"]
    assert data["ok"], data
    amount = data["intent"]["amount"]
    assert amount["amount"] == 75000 and amount["currency"] == "XOF" and amount["formatted"].endswith("FCFA")
    again = gql(api, CREATE, {"org": str(org.public_id), "key": "g1"})["paymentsCreateIntent"]
    assert again["intent"]["id"] == data["intent"]["id"]
    assert PaymentIntent.objects.count() == 1
    read = gql(
        api, "query($id: UUID!) { paymentsIntent(id: $id) { id description } }", {"id": data["intent"]["id"]}
    )
    assert read["paymentsIntent"]["description"] == "Loyer mars"
    for i in range(20):
        intent = make_intent(org, purpose_id=str(i))
        if i % 2:  # half of them pending with an attempt under way: provider and method show it
            services.attempt_start(intent=intent, method="mobile_money")
    with django_assert_max_num_queries(10):
        listed = gql(
            api, "{ paymentsMine(first: 50) { id organizationName provider method amount { formatted } } }"
        )
    assert len(listed["paymentsMine"]) == 21
    assert sum(1 for i in listed["paymentsMine"] if i["provider"] == "sandbox") == 10


def test_the_former_names_still_answer_and_say_what_replaces_them(org, manager, client_for, providers):
    api = client_for(manager)
    intent = make_intent(org)
    old = gql(
        api,
        "query($id: UUID!) { paymentIntent(id: $id) { id } myPayments { id } payouts { id } payoutAccounts { id } }",
        {"id": str(intent.public_id)},
    )
    assert old["paymentIntent"]["id"] == str(intent.public_id) and len(old["myPayments"]) == 1
    fields = gql(
        api, '{ __type(name: "Query") { fields(includeDeprecated: true) { name deprecationReason } } }'
    )
    reasons = {f["name"]: f["deprecationReason"] for f in fields["__type"]["fields"]}
    assert reasons["paymentIntent"] == "Use paymentsIntent." and reasons["myPayments"] == "Use paymentsMine."
    assert reasons["paymentsIntent"] is None
    mutations = gql(
        api, '{ __type(name: "Mutation") { fields(includeDeprecated: true) { name deprecationReason } } }'
    )
    reasons = {f["name"]: f["deprecationReason"] for f in mutations["__type"]["fields"]}
    assert reasons["refundPayment"] == "Use paymentsRefund." and reasons["paymentsRefund"] is None


def test_amounts_are_the_shared_money_type_with_the_rows_currency(org, manager, client_for, providers):
    org.currencies = ["XOF", "EUR"]  # staff enabled euros for this organization
    org.save()
    intent = make_intent(org, amount=1250, currency="EUR")
    data = gql(
        client_for(manager),
        "query($id: UUID!) { paymentsIntent(id: $id) { amount { __typename amount currency formatted } fee { currency } } }",
        {"id": str(intent.public_id)},
    )["paymentsIntent"]
    assert data["amount"]["__typename"] == "MoneyType"
    assert data["amount"]["amount"] == 1250 and data["amount"]["currency"] == "EUR"
    assert "12" in data["amount"]["formatted"] and "50" in data["amount"]["formatted"]
    assert "€" in data["amount"]["formatted"] and "FCFA" not in data["amount"]["formatted"]
    assert data["fee"]["currency"] == "EUR"


def test_bad_input_is_a_typed_error(org, manager, client_for, providers):
    data = gql(
        client_for(manager),
        'mutation($org: UUID!) { paymentsCreateIntent(organizationId: $org, amount: 0, description: "x") { ok errors { field code } } }',
        {"org": str(org.public_id)},
    )["paymentsCreateIntent"]
    assert data["ok"] is False and data["errors"][0]["field"] == "amount"
    # A negative amount never reaches the service: the Amount scalar refuses it.
    negative = graphql_post(
        client_for(manager),
        {
            "query": 'mutation($org: UUID!) { paymentsCreateIntent(organizationId: $org, amount: -4, description: "x") { ok } }',
            "variables": {"org": str(org.public_id)},
        },
    )
    assert negative.status_code == 400
    assert [e["extensions"]["code"] for e in negative.json()["errors"]] == ["invalid_amount"]
    assert PaymentIntent.objects.count() == 0


def test_another_organizations_user_sees_nothing(org, outsider, collector, client_for, providers):
    intent = make_intent(org)
    paid = make_intent(org, purpose_id="p")
    services.cash_record(actor=collector, intent=paid)
    api = client_for(outsider)
    assert (
        gql(api, "query($id: UUID!) { paymentsIntent(id: $id) { id } }", {"id": str(intent.public_id)})[
            "paymentsIntent"
        ]
        is None
    )
    assert gql(api, "{ paymentsMine { id } paymentsPayouts { id } paymentsPayoutAccounts { id } }") == {
        "paymentsMine": [],
        "paymentsPayouts": [],
        "paymentsPayoutAccounts": [],
    }
    for mutation, variables in [
        (
            "mutation($id: UUID!) { paymentsStartPayment(intentId: $id) { ok errors { code } } }",
            {"id": str(intent.public_id)},
        ),
        (
            'mutation($id: UUID!) { paymentsConfirmPayment(intentId: $id, transactionId: "x") { ok errors { code } } }',
            {"id": str(intent.public_id)},
        ),
        (
            "mutation($id: UUID!) { paymentsRefund(intentId: $id, amount: 1) { ok errors { code } } }",
            {"id": str(paid.public_id)},
        ),
        (
            'mutation($org: UUID!) { paymentsRecordCashPayment(organizationId: $org, amount: 5, description: "x") { ok errors { code } } }',
            {"org": str(org.public_id)},
        ),
        (CREATE, {"org": str(org.public_id), "key": None}),
    ]:
        data = _payload(gql(api, mutation, variables))
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
        'mutation($org: UUID!) { paymentsRecordCashPayment(organizationId: $org, amount: 15000, description: "Loyer", idempotencyKey: "c1") { ok intent { status receiptNumber } } }',
        {"org": str(org.public_id)},
    )["paymentsRecordCashPayment"]
    assert data["ok"] and data["intent"]["status"] == "succeeded" and data["intent"]["receiptNumber"]
    intent = make_intent(org, purpose_id="s")
    start = gql(
        api,
        "mutation($id: UUID!) { paymentsStartPayment(intentId: $id) { ok checkout { provider kind url } } }",
        {"id": str(intent.public_id)},
    )
    assert start["paymentsStartPayment"]["checkout"]["kind"] == "sandbox"


# --- mutations that call a provider run outside any transaction (atomic = False) ----------------


def test_start_payment_at_a_provider_reached_over_http(org, manager, client_for, fedapay):
    """FedaPay is called over HTTP: inside a transaction the call would be refused
    (ProviderCallInTransaction). The mutation is not wrapped, so the checkout is made."""
    intent = make_intent(org)
    data = gql(
        client_for(manager),
        "mutation($id: UUID!) { paymentsStartPayment(intentId: $id) { ok errors { code } checkout { provider kind url } } }",
        {"id": str(intent.public_id)},
    )["paymentsStartPayment"]
    assert data["ok"], data
    assert data["checkout"]["provider"] == "fedapay" and data["checkout"]["kind"] == "redirect"
    assert len(fedapay.transactions) == 1


def test_refund_at_kkiapay_completes_at_once_through_the_shared_http_client(
    org, manager, client_for, kkiapay, step_up, httpserver
):
    """Not deferred to a task (no caller's transaction): the refund is `succeeded` in the
    answer. The request to Kkiapay carries core's client headers (User-Agent, X-Request-ID)."""
    intent = make_intent(org, amount=12_000)
    attempt, _checkout = services.attempt_start(intent=intent, method="mobile_money")
    reference = kkiapay.add(amount=12_000, status="SUCCESS", partner=attempt.token)
    services.callback_confirm(intent=intent, provider="kkiapay", reference=reference)
    intent.refresh_from_db()
    assert intent.status == "succeeded"
    token = step_up(manager, "payments.intent.refund", intent.public_id, amount=12_000, currency="XOF")
    data = gql(
        client_for(manager),
        'mutation($id: UUID!, $token: String) { paymentsRefund(intentId: $id, stepUpToken: $token, reason: "double") {'
        " ok errors { code } refund { status amount { amount currency } } } }",
        {"id": str(intent.public_id), "token": token},
        HTTP_X_REQUEST_ID="req-payments-refund-1",
    )["paymentsRefund"]
    assert data["ok"], data
    assert data["refund"] == {"status": "succeeded", "amount": {"amount": 12_000, "currency": "XOF"}}
    assert kkiapay.transactions[reference]["status"] == "REVERTED"
    revert = [request for request, _response in httpserver.log if request.path.endswith("/revert")]
    assert len(revert) == 1
    assert revert[0].headers["X-Request-ID"] == "req-payments-refund-1"
    assert revert[0].headers["User-Agent"].endswith("(kkiapay)")


# --- the four mutations REST had alone ---------------------------------------------------------


CANCEL = (
    "mutation($id: UUID!) { paymentsCancelIntent(intentId: $id) { ok errors { code } intent { id status } } }"
)


def test_cancel_intent(org, manager, collector, outsider, client_for, providers):
    intent = make_intent(org)
    data = gql(client_for(manager), CANCEL, {"id": str(intent.public_id)})["paymentsCancelIntent"]
    assert data["ok"] and data["intent"]["status"] == "canceled"
    paid = make_intent(org, purpose_id="paid")
    services.cash_record(actor=collector, intent=paid)
    refused = gql(client_for(manager), CANCEL, {"id": str(paid.public_id)})["paymentsCancelIntent"]
    assert refused == {"ok": False, "errors": [{"code": "invalid_transition"}], "intent": None}
    other = make_intent(org, purpose_id="other")
    hidden = gql(client_for(outsider), CANCEL, {"id": str(other.public_id)})["paymentsCancelIntent"]
    assert hidden["ok"] is False and hidden["errors"][0]["code"] == "payment_intent_not_found"
    other.refresh_from_db()
    paid.refresh_from_db()
    assert other.status == "created" and paid.status == "succeeded"


PUSH = """mutation($id: UUID!, $phone: String!) {
  paymentsPushPayment(intentId: $id, phone: $phone, operator: "mtn_open") {
    ok errors { field code } intent { status } checkout { provider kind }
  }
}"""


def test_push_payment(org, collector, outsider, client_for, providers):
    intent = make_intent(org)
    data = gql(client_for(collector), PUSH, {"id": str(intent.public_id), "phone": "+2290161000009"})[
        "paymentsPushPayment"
    ]
    assert data["ok"], data
    assert data["intent"]["status"] == "pending" and data["checkout"]["provider"] == "sandbox"
    assert SandboxTransaction.objects.filter(phone="+2290161000009").exists()
    paid = make_intent(org, purpose_id="paid")
    services.cash_record(actor=collector, intent=paid)
    refused = gql(client_for(collector), PUSH, {"id": str(paid.public_id), "phone": "+2290161000009"})[
        "paymentsPushPayment"
    ]
    assert refused["ok"] is False and refused["errors"][0]["code"] == "payment_not_payable"
    viewer = member(org, Membership.Role.VIEWER)  # sees the intent, may not collect
    for user in (outsider, viewer):
        other = make_intent(org, purpose_id=f"other-{user.pk}")
        hidden = gql(client_for(user), PUSH, {"id": str(other.public_id), "phone": "+2290161000008"})[
            "paymentsPushPayment"
        ]
        assert hidden["ok"] is False and hidden["errors"][0]["code"] in (
            "payment_intent_not_found",
            "not_found",
        )
        other.refresh_from_db()
        assert other.status == "created" and not other.attempts.exists()


def test_push_payment_at_a_provider_reached_over_http(org, collector, client_for, fedapay):
    intent = make_intent(org)
    data = gql(client_for(collector), PUSH, {"id": str(intent.public_id), "phone": "+2290161000007"})[
        "paymentsPushPayment"
    ]
    assert data["ok"], data
    assert data["checkout"] == {"provider": "fedapay", "kind": "push"}
    assert [mode for mode, _token in fedapay.pushed] == ["mtn_open"]


WALLET = (
    "mutation($id: UUID!) { paymentsPayWithWallet(intentId: $id) { ok errors { code } intent { status } } }"
)


def test_pay_with_wallet(org, tenant, outsider, client_for, providers):
    wallet = ledgering.wallet(tenant.public_id, "XOF")
    ledger.transfer(
        idempotency_key="topup-g1",
        code="topup",
        legs=[
            Leg.debit(ledgering.clearing("sandbox", "XOF"), 8_000, "XOF"),
            Leg.credit(wallet, 8_000, "XOF"),
        ],
    )
    intent = make_intent(org, amount=5_000, payer=tenant)
    data = gql(client_for(tenant), WALLET, {"id": str(intent.public_id)})["paymentsPayWithWallet"]
    assert data == {"ok": True, "errors": [], "intent": {"status": "succeeded"}}
    assert balance(wallet) == 3_000
    again = gql(client_for(tenant), WALLET, {"id": str(intent.public_id)})["paymentsPayWithWallet"]
    assert again["ok"] is False and again["errors"][0]["code"] == "payment_not_payable"
    assert balance(wallet) == 3_000
    short = make_intent(org, amount=5_000, payer=tenant, purpose_id="short")
    failed = gql(client_for(tenant), WALLET, {"id": str(short.public_id)})["paymentsPayWithWallet"]
    assert failed["ok"] and failed["intent"]["status"] == "failed"  # a failed attempt, payable again
    other = make_intent(org, purpose_id="other")
    hidden = gql(client_for(outsider), WALLET, {"id": str(other.public_id)})["paymentsPayWithWallet"]
    assert hidden["ok"] is False and hidden["errors"][0]["code"] == "payment_intent_not_found"
    other.refresh_from_db()
    assert other.status == "created"


REMOVE = """mutation($id: UUID!, $token: String) {
  paymentsRemovePayoutAccount(payoutAccountId: $id, stepUpToken: $token) {
    ok errors { code } payoutAccount { id active }
  }
}"""


def test_remove_payout_account_needs_a_step_up(org, outsider, client_for, step_up, providers):
    owner = member(org, Membership.Role.OWNER)
    account = PayoutAccount.objects.create(
        organization=org, kind="mobile_money", holder_name="Awa", phone="+2290196555444", operator="mtn"
    )
    refused = gql(client_for(owner), REMOVE, {"id": str(account.public_id), "token": None})[
        "paymentsRemovePayoutAccount"
    ]
    assert refused["ok"] is False and refused["errors"][0]["code"] == "step_up_required"
    account.refresh_from_db()
    assert account.is_active
    hidden = gql(client_for(outsider), REMOVE, {"id": str(account.public_id), "token": "x"})[
        "paymentsRemovePayoutAccount"
    ]
    assert hidden["ok"] is False and hidden["errors"][0]["code"] == "not_found"
    token = step_up(owner, "payments.payout_account.remove", account.public_id)
    data = gql(client_for(owner), REMOVE, {"id": str(account.public_id), "token": token})[
        "paymentsRemovePayoutAccount"
    ]
    assert data == {
        "ok": True,
        "errors": [],
        "payoutAccount": {"id": str(account.public_id), "active": False},
    }
    account.refresh_from_db()
    assert not account.is_active
