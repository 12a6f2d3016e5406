"""The tenant calls an app needs (issue 17, item 9), on REST and GraphQL: pay a lease (the
balance, a part, ahead: the pay link's rules) with an idempotency key, one due with its pay
URL, one receipts list of both kinds (quittances Q… and payment receipts R…), and an intent
showing the provider and method of the attempt under way."""

import pytest
from django.test import TestCase

from apps.estate import services
from apps.estate.models import Lease, RentDue
from apps.payments import api as payments
from apps.payments.models import PaymentIntent
from tests.helpers import bearer_client, gql
from tests.identity.factories import UserFactory

from .conftest import make_lease
from .factories import UnitFactory

pytestmark = pytest.mark.django_db

PAY = """mutation($leaseId: UUID!, $choice: String!, $amount: Amount, $key: String) {
  estatePayMyLease(leaseId: $leaseId, choice: $choice, amount: $amount, idempotencyKey: $key) {
    ok errors { field code message }
    intent { intentId status amount { amount currency } payUrl provider method expiresAt choice }
  }
}"""

MY_DUE = """query($id: UUID!) { estateMyDue(dueId: $id) {
  id kind period status total { amount } paid { amount } outstanding { amount } payUrl } }"""

MY_DUES = "query { estateMyDues { id status payUrl } }"

MY_RECEIPTS = """query($first: Int) { estateMyReceipts(first: $first) {
  id kind number code dueId dueKind period date amount { amount currency } voided verifyUrl pdfUrl } }"""


@pytest.fixture
def sandbox(settings):
    settings.PAYMENT_PROVIDERS = ["sandbox"]
    settings.PAYMENT_ROUTES = ""
    return settings


@pytest.fixture
def small_lease(clock, manager, unit, tenant):
    """40 000 a month from 1 January: January, February and March are owed (120 000)."""
    return make_lease(manager, unit, tenant, rent=40_000, charges=0, deposit_months=0)


@pytest.fixture
def api(clock, tenant):
    """The tenant app (its token issued on the tests' calendar)."""
    return bearer_client(tenant)


def pay_path(lease) -> str:
    return f"/api/v1/estate/me/leases/{lease.public_id}/pay"


def pay_through_sandbox(client, pay_url: str):
    """payments' pay page → the sandbox provider → approve (its webhook applies the money)."""
    token = pay_url.rstrip("/").rsplit("/", 1)[-1]
    start = client.post(f"/pay/{token}/start", {"method": "mobile_money"})
    assert start.status_code == 302 and "/pay/sandbox/" in start["Location"], start
    with TestCase.captureOnCommitCallbacks(execute=True):
        approved = client.post(start["Location"], {"decision": "approve", "next": f"/pay/{token}/callback"})
    assert approved.status_code == 302


# --- pay my lease ------------------------------------------------------------------------------------


def test_rest_pays_the_whole_balance_in_one_intent_and_a_replay_returns_it(api, small_lease):
    first = api.post(pay_path(small_lease), {"choice": "balance"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["amount"] == {"amount": 120_000, "currency": "XOF", "formatted": body["amount"]["formatted"]}
    assert body["status"] == "created" and body["choice"] == "balance"
    assert "/pay/" in body["pay_url"] and body["provider"] == "" and body["method"] == ""
    again = api.post(pay_path(small_lease), {"choice": "balance"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == body
    assert PaymentIntent.objects.count() == 1
    other_body = api.post(
        pay_path(small_lease), {"choice": "part", "amount": 5_000}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other_body.status_code == 409  # the same key for another request


def test_graphql_pays_the_balance_and_a_replay_returns_the_same_intent(api, small_lease):
    variables = {"leaseId": str(small_lease.public_id), "choice": "balance", "key": "g-1"}
    first = gql(api, PAY, variables)["estatePayMyLease"]
    assert first["ok"] and first["errors"] == []
    assert first["intent"]["amount"]["amount"] == 120_000 and first["intent"]["status"] == "created"
    again = gql(api, PAY, variables)["estatePayMyLease"]
    assert again["intent"]["intentId"] == first["intent"]["intentId"]
    assert PaymentIntent.objects.count() == 1


def test_paying_the_balance_through_the_sandbox_settles_every_due_oldest_first(
    client, api, sandbox, small_lease
):
    answer = api.post(pay_path(small_lease), {"choice": "balance"}, format="json")
    assert answer.status_code == 201
    pay_through_sandbox(client, answer.json()["pay_url"])
    assert set(RentDue.objects.filter(lease=small_lease).values_list("status", flat=True)) == {"paid"}
    small_lease.refresh_from_db()
    assert small_lease.credit == 0


@pytest.mark.parametrize(("amount", "code"), [(3_999, "part_below_floor"), (120_001, "amount_above_balance")])
def test_a_part_out_of_bounds_is_refused_with_its_code_on_both_transports(api, small_lease, amount, code):
    rest = api.post(pay_path(small_lease), {"choice": "part", "amount": amount}, format="json")
    assert rest.status_code == 400 and rest.json()["code"] == code, rest.content
    graph = gql(api, PAY, {"leaseId": str(small_lease.public_id), "choice": "part", "amount": amount})
    assert not graph["estatePayMyLease"]["ok"]
    assert graph["estatePayMyLease"]["errors"][0]["code"] == code
    assert not PaymentIntent.objects.exists()


def test_a_part_at_the_floor_pays_that_amount(api, small_lease):
    answer = api.post(pay_path(small_lease), {"choice": "part", "amount": 4_000}, format="json")
    assert answer.status_code == 201 and answer.json()["amount"]["amount"] == 4_000


def test_ahead_pays_the_balance_and_next_month(api, small_lease):
    answer = api.post(pay_path(small_lease), {"choice": "ahead"}, format="json")
    assert answer.status_code == 201 and answer.json()["amount"]["amount"] == 160_000


def test_nothing_due_is_refused(api, manager, small_lease):
    services.payment_record(actor=manager, lease=small_lease, amount=120_000, method="bank_transfer")
    rest = api.post(pay_path(small_lease), {"choice": "balance"}, format="json")
    assert rest.status_code in (400, 409) and rest.json()["code"] == "nothing_due"
    graph = gql(api, PAY, {"leaseId": str(small_lease.public_id), "choice": "balance"})
    assert graph["estatePayMyLease"]["errors"][0]["code"] == "nothing_due"


def test_another_tenants_lease_is_404_and_creates_nothing(manager, small_lease):
    stranger = bearer_client(UserFactory())
    assert stranger.post(pay_path(small_lease), {"choice": "balance"}, format="json").status_code == 404
    graph = gql(stranger, PAY, {"leaseId": str(small_lease.public_id), "choice": "balance"})
    assert not graph["estatePayMyLease"]["ok"] and graph["estatePayMyLease"]["intent"] is None
    # the lease's manager is no tenant: 404 on the tenant call too
    assert (
        bearer_client(manager).post(pay_path(small_lease), {"choice": "balance"}, format="json").status_code
        == 404
    )
    assert not PaymentIntent.objects.exists()


def test_an_unknown_choice_is_refused(api, small_lease):
    assert api.post(pay_path(small_lease), {"choice": "all"}, format="json").status_code == 400
    graph = gql(api, PAY, {"leaseId": str(small_lease.public_id), "choice": "all"})
    assert graph["estatePayMyLease"]["errors"][0]["field"] == "choice"


# --- one due, with its pay URL -------------------------------------------------------------------------


def test_my_due_shows_its_pay_url_until_paid(api, manager, small_lease):
    due = RentDue.objects.filter(lease=small_lease).order_by("period").first()
    rest = api.get(f"/api/v1/estate/me/dues/{due.public_id}")
    assert rest.status_code == 200
    body = rest.json()
    assert (
        body["kind"] == "rent" and body["period"] == "2026-01-01" and body["outstanding"]["amount"] == 40_000
    )
    assert body["pay_url"].startswith("http") and body["pay_url"].endswith(f"/pay/rent/{due.pay_token}")
    graph = gql(api, MY_DUE, {"id": str(due.public_id)})["estateMyDue"]
    assert graph["payUrl"] == body["pay_url"] and graph["kind"] == "rent"
    listed = {d["id"]: d["pay_url"] for d in api.get("/api/v1/estate/me/dues").json()["results"]}
    assert listed[str(due.public_id)] == body["pay_url"]
    assert {d["id"]: d["payUrl"] for d in gql(api, MY_DUES)["estateMyDues"]}[str(due.public_id)] == body[
        "pay_url"
    ]

    services.payment_record(actor=manager, lease=small_lease, amount=40_000, method="bank_transfer")
    assert api.get(f"/api/v1/estate/me/dues/{due.public_id}").json()["pay_url"] is None
    assert gql(api, MY_DUE, {"id": str(due.public_id)})["estateMyDue"]["payUrl"] is None


def test_another_tenants_due_is_404_and_null(manager, small_lease):
    due = RentDue.objects.filter(lease=small_lease).first()
    stranger = bearer_client(UserFactory())
    assert stranger.get(f"/api/v1/estate/me/dues/{due.public_id}").status_code == 404
    assert gql(stranger, MY_DUE, {"id": str(due.public_id)})["estateMyDue"] is None
    # the manager sees it on estate/dues/{id}, not as a tenant
    assert bearer_client(manager).get(f"/api/v1/estate/me/dues/{due.public_id}").status_code == 404


# --- one receipts list -----------------------------------------------------------------------------------


def test_receipts_list_both_kinds_with_their_links(client, api, sandbox, manager, small_lease):
    # January by bank transfer (a quittance only), then the rest through the sandbox (a payment receipt)
    services.payment_record(actor=manager, lease=small_lease, amount=40_000, method="bank_transfer")
    answer = api.post(pay_path(small_lease), {"choice": "balance"}, format="json")
    pay_through_sandbox(client, answer.json()["pay_url"])

    rest = api.get("/api/v1/estate/me/receipts")
    assert rest.status_code == 200
    lines = rest.json()["results"]
    kinds = [line["kind"] for line in lines]
    assert kinds.count("quittance") == 3 and kinds.count("payment") == 1
    payment = next(line for line in lines if line["kind"] == "payment")
    assert payment["amount"]["amount"] == 80_000 and payment["id"] == answer.json()["intent"]
    assert payment["verify_url"].endswith(f"/r/{payment['code']}") and payment["pdf_url"] is None
    assert payment["number"] == PaymentIntent.objects.get().receipt_number != ""
    quittance = next(line for line in lines if line["kind"] == "quittance")
    assert f"/r/q/{quittance['code']}" in quittance["verify_url"]
    assert quittance["pdf_url"].endswith(f"/api/v1/estate/receipts/{quittance['id']}/pdf")
    assert quittance["due"] and quittance["due_kind"] == "rent" and quittance["period"]
    pdf = api.get(f"/api/v1/estate/receipts/{quittance['id']}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"

    graph = gql(api, MY_RECEIPTS)["estateMyReceipts"]
    assert [(g["id"], g["kind"], g["number"]) for g in graph] == [
        (line["id"], line["kind"], line["number"]) for line in lines
    ]
    g_quittance = next(g for g in graph if g["kind"] == "quittance")
    assert g_quittance["dueId"] and g_quittance["pdfUrl"] and g_quittance["verifyUrl"]


def test_a_payment_on_one_due_names_it(client, api, sandbox, small_lease):
    due = RentDue.objects.filter(lease=small_lease).order_by("period").first()
    link = api.post(f"/api/v1/estate/dues/{due.public_id}/pay-link")
    assert link.status_code == 201
    pay_through_sandbox(client, link.json()["pay_url"])
    lines = api.get("/api/v1/estate/me/receipts").json()["results"]
    payment = next(line for line in lines if line["kind"] == "payment")
    assert payment["due"] == str(due.public_id) and payment["period"] == "2026-01-01"


def test_receipts_pages_run_across_both_kinds(client, api, sandbox, manager, small_lease):
    services.payment_record(actor=manager, lease=small_lease, amount=40_000, method="bank_transfer")
    pay_through_sandbox(
        client, api.post(pay_path(small_lease), {"choice": "balance"}, format="json").json()["pay_url"]
    )
    everything = [line["id"] for line in api.get("/api/v1/estate/me/receipts").json()["results"]]
    seen, url = [], "/api/v1/estate/me/receipts?page_size=1"
    while url:
        page = api.get(url).json()
        seen += [line["id"] for line in page["results"]]
        url = page["next"]
    assert seen == everything and len(seen) == 4
    assert api.get("/api/v1/estate/me/receipts?cursor=bad").status_code == 400


def test_another_tenant_sees_none_of_the_receipts(api, manager, small_lease):
    services.payment_record(actor=manager, lease=small_lease, amount=120_000, method="bank_transfer")
    assert len(api.get("/api/v1/estate/me/receipts").json()["results"]) == 3
    stranger = bearer_client(UserFactory())
    assert stranger.get("/api/v1/estate/me/receipts").json()["results"] == []
    assert gql(stranger, MY_RECEIPTS)["estateMyReceipts"] == []


def _more_leases(manager, prop, tenant, count: int):
    for n in range(count):
        lease = make_lease(
            manager,
            UnitFactory(property=prop, label=f"X{n}"),
            tenant,
            rent=10_000,
            charges=0,
            deposit_months=0,
        )
        services.payment_record(actor=manager, lease=lease, amount=30_000, method="bank_transfer")


def test_the_lists_have_a_query_ceiling_whatever_their_length(
    client, api, sandbox, manager, prop, tenant, small_lease, django_assert_max_num_queries
):
    pay_through_sandbox(
        client, api.post(pay_path(small_lease), {"choice": "balance"}, format="json").json()["pay_url"]
    )

    def read_all():
        with django_assert_max_num_queries(12):
            assert api.get("/api/v1/estate/me/receipts").status_code == 200
        with django_assert_max_num_queries(12):
            assert api.get("/api/v1/estate/me/dues").status_code == 200
        with django_assert_max_num_queries(12):
            gql(api, MY_RECEIPTS)
        with django_assert_max_num_queries(12):
            gql(api, MY_DUES)

    read_all()
    _more_leases(manager, prop, tenant, 4)  # 12 more dues and receipts
    assert len(api.get("/api/v1/estate/me/receipts").json()["results"]) > 12
    read_all()


# --- the intent shows its attempt under way -------------------------------------------------------------------

INTENT = "query($id: UUID!) { paymentsIntent(id: $id) { status provider method } }"


def test_a_pending_intent_shows_the_provider_and_method_of_its_attempt(api, sandbox, small_lease):
    intent_id = api.post(pay_path(small_lease), {"choice": "balance"}, format="json").json()["intent"]
    before = api.get(f"/api/v1/payments/intents/{intent_id}").json()
    assert (before["status"], before["provider"], before["method"]) == ("created", "", "")
    payments.start_payment(intent=intent_id, method="mobile_money", provider="sandbox")
    rest = api.get(f"/api/v1/payments/intents/{intent_id}").json()
    assert (rest["status"], rest["provider"], rest["method"]) == ("pending", "sandbox", "mobile_money")
    listed = {i["id"]: i for i in api.get("/api/v1/payments/intents").json()["results"]}
    assert (listed[intent_id]["provider"], listed[intent_id]["method"]) == ("sandbox", "mobile_money")
    graph = gql(api, INTENT, {"id": intent_id})["paymentsIntent"]
    assert graph == {"status": "pending", "provider": "sandbox", "method": "mobile_money"}


def test_the_lease_floor_of_the_agency_applies(api, small_lease):
    Lease.objects.filter(pk=small_lease.pk).update(min_part_payment=30_000)
    refused = api.post(pay_path(small_lease), {"choice": "part", "amount": 20_000}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "part_below_floor"
    assert (
        api.post(pay_path(small_lease), {"choice": "part", "amount": 30_000}, format="json").status_code
        == 201
    )
