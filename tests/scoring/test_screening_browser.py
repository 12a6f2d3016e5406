"""Tenant screening end to end in a browser (Playwright, Chromium) at 390 px and 1366 px, in
French: the manager finds « Sélection » in the menu, asks to screen an applicant for a unit;
the applicant opens the consent link, sees what would be shared, receives a code, declares an
income and consents; the manager issues the report (recommendation, reasons, the data),
downloads the PDF and declines (the adverse-action SMS). Each page: no horizontal overflow, no
console error, no failed request. Screenshots in $SCREENING_SHOTS (default /tmp/screening-shots)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse

from apps.notifications.models import Message
from apps.scoring.models import ScreeningRequest
from tests.fixtures.browser import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
SHOTS = Path(os.environ.get("SCREENING_SHOTS", "/tmp/screening-shots"))


class Tab:
    def __init__(self, browser, base: str, user=None):
        self.context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
        if user is not None:
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

    def close(self) -> None:
        self.context.close()
        assert not self.problems, "\n".join(self.problems)


def test_a_screening_from_the_request_to_the_pdf(
    browser, live_server, screening_world, screening_codes, tmp_path
):
    w = screening_world
    manager = Tab(browser, live_server.url, w.manager)
    manager.page.goto(live_server.url + reverse("manager:scoring-screening"))
    manager.page.wait_for_selector("h1:has-text('Sélection des locataires')")
    assert manager.page.locator("[data-nav=scoring-screening]").count() >= 1
    manager.check("01-list-empty")
    manager.page.get_by_test_id("screening-new").click()
    manager.page.select_option("select[name=unit]", str(w.unit.public_id))
    manager.page.fill("input[name=phone]", str(w.applicant.phone))
    manager.page.fill("input[name=applicant_name]", "Afi Mensah")
    manager.check("02-new")
    manager.page.click("[data-testid=form-screening] button.primary")
    manager.page.wait_for_selector("[data-testid=screening-waiting]")
    manager.check("03-waiting")
    req = ScreeningRequest.objects.get()

    applicant = Tab(browser, live_server.url)
    applicant.page.goto(live_server.url + reverse("scoring:screening-consent", args=[req.consent_token]))
    applicant.page.wait_for_selector("[data-testid=consent-shared]")
    assert "Agence Soleil" in applicant.page.inner_text("[data-testid=consent-who]")
    applicant.check("04-consent")
    applicant.page.get_by_test_id("consent-send-code").click()
    applicant.page.wait_for_selector("[data-testid=form-consent]")
    applicant.page.fill("input[name=declared_income]", "150000")
    applicant.page.fill("input[name=code]", screening_codes.last(w.applicant.phone))
    applicant.check("05-consent-code")
    applicant.page.get_by_test_id("consent-confirm").click()
    applicant.page.wait_for_selector("[data-testid=consent-given]")
    applicant.check("06-consent-given")

    manager.page.reload()
    manager.page.get_by_test_id("screening-issue").click()
    manager.page.wait_for_selector("[data-testid=screening-report]")
    recommendation = manager.page.get_by_test_id("screening-recommendation")
    assert recommendation.get_attribute("data-value") == "decline"  # 90,000 of 150,000: 60 %
    assert "60 %" in manager.page.inner_text("[data-testid=screening-ratio]")
    assert "revenu déclaré" in manager.page.inner_text("[data-testid=screening-reasons]")
    manager.check("07-report")
    with manager.page.expect_download() as download:
        manager.page.get_by_test_id("screening-pdf").click(modifiers=["Alt"])
    pdf = tmp_path / "rapport.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    manager.page.get_by_test_id("decide-declined").click()
    manager.page.wait_for_selector("[data-testid=screening-decision]")
    manager.check("08-declined")
    assert Message.objects.filter(template_key="scoring.screening_adverse_action").count() == 1

    manager.page.goto(live_server.url + reverse("manager:scoring-screening"))
    manager.page.wait_for_selector(f"text={req.number}")
    manager.check("09-list")
    manager.page.goto(live_server.url + reverse("manager:scoring-screening-policy"))
    manager.page.wait_for_selector("[data-testid=form-policy]")
    manager.check("10-policy")
    applicant.close()
    manager.close()
