"""The emergency fund in a browser at 390 px and 1366 px, as a tenant clicks: open the fund,
save from the wallet, withdraw (the confirmation, then paid at once with no lock). No
horizontal overflow, no console error. Screenshots go to $LENDING_SHOTS when set."""

from __future__ import annotations

import os

import pytest

from tests.fixtures.browser import check_widths, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LENDING_SHOTS", "")


def _check(page, name: str, problems: list, console: list) -> None:
    check_widths(page, f"fund-{name}", problems, console, shots=SHOTS)


def test_a_tenant_saves_and_withdraws_in_a_browser(browser, live_server, fund_topup):
    from apps.ledger import api as ledger
    from apps.lending.models import EmergencyFund
    from tests.identity.factories import UserFactory

    tenant = UserFactory()
    fund_topup(tenant, 60_000)
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    context.add_cookies([session_cookie(tenant, base)])
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    problems: list[str] = []

    page.goto(f"{base}/lending/fund/")
    page.get_by_test_id("fund-open").wait_for()
    _check(page, "open", problems, console)
    page.fill("#id_goal", "100000")
    page.get_by_test_id("fund-open-submit").click()
    page.get_by_test_id("fund").wait_for()
    page.fill("#id_deposit-amount", "25000")
    page.get_by_test_id("fund-deposit").click()
    page.get_by_test_id("flash").wait_for()
    _check(page, "home", problems, console)
    fund = EmergencyFund.objects.get(user=tenant)
    assert ledger.balance(account=fund.account).posted == 25_000

    page.get_by_test_id("fund-withdraw").click()
    page.fill("#id_amount", "5000")
    page.get_by_test_id("fund-withdraw-submit").click()
    page.get_by_role("button", name="Retirer").wait_for()
    _check(page, "confirm", problems, console)
    page.get_by_role("button", name="Retirer").click()
    page.get_by_test_id("flash").wait_for()
    assert ledger.balance(account=fund.account).posted == 20_000
    assert not problems, problems
    context.close()
