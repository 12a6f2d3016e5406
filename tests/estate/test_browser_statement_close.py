"""Closing an owner statement in a real browser, on a phone (390×844): the list's
« Clôturer et reverser » only asks; the confirmation states the amount and the landlord; the
code of the owner's authenticator app is asked (issue 16: never SMS for money); then the statement's page says it is closed, with its PDF."""

import os

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.estate import domain, services
from apps.estate.models import OwnerStatement
from apps.identity import api as identity
from apps.ledger.models import Transfer
from tests.helpers import enrol_totp, totp_code
from tests.identity.conftest import SmsInbox
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

from .factories import MandateFactory, PropertyFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("HOKWE_SCREENSHOTS", "")  # a folder: the pages are saved there too


@pytest.fixture
def sms():
    cache.clear()
    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    yield inbox
    identity.set_otp_sender(None)


@pytest.fixture
def statement(db):
    agency = OrganizationFactory(name="Agence Relevés", kind="agency")
    manager = MembershipFactory(
        organization=agency, role="owner", user=UserFactory(full_name="Rosine Agossou")
    ).user
    owner = OrganizationFactory(name="Famille Adjovi", kind="owner")
    this_month = domain.month_start(timezone.localdate())
    last_month = domain.add_months(this_month, -1)
    mandate = MandateFactory(
        agency=agency, owner=owner, commission_bps=1000, start_date=domain.add_months(this_month, -6)
    )
    unit = UnitFactory(property=PropertyFactory(mandate=mandate, name="Résidence Adjovi"), label="A1")
    lease = services.lease_create(
        actor=manager,
        unit=unit,
        tenants=[services.TenantInput(phone="+2290161009988", full_name="Prisca Amoussou")],
        start_date=domain.add_months(this_month, -2),
        rent=100_000,
        charges=0,
        deposit_months=0,
    )
    services.payment_record(
        actor=manager, lease=lease, amount=100_000, method="cash", received_on=last_month.replace(day=5)
    )
    statement = services.statement_get_or_refresh(
        actor=manager, organization_id=agency.pk, owner_id=owner.pk, period=last_month
    )
    return manager, statement


def _no_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_close_a_statement_with_confirmation_and_step_up(browser, live_server, statement, sms):
    manager, statement = statement
    assert statement.net == 90_000
    device = enrol_totp(manager)  # an owner's money action needs the authenticator app (issue 16)
    page = browser.new_page(locale="fr-FR", viewport={"width": 390, "height": 844})
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/manager/login/")
    page.fill("input[name=username]", str(manager.phone))
    page.fill("input[name=password]", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/manager/estate/statements/?period={statement.period:%Y-%m}")
    page.click("[data-testid=statement-close]")
    question = page.locator("[data-testid=confirm-question]")
    assert question.inner_text().replace("\u202f", " ").replace("\xa0", " ") == (
        "Verser 90 000 FCFA à Famille Adjovi ?"
    )
    _no_overflow(page)
    _shot(page, "statement-close-confirm-390")
    statement.refresh_from_db()
    assert statement.status == OwnerStatement.Status.DRAFT and sms.messages == []

    page.click("[data-testid=confirm-submit]")  # « M'envoyer le code »: the app's code, no SMS
    page.wait_for_selector("input[name=code]")
    _shot(page, "statement-close-code-390")
    assert sms.messages == []
    page.fill("input[name=code]", "000000" if totp_code(device) != "000000" else "111111")
    page.click("[data-testid=confirm-submit]")
    page.wait_for_selector(".field-error")
    statement.refresh_from_db()
    assert statement.status == OwnerStatement.Status.DRAFT
    transfers = Transfer.objects.count()

    page.fill("input[name=code]", totp_code(device))
    page.click("[data-testid=confirm-submit]")
    page.wait_for_selector("[data-testid=statement]")
    assert "Relevé clôturé" in page.locator(".messages").inner_text()
    assert (
        page.locator("[data-testid=statement-pdf]")
        .get_attribute("href")
        .endswith(f"/statements/{statement.public_id}/")
    )
    assert page.locator("[data-testid=statement-close]").count() == 0
    _no_overflow(page)
    _shot(page, "statement-closed-390")
    statement.refresh_from_db()
    assert statement.status == OwnerStatement.Status.CLOSED and Transfer.objects.count() == transfers + 1
    page.close()
