"""REST: create (idempotent), read, list (query ceiling), start, confirm, refund, cash,
payouts; another organization's user gets 404 on every endpoint."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.identity.models import Membership
from apps.payments import services
from apps.payments.models import PaymentIntent, Payout, PayoutAccount

from .conftest import kyb_approved, make_intent, member, on_commit

pytestmark = pytest.mark.django_db

BASE = "/api/v1/payments"


def create_body(org, **extra):
    return {"organization": str(org.public_id), "amount": 75000, "description": "Loyer mars 2026", **extra}


def test_create_intent_and_read_it(org, manager, client_for, providers):
    api = client_for(manager)
    response = api.post(
        f"{BASE}/intents", create_body(org, payer_name="Brice"), format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["amount"] == {"amount": 75000, "currency": "XOF", "formatted": "75\u202f000\u00a0FCFA"}
    assert body["status"] == "created" and body["organization"]["id"] == str(org.public_id)
    assert body["pay_url"].startswith("http://testserver/pay/")
    detail = api.get(f"{BASE}/intents/{body['id']}")
    assert detail.status_code == 200 and detail.json()["id"] == body["id"]
    english = api.get(f"{BASE}/intents/{body['id']}", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["amount"]["formatted"] == "75,000\u00a0FCFA"


def test_creating_an_intent_reads_each_thing_once(org, manager, client_for, providers):
    """The organization, its membership, the routing table and the owners' payable are read
    once each; the Idempotency-Key is checked by the unique index, not by a read first."""
    api = client_for(manager)
    api.post(f"{BASE}/intents", create_body(org), format="json", HTTP_IDEMPOTENCY_KEY="warm")  # caches

    with CaptureQueriesContext(connection) as ctx:
        response = api.post(
            f"{BASE}/intents",
            create_body(org, description="Loyer avril 2026"),
            format="json",
            HTTP_IDEMPOTENCY_KEY="k2",
        )
    assert response.status_code == 201, response.content
    sql = [q["sql"] for q in ctx.captured_queries]
    assert sum('FROM "payments_providerroute"' in q for q in sql) == 1, sql
    assert sum('FROM "identity_organization"' in q and "public_id" in q for q in sql) <= 2, sql
    assert sum('FROM "ledger_account"' in q for q in sql) == 1, sql
    assert not any(
        'FROM "payments_paymentintent"' in q and "idempotency_key" in q.split("WHERE")[-1] for q in sql[:-1]
    ), sql
    assert len(sql) <= 15, "\n".join(sql)  # 18 before: the organization, routes and account read again


def test_double_click_creates_one_intent(org, manager, client_for, providers):
    api = client_for(manager)
    first = api.post(f"{BASE}/intents", create_body(org), format="json", HTTP_IDEMPOTENCY_KEY="click-1")
    second = api.post(f"{BASE}/intents", create_body(org), format="json", HTTP_IDEMPOTENCY_KEY="click-1")
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true" and first.json()["id"] == second.json()["id"]
    conflict = api.post(
        f"{BASE}/intents", create_body(org, amount=1), format="json", HTTP_IDEMPOTENCY_KEY="click-1"
    )
    assert conflict.status_code == 409 and conflict.json()["code"] == "idempotency_key_reused"
    assert PaymentIntent.objects.count() == 1


def test_bad_input_is_a_problem_with_field_errors(org, manager, client_for, providers):
    api = client_for(manager)
    response = api.post(f"{BASE}/intents", create_body(org, amount=-1, colour="red"), format="json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert "colour" in fields
    response = api.post(f"{BASE}/intents", create_body(org, amount=10.5), format="json")
    assert response.status_code == 400
    response = api.post(f"{BASE}/intents", create_body(org, purpose_type="nope"), format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "purpose_type"
    assert PaymentIntent.objects.count() == 0


def test_rest_cannot_credit_another_organizations_account(org, other_org, manager, client_for, providers):
    account = services.ledgering.owners_payable(other_org.public_id, "XOF")
    response = client_for(manager).post(
        f"{BASE}/intents", create_body(org, credit_account=str(account)), format="json"
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "credit_account"


def test_viewer_cannot_create(org, client_for, providers):
    viewer = member(org, Membership.Role.VIEWER)
    response = client_for(viewer).post(f"{BASE}/intents", create_body(org), format="json")
    assert response.status_code == 404


def test_list_my_payments_has_a_query_ceiling(
    org, manager, tenant, client_for, providers, django_assert_max_num_queries
):
    api = client_for(manager)
    for i in range(3):
        make_intent(org, purpose_id=str(i), payer=tenant)
    api.get(f"{BASE}/intents")  # warm the token caches

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(f"{BASE}/intents")
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()

    small, body = count()
    assert len(body["results"]) == 3
    for i in range(3, 25):
        make_intent(org, purpose_id=str(i), payer=tenant)
    large, body = count()
    assert len(body["results"]) == 25
    assert large == small
    with django_assert_max_num_queries(8):
        api.get(f"{BASE}/intents?status=created")
    # the payer sees it too, through their own list
    assert client_for(tenant).get(f"{BASE}/intents").json()["results"][0]["payer"] == str(tenant.public_id)


def test_start_an_attempt_with_the_sandbox(org, manager, client_for, providers):
    intent = make_intent(org)
    response = client_for(manager).post(
        f"{BASE}/intents/{intent.public_id}/attempts", {"method": "mobile_money"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["provider"] == "sandbox" and body["kind"] == "sandbox" and "/pay/sandbox/" in body["url"]


def test_cash_by_the_collector_app_is_idempotent(org, collector, client_for, providers):
    api = client_for(collector)
    body = {
        "organization": str(org.public_id),
        "amount": 20000,
        "description": "Loyer avril",
        "payer_name": "Estelle",
    }
    first = api.post(f"{BASE}/merchant/cash", body, format="json", HTTP_IDEMPOTENCY_KEY="cash-1")
    again = api.post(f"{BASE}/merchant/cash", body, format="json", HTTP_IDEMPOTENCY_KEY="cash-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["receipt_number"] == again.json()["receipt_number"] != ""
    assert PaymentIntent.objects.filter(status="succeeded").count() == 1
    report = api.get(f"{BASE}/merchant/cash-report").json()
    assert report["count"] == 1 and report["totals"][0]["amount"] == 20000


def test_refund_needs_a_step_up_and_never_exceeds_what_was_paid(
    org, collector, client_for, step_up, providers
):
    manager = member(org, Membership.Role.MANAGER)
    intent = make_intent(org, amount=10_000)
    services.cash_record(actor=collector, intent=intent)
    api = client_for(manager)
    url = f"{BASE}/intents/{intent.public_id}/refunds"
    no_otp = api.post(url, {"amount": 4000}, format="json")
    assert no_otp.status_code == 403 and no_otp.json()["code"] == "step_up_required"
    token = step_up(manager, "payments.intent.refund", intent.public_id, amount=4000, currency="XOF")
    ok = api.post(url, {"amount": 4000, "reason": "trop perçu", "step_up_token": token}, format="json")
    assert ok.status_code == 201, ok.content
    too_much = api.post(url, {"amount": 6001, "step_up_token": "x"}, format="json")
    assert too_much.status_code == 409 and too_much.json()["code"] == "refund_exceeds_paid"
    collector_try = client_for(collector).post(url, {"amount": 10}, format="json")
    assert collector_try.status_code == 403
    intent.refresh_from_db()
    assert intent.status == "partially_refunded" and intent.amount_refunded == 4000


def test_payout_accounts_and_payouts_need_a_step_up(org, client_for, step_up, providers):
    owner = member(org, Membership.Role.OWNER)
    kyb_approved(org, owner)
    api = client_for(owner)
    body = {
        "organization": str(org.public_id),
        "kind": "mobile_money",
        "holder_name": "Famille Adjovi",
        "phone": "+2290196000123",
        "operator": "mtn",
    }
    assert api.post(f"{BASE}/payout-accounts", body, format="json").status_code == 403
    token = step_up(owner, "payments.payout_account.create", f"{org.public_id}:+2290196000123")
    created = api.post(f"{BASE}/payout-accounts", {**body, "step_up_token": token}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["verified"] is True and created.json()["destination"] == "MTN ****0123"
    # fund the organization's balance (a cash payment), then pay out
    services.cash_record(actor=member(org, Membership.Role.COLLECTOR), intent=make_intent(org, amount=30_000))
    payout_body = {
        "organization": str(org.public_id),
        "payout_account": created.json()["id"],
        "amount": 25_000,
    }
    assert api.post(f"{BASE}/payouts", payout_body, format="json").status_code == 403
    token = step_up(owner, "payments.payout.create", org.public_id, amount=25_000, currency="XOF")
    with on_commit():
        response = api.post(f"{BASE}/payouts", {**payout_body, "step_up_token": token}, format="json")
    assert response.status_code == 201, response.content
    payout = Payout.objects.get()
    assert payout.status == "paid"
    listed = api.get(f"{BASE}/payouts").json()["results"]
    assert listed[0]["status"] == "paid"
    token = step_up(owner, "payments.payout_account.remove", created.json()["id"])
    removed = api.post(
        f"{BASE}/payout-accounts/{created.json()['id']}/remove", {"step_up_token": token}, format="json"
    )
    assert removed.status_code == 204
    assert not PayoutAccount.objects.get().is_active


# --- another organization's user gets 404 on every endpoint -----------------------------------


@pytest.fixture
def a_world(org, collector, providers):
    intent = make_intent(org)
    paid = make_intent(org, purpose_id="paid")
    services.cash_record(actor=collector, intent=paid)
    account = PayoutAccount.objects.create(
        organization=org,
        kind="mobile_money",
        phone="+2290196000999",
        operator="mtn",
        holder_name="A",
        verified_at=paid.succeeded_at,
    )
    return {"intent": intent, "paid": paid, "account": account}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/intents/{intent}", None),
        ("post", "/intents/{intent}/cancel", {}),
        ("post", "/intents/{intent}/attempts", {"method": "mobile_money"}),
        ("post", "/intents/{intent}/confirm", {"transaction_id": "x"}),
        ("post", "/intents/{intent}/wallet", {}),
        ("post", "/intents/{intent}/push", {"phone": "+2290197000001"}),
        ("post", "/intents/{paid}/refunds", {"amount": 1}),
        ("post", "/payout-accounts/{account}/remove", {}),
        ("post", "/intents", "create"),
        ("post", "/merchant/cash", "cash"),
        ("post", "/payouts", "payout"),
        ("post", "/payout-accounts", "account"),
    ],
)
def test_another_organizations_user_gets_404(a_world, org, outsider, client_for, method, path, body):
    ids = {k: v.public_id for k, v in a_world.items()}
    bodies = {
        "create": create_body(org),
        "cash": {"organization": str(org.public_id), "amount": 1000, "description": "x"},
        "payout": {"organization": str(org.public_id), "payout_account": str(ids["account"]), "amount": 1000},
        "account": {
            "organization": str(org.public_id),
            "kind": "mobile_money",
            "holder_name": "B",
            "phone": "+2290196000111",
            "operator": "mtn",
        },
    }
    body = bodies.get(body, body) if isinstance(body, str) else body
    response = getattr(client_for(outsider), method)(BASE + path.format(**ids), body, format="json")
    assert response.status_code == 404, (path, response.status_code, response.content)
    state = PaymentIntent.objects.get(pk=a_world["intent"].pk)
    assert state.status == "created" and not state.attempts.exists()


def test_lists_do_not_show_another_organizations_data(a_world, outsider, client_for):
    api = client_for(outsider)
    for path in ("/intents", "/payouts", "/payout-accounts"):
        assert api.get(BASE + path).json()["results"] == []
    assert api.get(f"{BASE}/payouts/{uuid.uuid4()}").status_code == 404
    assert api.get(f"{BASE}/merchant/cash-report").json()["count"] == 0


def test_anonymous_gets_401(a_world):
    from rest_framework.test import APIClient

    response = APIClient().get(f"{BASE}/intents/{a_world['intent'].public_id}")
    assert response.status_code == 401
