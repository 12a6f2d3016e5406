"""The agent fills a room of the move-in inspection on a phone (390×844) and signs it with
the code received by SMS; the page never scrolls sideways and runs no inline script."""

from datetime import date

import pytest
from django.core.cache import cache

from apps.estate import services
from apps.estate.models import Inspection
from apps.identity import api as identity
from tests.identity.conftest import SmsInbox
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

from .factories import MandateFactory, PropertyFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sms():
    cache.clear()
    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    yield inbox
    identity.set_otp_sender(None)


@pytest.fixture
def inspection(db):
    agency = OrganizationFactory(name="Agence États des lieux", kind="agency")
    manager = MembershipFactory(
        organization=agency, role="manager", user=UserFactory(full_name="Rosine Agossou")
    ).user
    mandate = MandateFactory(agency=agency, commission_bps=1000, start_date=date(2025, 1, 1))
    unit = UnitFactory(
        property=PropertyFactory(mandate=mandate, name="Résidence Houéyiho"),
        label="C3",
        kind="apartment",
        rooms=3,
    )
    lease = services.lease_create(
        actor=manager,
        unit=unit,
        tenants=[services.TenantInput(phone="+2290161007766", full_name="Prisca Amoussou")],
        start_date=date(2026, 1, 1),
        rent=90_000,
        charges=0,
        deposit_months=0,
    )
    return manager, services.inspection_create(
        actor=manager, lease=lease, kind="move_in", inspected_on=date(2026, 1, 1)
    )


def _no_overflow(page):
    """Nothing of the page's content (main) sticks out on the right of a 390 px screen (the
    shared header is the app shell's, checked by the crawler)."""
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main, main *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
    )
    assert wide == []


def test_fill_a_room_and_sign_on_a_phone(browser, live_server, inspection, sms):
    manager, inspection = inspection
    errors = []
    page = browser.new_page(locale="fr-FR", viewport={"width": 390, "height": 844})
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/manager/login/")
    page.fill("input[name=username]", str(manager.phone))
    page.fill("input[name=password]", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/manager/estate/inspections/{inspection.public_id}/")
    sejour = inspection.rooms.get(name="Séjour")
    murs = sejour.items.get(element="Murs")
    first = page.locator("details[data-testid=room]").first
    assert first.get_attribute("open") is not None and "Séjour" in first.locator("summary").inner_text()
    assert page.locator("details[data-testid=room]").count() == 6  # séjour, 2 chambres, cuisine, sdb, wc
    _no_overflow(page)
    page.locator(f"input[name='c-{murs.public_id}'][value=poor]").check()
    page.fill(f"#m-{murs.public_id}", "Fissure près de la fenêtre")
    first.locator("[data-testid=room-save]").click()
    page.wait_for_selector(".messages")
    assert "Pièce enregistrée" in page.locator(".messages").inner_text()
    murs.refresh_from_db()
    assert (murs.condition, murs.comment) == ("poor", "Fissure près de la fenêtre")
    assert page.locator(f"input[name='c-{murs.public_id}'][value=poor]").is_checked()
    _no_overflow(page)

    page.click("[data-testid=sign]")
    assert "Signer l'état des lieux (entrée)" in page.locator("[data-testid=confirm-question]").inner_text()
    page.click("[data-testid=confirm-submit]")
    page.wait_for_selector("input[name=code]")
    page.fill("input[name=code]", sms.last_code(manager.phone))
    page.click("[data-testid=confirm-submit]")
    page.wait_for_selector("[data-testid=manager-signature]")
    assert "Rosine Agossou" in page.locator("[data-testid=manager-signature]").inner_text()
    assert page.locator(f"input[name='c-{murs.public_id}']").count() == 0  # signed: read-only
    room = page.locator("details[data-testid=room]").first
    room.locator("summary").click()  # read-only now: the rooms are folded, a tap opens one
    assert "Murs : mauvais état — Fissure près de la fenêtre" in room.inner_text()
    _no_overflow(page)
    assert errors == []
    assert Inspection.objects.get(pk=inspection.pk).manager_signed_at is not None
    page.close()
