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
from django.utils import timezone

from apps.invest.contracts import Quote
from apps.invest.models import Order
from apps.invest.services.market import store_quotes
from tests.fixtures.browser import SignedInTab
from tests.invest import world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("INVEST_SHOTS", "/tmp/invest-shots"))


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
    tab = SignedInTab(browser, live_server.url, investor, shots=str(SHOTS))

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
