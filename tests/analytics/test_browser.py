"""The agency's figures in a browser (Playwright, Chromium) at 390 px and 1366 px, in French:
the dashboard with its tiles and 12-month chart, the reports' index, each of the seven
reports (chart and table), and the scheduled reports' page. Each page: no horizontal
overflow, no console error, no failed request. Screenshots go to $ANALYTICS_SHOTS (default
/tmp/analytics-shots)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from apps.analytics.services.reports import REPORT_KEYS
from tests.analytics.test_dashboard import build_agency_world
from tests.fixtures.browser import SignedInTab

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("ANALYTICS_SHOTS", "/tmp/analytics-shots"))


def test_the_manager_reads_the_dashboard_and_every_report(browser, live_server):
    world = build_agency_world()
    tab = SignedInTab(browser, live_server.url, world["manager"], shots=str(SHOTS))

    tab.go("manager:home")
    tab.page.get_by_test_id("analytics-dashboard").wait_for()
    assert tab.page.get_by_test_id("tile-collected").is_visible()
    tab.check("analytics-dashboard")

    tab.go("manager:analytics-reports")
    tab.check("analytics-reports")
    for key in REPORT_KEYS:
        tab.go("manager:analytics-report", key)
        assert tab.page.locator("svg").count() >= 1
        tab.check(f"analytics-report-{key}")

    tab.go("manager:analytics-subscriptions")
    tab.check("analytics-subscriptions")
    tab.close()
