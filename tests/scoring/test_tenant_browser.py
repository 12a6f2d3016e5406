"""The tenant's score pages in a browser at 390 px and 1366 px: no horizontal overflow,
no console error, the chart drawn; a dispute sent from the rent lines and the bureau consent
given, by clicking as a tenant does. Screenshots go to $SCORING_SHOTS when set."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.fixtures.browser import check_widths, session_cookie
from tests.scoring.conftest import build_rent_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCORING_SHOTS", "")


def _check(page, name: str, problems: list, console: list) -> None:
    check_widths(page, name, problems, console, shots=SHOTS)


def test_the_tenant_score_pages_in_a_browser(browser, live_server):
    from apps.scoring.models import ScoreHistory
    from apps.scoring.services.scores import rescore

    history = build_rent_history()
    tenant = history.tenant
    rescore(tenant.public_id, reason="test")
    now = timezone.now()
    for i, score in enumerate((612, 640, 655, 671, 690, 702)):
        ScoreHistory.objects.create(
            user=tenant,
            score=score,
            band="fair" if score < 680 else "good",
            trigger="test",
            computed_at=now - timedelta(days=30 * (6 - i)),
        )
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    context.add_cookies([session_cookie(tenant, base)])
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    page.on("response", lambda r: console.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    problems: list[str] = []

    page.goto(base + reverse("estate:tenant-home"))
    page.get_by_test_id("score-panel").wait_for()
    _check(page, "tenant-home", problems, console)
    page.get_by_test_id("panel-score-link").click()
    page.get_by_test_id("score-card").wait_for()
    assert page.locator("[data-testid=chart-dot]").count() >= 6
    _check(page, "score-home", problems, console)

    page.get_by_test_id("lines-link").click()
    page.get_by_test_id("rent-line").first.wait_for()  # count() does not wait for the page
    assert page.get_by_test_id("rent-line").count() >= 13
    _check(page, "score-lines", problems, console)
    late_month = history.dues[9].period.strftime("%Y-%m")
    page.locator(f"[data-testid=rent-line][data-month='{late_month}'] [data-testid=contest-link]").click()
    page.get_by_test_id("dispute-form").wait_for()
    _check(page, "dispute-form", problems, console)
    page.get_by_test_id("reason-paid_on_time").check()
    page.get_by_test_id("dispute-details").fill("Payé le 5 par MoMo, reçu 4471")
    page.get_by_test_id("dispute-submit").click()
    assert page.get_by_test_id("dispute-status").inner_text().strip() == "Ouverte"
    _check(page, "dispute", problems, console)

    page.get_by_test_id("snav-bureau").click()
    page.get_by_test_id("consent-give").click()
    page.get_by_test_id("consent-given").wait_for()
    _check(page, "bureau", problems, console)
    context.close()
    assert problems == []
