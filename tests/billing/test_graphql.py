"""Billing's GraphQL fields (billing…): the same reads and writes as REST, scoped to the
caller's organization; refusals as typed errors."""

from __future__ import annotations

import pytest

from apps.billing.models import Customer, Subscription
from tests.helpers import bearer_client, gql, gql_response

from . import surfaces as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return w.agency()


def test_the_account_plans_usage_and_invoices(world, django_assert_max_num_queries):
    essentiel, _pro = w.plans()
    w.subscription(world.customer, essentiel)
    for i in range(3):
        w.invoice(world.customer, 10_000, key=f"g{i}")
    client = bearer_client(world.accountant)
    data = gql(
        client,
        """{ billingOrganizations { id name }
             billingAccount { subscription { plan status } credits { amount } amountOverdue { amount } }
             billingPlans { plan prices { amount { amount currency } } }
             billingUsage { usage { metric } estimate { total { amount } } } }""",
    )
    assert data["billingOrganizations"] == [{"id": str(world.org.public_id), "name": world.org.name}]
    assert data["billingAccount"]["subscription"] == {"plan": "essentiel", "status": "active"}
    assert data["billingAccount"]["amountOverdue"]["amount"] == 3 * 11_800
    assert [p["plan"] for p in data["billingPlans"]] == ["essentiel", "pro"]
    assert data["billingUsage"]["estimate"]["total"]["amount"] == 11_800
    query = "{ billingInvoices(first: 50) { id number total { amount } status } }"
    with django_assert_max_num_queries(10):
        rows = gql(client, query)["billingInvoices"]
    assert len(rows) == 3
    for i in range(10):
        w.invoice(world.customer, 10_000, key=f"more{i}")
    with django_assert_max_num_queries(10):
        assert len(gql(client, query)["billingInvoices"]) == 13
    one = gql(
        client,
        "query($id: UUID!) { billingInvoice(invoiceId: $id) { number lines { amount { amount } tax { amount } } } }",
        {"id": rows[0]["id"]},
    )["billingInvoice"]
    assert one["lines"] == [{"amount": {"amount": 10_000}, "tax": {"amount": 1_800}}]


def test_another_organizations_invoice_is_null(world):
    row = w.invoice(world.customer, key="secret")
    other = w.agency("Agence B")
    client = bearer_client(other.owner)
    data = gql(
        client, "query($id: UUID!) { billingInvoice(invoiceId: $id) { number } }", {"id": str(row.public_id)}
    )
    assert data["billingInvoice"] is None
    assert gql(client, "{ billingInvoices { number } }")["billingInvoices"] == []
    body = gql_response(
        client,
        "query($o: UUID) { billingInvoices(organization: $o) { number } }",
        {"o": str(world.org.public_id)},
    )
    assert "errors" in body and row.number not in str(body)


def test_the_writes(world):
    essentiel, pro = w.plans()
    client = bearer_client(world.owner)
    sub = gql(
        client,
        'mutation($p: UUID!) { billingSubscribe(plan: $p, idempotencyKey: "s1") { ok errors { code } '
        "account { subscription { plan } } } }",
        {"p": str(essentiel.public_id)},
    )["billingSubscribe"]
    assert sub["ok"] and sub["account"]["subscription"]["plan"] == "essentiel"
    change = gql(
        client,
        'mutation($p: UUID!) { billingChangePlan(plan: $p, timing: "period_end", idempotencyKey: "c1") '
        "{ ok errors { code } change { timing subscription { plan pendingPlan } } } }",
        {"p": str(pro.public_id)},
    )["billingChangePlan"]
    assert change["ok"], change
    assert change["change"]["subscription"] == {"plan": "essentiel", "pendingPlan": "pro"}
    method = gql(
        client,
        'mutation { billingSetPaymentMethod(method: "mobile_money", payerPhone: "0197112233", provider: "sandbox") '
        "{ ok errors { field code } paymentMethod { payerPhone } } }",
    )["billingSetPaymentMethod"]
    assert method["ok"] and method["paymentMethod"]["payerPhone"] == "+2290197112233"
    bad = gql(
        client,
        'mutation { billingSetPaymentMethod(method: "mobile_money", payerPhone: "1", provider: "sandbox") '
        "{ ok errors { field code } } }",
    )["billingSetPaymentMethod"]
    assert bad == {
        "ok": False,
        "errors": [{"field": "payer_phone", "code": "billing_invalid_payment_method"}],
    }
    cancel = gql(
        client,
        'mutation { billingCancelSubscription(idempotencyKey: "x1") { ok account { subscription { cancelAtPeriodEnd } } } }',
    )["billingCancelSubscription"]
    assert cancel["ok"] and cancel["account"]["subscription"]["cancelAtPeriodEnd"] is True
    assert Subscription.objects.get(customer=world.customer).cancel_at_period_end
    credits = gql(
        client,
        'mutation { billingBuyCredits(amount: 5000, idempotencyKey: "b1") { ok errors { code } invoice { kind total { amount } } } }',
    )["billingBuyCredits"]
    assert credits["ok"], credits
    assert credits["invoice"] == {"kind": "credits", "total": {"amount": 5_000}}
    row = w.invoice(world.customer, key="pay")
    link = gql(
        client,
        "mutation($i: UUID!) { billingCreateInvoicePayLink(invoiceId: $i) { ok errors { code } payLink { payUrl amount { amount } } } }",
        {"i": str(row.public_id)},
    )["billingCreateInvoicePayLink"]
    row.refresh_from_db()  # prepaid credits paid part of it first
    assert link["ok"] and link["payLink"]["amount"]["amount"] == row.amount_due > 0


def test_an_accountant_cannot_write(world):
    client = bearer_client(world.accountant)
    result = gql(client, 'mutation { billingSetPaymentMethod(method: "card") { ok errors { code } } }')
    assert result["billingSetPaymentMethod"] == {"ok": False, "errors": [{"code": "forbidden"}]}
    assert Customer.objects.get(pk=world.customer.pk).method == "mobile_money"
