"""The borrower's loan pages in a browser at 390 px and 1366 px, clicking as a tenant does:
the tenant space's panel → « Mes prêts » → a product → simulate → apply → the offer and its
key facts → accept (confirmation, the code received by SMS) → the schedule → repay from the
wallet (confirmation). No horizontal overflow, no console error. Screenshots go to
$LENDING_SHOTS when set."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from tests.fixtures.browser import check_widths, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LENDING_SHOTS", "")


def _check(page, name: str, problems: list, console: list) -> None:
    check_widths(page, name, problems, console, shots=SHOTS)


def test_a_tenant_borrows_and_repays_in_a_browser(browser, live_server, lending_world):
    from apps.identity import api as identity
    from apps.lending.models import Loan
    from tests.identity.conftest import SmsInbox

    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    tenant = lending_world.tenant
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    context.add_cookies([session_cookie(tenant, base)])
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    page.on("response", lambda r: console.append(f"HTTP {r.status} {r.url}") if r.status >= 500 else None)
    problems: list[str] = []
    try:
        page.goto(base + reverse("estate:tenant-home"))
        page.get_by_test_id("loans-panel").wait_for()
        page.get_by_test_id("loans-panel-link").click()
        page.get_by_test_id("loans-products").wait_for()
        _check(page, "loans-home", problems, console)

        emergency = reverse("lending:product", args=[lending_world.emergency.public_id])
        page.locator(f"a[href='{emergency}']").click()
        page.get_by_test_id("simulator").wait_for()
        page.locator("#id_amount").fill("50000")
        page.locator("#id_term").fill("4")
        page.get_by_test_id("simulate").click()
        page.get_by_test_id("simulation").wait_for()
        assert "%" in page.get_by_test_id("sim-teg").inner_text()
        _check(page, "loans-product", problems, console)

        page.locator("#apply-amount").fill("50000")
        page.locator("#apply-term").fill("4")
        page.get_by_test_id("apply-submit").click()
        page.get_by_test_id("key-facts").wait_for()
        assert "Coût total" in page.get_by_test_id("key-facts").inner_text()
        _check(page, "loans-offer", problems, console)

        page.get_by_test_id("accept-link").click()
        page.get_by_test_id("confirm").wait_for()
        page.get_by_test_id("confirm-acknowledge").check()
        page.get_by_test_id("confirm-submit").click()
        page.locator("input[name=code]").wait_for()
        _check(page, "loans-accept-code", problems, console)
        page.locator("input[name=code]").fill(inbox.last_code(tenant.phone))
        page.get_by_test_id("confirm-submit").click()
        page.get_by_test_id("schedule").wait_for()
        assert page.locator("[data-testid=instalment]").count() == 4
        assert page.get_by_test_id("loan-status").inner_text().strip() == "en remboursement"
        _check(page, "loans-loan", problems, console)

        page.get_by_test_id("repay-link").click()
        page.get_by_test_id("repay").wait_for()
        _check(page, "loans-repay", problems, console)
        page.locator("#id_amount").fill("5000")
        page.get_by_test_id("repay-submit").click()
        page.get_by_test_id("confirm").wait_for()
        page.get_by_test_id("confirm-submit").click()
        page.get_by_test_id("repayments").wait_for()
        assert "5 000" in page.get_by_test_id("repayments").inner_text().replace("\u202f", " ").replace(
            "\xa0", " "
        )
        _check(page, "loans-repaid", problems, console)
    finally:
        context.close()
        identity.set_otp_sender(None)
    loan = Loan.objects.get(borrower=tenant)
    assert loan.status == "active" and loan.repayments.count() == 1
    assert problems == []
