"""The billing page in a browser at 390 px and 1366 px, clicking as an agency owner does:
« Facturation » → the plan, the overdue banner, usage and the estimate, the invoices → an
invoice → the plans → change now (the proration on the confirmation) → confirm → the payment
method form → cancel at the end of the term (the box to tick). No horizontal overflow, no
console error, no 500."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.fixtures.browser import check_widths, session_cookie

from . import surfaces as w

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_owner_handles_the_billing_in_a_browser(browser, live_server):
    from apps.billing.models import Customer, Subscription

    world = w.agency()
    essentiel, pro = w.plans()
    w.subscription(world.customer, essentiel, start=date.today().replace(day=1))
    w.overdue(w.invoice(world.customer, key="late"))
    w.invoice(world.customer, 9_000, key="other")
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    context.add_cookies([session_cookie(world.owner, base)])
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    page.on("response", lambda r: console.append(f"HTTP {r.status} {r.url}") if r.status >= 500 else None)
    problems: list[str] = []
    try:
        page.goto(base + reverse("manager:billing"))
        page.get_by_test_id("billing-banner").wait_for()
        page.get_by_test_id("billing-estimate").wait_for()
        check_widths(page, "billing-home", problems, console)
        page.locator("[data-testid=billing-invoice-row] a").first.click()
        page.get_by_test_id("billing-invoice-lines").wait_for()
        check_widths(page, "billing-invoice", problems, console)
        page.goto(base + reverse("manager:billing"))
        page.get_by_test_id("billing-change-plan").click()
        page.get_by_test_id("billing-plans").wait_for()
        check_widths(page, "billing-plans", problems, console)
        page.get_by_test_id("billing-plan-now").first.click()
        page.get_by_test_id("confirm").wait_for()
        check_widths(page, "billing-change", problems, console)
        page.get_by_test_id("confirm-submit").click()
        page.get_by_test_id("billing-plan").wait_for()
        page.get_by_test_id("billing-edit-method").click()
        page.locator("#id_payer_phone").fill("0197112233")
        page.locator("#id_provider").select_option("sandbox")
        check_widths(page, "billing-method", problems, console)
        page.get_by_test_id("billing-method-save").click()
        page.get_by_test_id("billing-method-label").wait_for()
        page.get_by_test_id("billing-cancel").click()
        page.get_by_test_id("confirm-acknowledge").check()
        check_widths(page, "billing-cancel", problems, console)
        page.get_by_test_id("confirm-submit").click()
        page.get_by_test_id("billing-ends").wait_for()
        check_widths(page, "billing-home-after", problems, console)
    finally:
        context.close()
    sub = Subscription.objects.get(customer=world.customer)
    assert sub.version == pro and sub.cancel_at_period_end
    assert Customer.objects.get(pk=world.customer.pk).payer_phone == "+2290197112233"
    assert problems == []
