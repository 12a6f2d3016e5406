"""The investor's pages in a browser (Playwright, Chromium) at 390 px and 1366 px, in French:
the catalogue, a product sheet (its risk scale, its chart, the warning), the order form, the
confirmation with the box to tick for a product riskier than the profile, the order's page,
its cancellation, and the home page with the order. Each page: no horizontal overflow, no
console error, no failed request. Screenshots go to $INVEST_SHOTS (default /tmp/invest-shots)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.invest.contracts import Quote
from apps.invest.models import Order
from apps.invest.services.market import store_quotes
from tests.fixtures.browser import session_cookie
from tests.invest import world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
SHOTS = Path(os.environ.get("INVEST_SHOTS", "/tmp/invest-shots"))


class Tab:
    """One signed-in page; `check(name)` looks at the current page at both widths."""

    def __init__(self, browser, base: str, user):
        self.context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
        self.context.add_cookies([session_cookie(user, base)])
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.base = base
        self.problems: list[str] = []
        self.console: list[str] = []
        self.page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.console.append(str(e)))
        self.page.on(
            "response", lambda r: self.console.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None
        )

    def go(self, name: str, *args) -> None:
        self.page.goto(self.base + reverse(name, args=args))

    def check(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        for width in (390, 1366):
            self.page.set_viewport_size({"width": width, "height": 844 if width < 600 else 768})
            overflow = self.page.evaluate(OVERFLOW)
            if overflow > 0:
                self.problems.append(f"{name} @{width}px: {overflow} px of horizontal overflow")
            self.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        if self.console:
            self.problems.append(f"{name}: console errors {self.console[:3]}")
        self.console.clear()
        self.page.set_viewport_size({"width": 390, "height": 844})

    def click(self, testid: str) -> None:
        """Every click here follows a link or submits a form: wait for the next page to load."""
        with self.page.expect_navigation(wait_until="load"):
            self.page.get_by_test_id(testid).first.click()

    def close(self) -> None:
        self.context.close()
        assert not self.problems, "\n".join(self.problems)


def test_a_share_bought_above_the_profile_then_cancelled(browser, live_server):
    today = timezone.localdate()
    mmf = world.fund("T-MONEY", risk=1, on=today - timedelta(days=30))
    store_quotes(
        [
            Quote(
                product_code="T-MONEY", on=today - timedelta(days=30 - i * 6), price=world.NAV + i * 150_000
            )
            for i in range(1, 5)
        ]
    )
    share = world.share()
    investor = world.investor(balance=300_000, max_risk=3)
    tab = Tab(browser, live_server.url, investor)

    tab.go("invest:products")
    assert tab.page.get_by_test_id("product-row").count() == 2
    tab.check("invest-products")
    tab.go("invest:product", mmf.code)
    assert "performances passées" in tab.page.get_by_test_id("past-performance-warning").inner_text()
    tab.page.get_by_test_id("price-chart").wait_for()
    tab.check("invest-product-fund")

    tab.go("invest:product", share.code)
    tab.check("invest-product-share")
    tab.click("invest-link")
    tab.page.locator("input[name=quantity]").fill("3")
    tab.page.locator("input[name=limit_price]").fill("24 500")
    tab.check("invest-order-form")
    tab.click("order-submit")
    question = tab.page.get_by_test_id("confirm-question").inner_text()
    assert share.name in question and "24\u202f500" in question
    tab.check("invest-order-confirm")
    tab.click("confirm-submit")  # the box is not ticked: said, nothing placed
    tab.page.get_by_test_id("confirm-acknowledge").wait_for()
    assert Order.objects.count() == 0
    tab.page.get_by_test_id("confirm-acknowledge").check()
    tab.click("confirm-submit")
    tab.page.get_by_test_id("order").wait_for()
    assert tab.page.get_by_test_id("flash").is_visible()
    tab.check("invest-order")
    order = Order.objects.get()
    assert order.risk_acknowledged and order.quantity == 30_000

    tab.click("cancel-order")
    tab.check("invest-order-cancel-confirm")
    tab.click("confirm-submit")
    tab.page.get_by_test_id("flash").wait_for()
    tab.check("invest-order-cancelled")
    assert Order.objects.get().status == "cancelled"

    tab.click("inav-home")
    tab.page.get_by_test_id("portfolio").wait_for()
    assert tab.page.get_by_test_id("order-row").count() == 1
    tab.check("invest-home")
    tab.close()
