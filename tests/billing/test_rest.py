"""Billing's REST surface (/api/v1/billing/…): the organization's subscription, plans,
invoices (cursor pages, a query ceiling), one invoice with its lines, its PDF, usage and the
next invoice's estimate; the writes (subscribe, change plan, cancel, pay link, payment
method, buy credits) with an Idempotency-Key; refusals as problem details."""

from __future__ import annotations

import uuid

import pytest

from apps.billing.models import Customer, Invoice, Subscription
from tests.helpers import bearer_client

from . import surfaces as w

pytestmark = pytest.mark.django_db

API = "/api/v1/billing"


def _key():
    return {"HTTP_IDEMPOTENCY_KEY": uuid.uuid4().hex}


@pytest.fixture
def world():
    return w.agency()


def test_the_subscription_of_the_callers_organization(world):
    essentiel, _pro = w.plans()
    sub = w.subscription(world.customer, essentiel)
    w.overdue(w.invoice(world.customer, key="a"))
    body = bearer_client(world.accountant).get(f"{API}/subscription").json()
    assert body["organization"]["id"] == str(world.org.public_id)
    assert body["subscription"]["id"] == str(sub.public_id)
    assert body["subscription"]["plan"] == "essentiel" and body["subscription"]["status"] == "active"
    assert (body["amount_overdue"]["amount"], body["amount_overdue"]["currency"]) == (17_700, "XOF")
    assert body["credits"]["amount"] == 0
    assert body["payment_method"]["method"] == "mobile_money"


def test_no_subscription_is_the_free_plan(world):
    body = bearer_client(world.owner).get(f"{API}/subscription").json()
    assert body["subscription"] is None


def test_collectors_and_strangers_do_not_read_the_billing(world):
    assert bearer_client(world.collector).get(f"{API}/subscription").status_code == 404
    other = w.agency("Agence B")
    response = bearer_client(other.owner).get(
        f"{API}/subscription", {"organization": str(world.org.public_id)}
    )
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_several_organizations_must_name_one(world):
    from tests.identity.factories import MembershipFactory, OrganizationFactory

    MembershipFactory(organization=OrganizationFactory(name="Deuxième"), user=world.owner, role="owner")
    client = bearer_client(world.owner)
    response = client.get(f"{API}/subscription")
    assert response.status_code == 400 and response.json()["code"] == "billing_organization_required"
    assert client.get(f"{API}/subscription", {"organization": str(world.org.public_id)}).status_code == 200


def test_plans_offered_are_the_public_published_versions(world):
    from apps.billing.models import Plan

    essentiel, pro = w.plans()
    hidden = w.make_plan("interne", name="Interne", position=9)
    Plan.objects.filter(pk=hidden.plan_id).update(is_public=False)
    body = bearer_client(world.accountant).get(f"{API}/plans").json()
    assert [p["plan"] for p in body] == ["essentiel", "pro"]
    assert body[0]["id"] == str(essentiel.public_id)
    assert body[0]["prices"][0]["amount"]["amount"] == 10_000


def test_invoices_pages_and_query_ceiling(world, django_assert_max_num_queries):
    for i in range(5):
        w.invoice(world.customer, 1_000 * (i + 1), key=f"k{i}")
    client = bearer_client(world.accountant)
    with django_assert_max_num_queries(12):
        first = client.get(f"{API}/invoices", {"page_size": 3}).json()
    assert [i["total"]["amount"] for i in first["results"]] == [5_900, 4_720, 3_540]
    rest = client.get(first["next"]).json()
    assert [i["total"]["amount"] for i in rest["results"]] == [2_360, 1_180]
    for i in range(20):
        w.invoice(world.customer, 1_000, key=f"more{i}")
    with django_assert_max_num_queries(12):  # the same whatever the number of invoices
        assert len(client.get(f"{API}/invoices").json()["results"]) == 25


def test_an_invoice_with_its_lines_and_its_pdf(world):
    row = w.invoice(world.customer, 15_000, key="detail")
    client = bearer_client(world.accountant)
    body = client.get(f"{API}/invoices/{row.public_id}").json()
    assert body["number"] == row.number and body["status"] == "open"
    assert body["lines"][0]["amount"]["amount"] == 15_000 and body["lines"][0]["tax"]["amount"] == 2_700
    assert body["tax"]["amount"] == 2_700 and body["total"]["amount"] == 17_700
    assert body["seller"]["tax_id"] and body["buyer"]["tax_id"] == "3201900000123"
    pdf = client.get(f"{API}/invoices/{row.public_id}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_another_organizations_invoice_is_a_404(world):
    row = w.invoice(world.customer, key="secret")
    other = w.agency("Agence B")
    client = bearer_client(other.owner)
    for path in (f"{API}/invoices/{row.public_id}", f"{API}/invoices/{row.public_id}/pdf"):
        assert client.get(path).status_code == 404
    assert client.post(f"{API}/invoices/{row.public_id}/pay-link", **_key()).status_code == 404
    assert client.get(f"{API}/invoices").json()["results"] == []


def test_a_draft_is_not_shown(world):
    from apps.billing.contracts import InvoiceKind
    from apps.billing.services import invoices as core

    draft = core.draft(customer=world.customer, kind=InvoiceKind.ONE_OFF, origin_key="draft")
    client = bearer_client(world.owner)
    assert client.get(f"{API}/invoices/{draft.public_id}").status_code == 404
    assert client.get(f"{API}/invoices").json()["results"] == []


def test_the_payment_method(world):
    client = bearer_client(world.owner)
    body = {"method": "mobile_money", "payer_phone": "01 97 11 22 33", "provider": "sandbox"}
    response = client.put(f"{API}/payment-method", body, format="json", **_key())
    assert response.status_code == 200, response.content
    assert response.json()["payer_phone"] == "+2290197112233"
    customer = Customer.objects.get(pk=world.customer.pk)
    assert (customer.method, customer.payer_phone, customer.provider) == (
        "mobile_money",
        "+2290197112233",
        "sandbox",
    )
    bad = client.put(f"{API}/payment-method", {**body, "payer_phone": "12"}, format="json", **_key())
    assert bad.status_code == 400 and bad.json()["code"] == "billing_invalid_payment_method"
    unknown = client.put(f"{API}/payment-method", {**body, "provider": "nowhere"}, format="json", **_key())
    assert unknown.status_code == 400
    typo = client.put(f"{API}/payment-method", {**body, "phone": "x"}, format="json", **_key())
    assert typo.status_code == 400  # StrictSerializer: unknown field
    card = client.put(f"{API}/payment-method", {"method": "card"}, format="json", **_key())
    assert card.json() == {**card.json(), "method": "card", "payer_phone": ""}
    assert client.get(f"{API}/payment-method").json()["method"] == "card"


def test_an_accountant_reads_but_does_not_change(world):
    client = bearer_client(world.accountant)
    response = client.put(f"{API}/payment-method", {"method": "card"}, format="json", **_key())
    assert response.status_code == 403
    assert Customer.objects.get(pk=world.customer.pk).method == "mobile_money"


def test_subscribe_change_and_cancel(world):
    essentiel, pro = w.plans()
    client = bearer_client(world.owner)
    response = client.post(f"{API}/subscription", {"plan": str(essentiel.public_id)}, format="json", **_key())
    assert response.status_code == 201, response.content
    assert response.json()["subscription"]["plan"] == "essentiel"
    key = _key()
    change = client.post(
        f"{API}/subscription/change", {"plan": str(pro.public_id), "timing": "now"}, format="json", **key
    )
    assert change.status_code == 200, change.content
    assert change.json()["subscription"]["plan"] == "pro" and change.json()["timing"] == "now"
    invoices = Invoice.objects.filter(customer=world.customer).count()
    again = client.post(
        f"{API}/subscription/change", {"plan": str(pro.public_id), "timing": "now"}, format="json", **key
    )
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert Invoice.objects.filter(customer=world.customer).count() == invoices  # prorated once
    bad = client.post(
        f"{API}/subscription/change",
        {"plan": str(essentiel.public_id), "timing": "soon"},
        format="json",
        **_key(),
    )
    assert bad.status_code == 400
    cancel = client.post(f"{API}/subscription/cancel", {}, format="json", **_key())
    assert cancel.status_code == 200, cancel.content
    assert cancel.json()["subscription"]["cancel_at_period_end"] is True
    assert Subscription.objects.get(customer=world.customer).cancel_at_period_end


def test_a_plan_not_offered_is_refused(world):
    client = bearer_client(world.owner)
    response = client.post(f"{API}/subscription", {"plan": str(uuid.uuid4())}, format="json", **_key())
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_pay_link_and_buy_credits(world):
    row = w.invoice(world.customer, key="topay")
    client = bearer_client(world.owner)
    link = client.post(f"{API}/invoices/{row.public_id}/pay-link", **_key())
    assert link.status_code == 201, link.content
    assert link.json()["amount"]["amount"] == 17_700 and "/pay/" in link.json()["pay_url"]
    bought = client.post(f"{API}/credits", {"amount": 20_000}, format="json", **_key())
    assert bought.status_code == 201, bought.content
    assert bought.json()["kind"] == "credits" and bought.json()["total"]["amount"] == 20_000


def test_usage_and_the_estimate(world):
    essentiel, _pro = w.plans()
    w.subscription(world.customer, essentiel)
    body = bearer_client(world.accountant).get(f"{API}/usage").json()
    assert body["usage"] == []
    estimate = body["estimate"]
    assert estimate["subtotal"]["amount"] == 10_000
    assert estimate["tax"]["amount"] == 1_800 and estimate["total"]["amount"] == 11_800
