"""The billing page (/manager/billing/…, « Facturation »): French, the plan and its status,
the overdue banner with its pay button, usage and the estimate, invoices with PDF and pay
buttons, the payment method form, changing the plan (the proration shown on the confirmation
first), cancelling at the end of the term (a confirmation), buying credits; another
organization's invoice is a 404; the staff report is for finance staff."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from apps.billing.models import Customer, Subscription
from tests.identity.factories import UserFactory

from . import surfaces as w

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world():
    return w.agency()


def test_the_page_in_french_with_the_plan_the_banner_and_the_invoices(world, django_assert_max_num_queries):
    essentiel, _pro = w.plans()
    w.subscription(world.customer, essentiel, status="past_due")
    late = w.overdue(w.invoice(world.customer, key="late"))
    client = logged_in(world.owner)
    with django_assert_max_num_queries(40):
        html = client.get(reverse("manager:billing")).content.decode()
    assert "Facturation" in html and "Essentiel" in html
    assert 'data-testid="billing-banner"' in html and "17\u202f700" in html or "17 700" in html
    assert reverse("manager:billing-invoice-pay", args=[late.public_id]) in html
    assert reverse("manager:billing-invoice-pdf", args=[late.public_id]) in html
    assert 'data-testid="billing-estimate"' in html and 'data-testid="billing-usage"' in html
    for i in range(15):
        w.invoice(world.customer, 1_000, key=f"more{i}")
    with django_assert_max_num_queries(40):  # the same whatever the number of invoices
        assert client.get(reverse("manager:billing")).status_code == 200


def test_an_accountant_reads_without_the_buttons(world):
    w.invoice(world.customer, key="x")
    html = logged_in(world.accountant).get(reverse("manager:billing")).content.decode()
    assert 'data-testid="billing-invoice-pay"' not in html and 'data-testid="billing-change-plan"' not in html
    assert logged_in(world.accountant).get(reverse("manager:billing-payment-method")).status_code == 403


def test_refusals(world):
    row = w.invoice(world.customer, key="secret")
    other = w.agency("Agence B")
    client = logged_in(other.owner)
    for name in ("manager:billing-invoice", "manager:billing-invoice-pdf"):
        assert client.get(reverse(name, args=[row.public_id])).status_code == 404
    assert client.post(reverse("manager:billing-invoice-pay", args=[row.public_id])).status_code == 404
    page = client.get(reverse("manager:billing"), {"organization": str(world.org.public_id)})
    assert page.status_code == 404
    assert logged_in(world.collector).get(reverse("manager:billing")).status_code == 403
    assert logged_in(UserFactory()).get(reverse("manager:billing")).status_code == 403
    anonymous = Client().get(reverse("manager:billing"))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_an_invoice_its_lines_and_its_pdf(world):
    row = w.invoice(world.customer, 15_000, key="detail")
    client = logged_in(world.owner)
    html = client.get(reverse("manager:billing-invoice", args=[row.public_id])).content.decode()
    assert row.number in html and "Abonnement Agence" in html and "18 %" in html
    pdf = client.get(reverse("manager:billing-invoice-pdf", args=[row.public_id]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    invoices = client.get(reverse("manager:billing-invoices")).content.decode()
    assert row.number in invoices


def test_pay_an_invoice_goes_to_its_pay_link(world):
    row = w.invoice(world.customer, key="pay")
    response = logged_in(world.owner).post(reverse("manager:billing-invoice-pay", args=[row.public_id]))
    assert response.status_code == 302 and "/pay/" in response["Location"]


def test_the_payment_method_form(world):
    client = logged_in(world.owner)
    url = reverse("manager:billing-payment-method")
    assert "Numéro mobile money" in client.get(url).content.decode()
    org = str(world.org.public_id)
    bad = client.post(
        url, {"method": "mobile_money", "payer_phone": "12", "provider": "sandbox", "organization": org}
    )
    assert bad.status_code == 200 and "field-error" in bad.content.decode()
    good = client.post(
        url,
        {"method": "mobile_money", "payer_phone": "0197112233", "provider": "sandbox", "organization": org},
    )
    assert good.status_code == 302
    assert Customer.objects.get(pk=world.customer.pk).payer_phone == "+2290197112233"


def test_change_plan_shows_the_proration_then_changes(world):
    essentiel, pro = w.plans()
    start = date.today().replace(day=1)
    w.subscription(world.customer, essentiel, start=start)
    client = logged_in(world.owner)
    plans = client.get(reverse("manager:billing-plans")).content.decode()
    assert "Pro" in plans and 'data-testid="billing-plan-now"' in plans
    url = reverse("manager:billing-plan-choose", args=[pro.public_id])
    page = client.get(url, {"timing": "now", "organization": str(world.org.public_id)})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="confirm"' in html
    assert "Crédité pour la partie non utilisée" in html
    assert Subscription.objects.get(customer=world.customer).version == essentiel  # nothing done yet
    form = {"organization": str(world.org.public_id), "timing": "now", "key": "k1", "confirm_step": "confirm"}
    done = client.post(url, form)
    assert done.status_code == 302, done.content.decode()[:2000]
    assert Subscription.objects.get(customer=world.customer).version == pro


def test_cancel_asks_confirmation(world):
    essentiel, _pro = w.plans()
    w.subscription(world.customer, essentiel)
    client = logged_in(world.owner)
    url = reverse("manager:billing-cancel")
    assert 'data-testid="confirm-acknowledge"' in client.get(url).content.decode()
    form = {"organization": str(world.org.public_id), "key": "c1", "confirm_step": "confirm"}
    refused = client.post(url, form)
    assert (
        refused.status_code == 200
        and not Subscription.objects.get(customer=world.customer).cancel_at_period_end
    )
    done = client.post(url, {**form, "acknowledge": "on"})
    assert done.status_code == 302
    assert Subscription.objects.get(customer=world.customer).cancel_at_period_end


def test_subscribe_from_the_free_plan(world):
    essentiel, _pro = w.plans()
    client = logged_in(world.owner)
    html = client.get(reverse("manager:billing")).content.decode()
    assert 'data-testid="billing-free"' in html
    url = reverse("manager:billing-plan-choose", args=[essentiel.public_id])
    done = client.post(
        url, {"organization": str(world.org.public_id), "key": "s1", "confirm_step": "confirm"}
    )
    assert done.status_code == 302
    assert Subscription.objects.get(customer=world.customer).version == essentiel


def test_buy_credits(world):
    client = logged_in(world.owner)
    url = reverse("manager:billing-credits")
    assert client.get(url).status_code == 200
    done = client.post(url, {"amount": "20000", "organization": str(world.org.public_id), "key": "b1"})
    assert done.status_code == 302 and "/pay/" in done["Location"]


def test_the_staff_report_is_for_finance_staff(world):
    url = reverse("manager:billing-staff")
    assert logged_in(world.owner).get(url).status_code == 403
    assert logged_in(UserFactory(is_staff=True, staff_role="support")).get(url).status_code == 403
    finance = UserFactory(is_staff=True, staff_role="finance")
    html = logged_in(finance).get(url).content.decode()
    assert "MRR" in html and 'data-testid="billing-churn"' in html
