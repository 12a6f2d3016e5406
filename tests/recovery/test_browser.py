"""Recovery's main path in a real browser (Playwright driving Debian's Chromium, live_server):
a rent due left unpaid, the daily sync opens a case, the ladder's first step sends an SMS
reminder (read from the console SMS outbox), the tenant opens the link it carries — the
debtor portal — and pays the whole debt with the sandbox provider on payments' pay page;
the case closes as paid, and the manager's recovery dashboard shows the amount recovered
this month and the case closed.

No Celery worker: like estate's and payments' browser tests, the outbox runs its handlers
in-process after each commit (payments → estate → recovery)."""

from __future__ import annotations

import json
import os
import re
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from apps.notifications.models import Message
from apps.recovery import services
from apps.recovery.models import Case
from tests.fixtures.estate import first_of_month
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("HOKWE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RENT = 40_000
PORTAL_PATH = re.compile(r"/recover/[A-Za-z0-9_-]{8,32}/")


@pytest.fixture
def browser(live_server, monkeypatch):
    """Closed before the live server stops, so no request thread keeps a database session."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: scripts/setup.d/60-browser.sh installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def sms_outbox(settings, tmp_path):
    """The dev console SMS provider, also appending every SMS to a file we can read; no quiet
    hours, so the reminder goes out whatever the time of the test run."""
    settings.SMS_BACKEND = "console"
    settings.SMS_PROVIDER_CHAIN = ["console"]
    settings.SMS_ROUTES = ""
    settings.SMS_CONSOLE_FILE = str(tmp_path / "sms.jsonl")
    settings.NOTIFICATIONS_QUIET_HOURS = "off"
    return Path(settings.SMS_CONSOLE_FILE)


def _shot(page, name: str) -> None:
    folder = os.environ.get("HOKWE_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, name), full_page=True)


def _reminder_link(outbox: Path, case: Case) -> str:
    """The portal link of the SMS reminder: from the console outbox file, else from the
    message log (a delivery the notifications worker has not run yet)."""
    bodies = []
    if outbox.exists():
        bodies = [json.loads(line)["body"] for line in outbox.read_text(encoding="utf-8").splitlines()]
    bodies += list(
        Message.objects.filter(template_key="recovery.reminder", channel="sms").values_list("body", flat=True)
    )
    for body in bodies:
        match = PORTAL_PATH.search(body)
        if match and case.token in match.group(0):
            return match.group(0)
    raise AssertionError(f"no SMS reminder with the portal link among {bodies!r}")


def test_a_reminder_link_pays_the_debt_and_the_dashboard_shows_it(
    browser, live_server, sms_outbox, estate_property, estate_lease
):
    agency = OrganizationFactory(name="Agence Recouvrement Navigateur", kind="agency")
    manager = MembershipFactory(
        organization=agency, role="owner", user=UserFactory(full_name="Rosine Agossou")
    ).user
    today = timezone.localdate()
    prop = estate_property(agency, name="Résidence Akpakpa", since=today - timedelta(days=400))
    tenant = UserFactory(full_name="Prisca Amoussou")
    lease = estate_lease(
        manager,
        prop,
        tenant,
        unit_label="A1",
        start_date=first_of_month(today, 1),  # last month
        rent=RENT,
        charges=0,
        deposit_months=0,
        due_day=1,
        grace_days=0,
    )
    services.ladder_save(
        actor=manager,
        organization_id=agency.pk,
        steps=[services.StepInput(day_offset=1, action="sms", label="Première relance")],
        quiet_start=time(0, 0),
        quiet_end=time(0, 0),  # no quiet hours: the run acts whatever the time
        skip_sundays=False,
        skip_holidays=False,
    )

    services.cases_sync()
    case = Case.objects.get(lease=lease.public_id)
    owed = case.amount_owed
    assert case.status == "open" and owed >= RENT  # last month's rent at least (this month's if past the 1st)
    run = services.ladder_run(organizations=[agency.pk])
    assert run.messages == 1 and run.by_action == {"sms": 1}
    link = _reminder_link(sms_outbox, case)

    page = browser.new_page(locale="fr-FR", viewport={"width": 390, "height": 844})  # a phone
    page.set_default_timeout(20_000)
    page.goto(live_server.url + link)
    owed_text = page.get_by_test_id("owed").inner_text().replace("\u202f", " ").replace("\u00a0", " ")
    assert owed_text == f"{owed:,} FCFA".replace(",", " ")
    assert page.get_by_test_id("dues").locator("tbody tr").count() == owed // RENT
    _shot(page, "recovery-portal.png")
    assert page.input_value("#pay_amount") == str(owed)  # the whole debt by default
    page.get_by_test_id("pay").click()
    page.wait_for_url("**/pay/**")
    page.get_by_test_id("pay-mobile_money").click()
    page.wait_for_url("**/pay/sandbox/**")
    page.get_by_test_id("sandbox-approve").click()
    page.get_by_test_id("status-paid").wait_for()

    case.refresh_from_db()
    assert (case.status, case.outcome, case.amount_owed, case.recovered) == ("closed", "paid", 0, owed)
    page.goto(live_server.url + link)
    assert "Votre dette est payée" in page.get_by_test_id("closed").inner_text()

    manager_page = browser.new_page(locale="fr-FR", viewport={"width": 1280, "height": 900})
    manager_page.set_default_timeout(20_000)
    manager_page.goto(f"{live_server.url}/manager/login/")
    manager_page.fill("input[name=username]", str(manager.phone))
    manager_page.fill("input[name=password]", "secret-pass-123")
    manager_page.click("button[type=submit]")
    manager_page.wait_for_load_state()
    manager_page.goto(f"{live_server.url}/manager/recovery/")
    recovered = manager_page.get_by_test_id("kpi-recovered").inner_text().replace("\u202f", " ")
    assert recovered.replace("\u00a0", " ") == f"{owed:,} FCFA".replace(",", " ")
    assert manager_page.get_by_test_id("kpi-closed").inner_text() == "1"
    assert "1 dossier clôturé" in manager_page.locator(".kpi").first.inner_text()
    _shot(manager_page, "recovery-dashboard.png")
    manager_page.goto(f"{live_server.url}/manager/recovery/cases/?status=closed")
    row = manager_page.get_by_test_id("cases").locator("tbody tr").first.inner_text()
    assert "Prisca Amoussou" in row and "payé" in row
