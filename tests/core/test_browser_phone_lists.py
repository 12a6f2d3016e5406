"""Phone-first lists (issue 18, item 2) in a real browser: an agency manager at 390×844 sees
every list of the manager pages (dues, leases, properties, units, receipts, statements,
maintenance, payments, recovery cases and handovers) and the debtor portal as cards — no
sideways scrolling, each card's amount and status inside the screen — and at 1366×768 the
same lists as tables."""

from datetime import date

import pytest

from tests.fixtures.estate import first_of_month, lease_for, managed_property, pay_rent
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def world(db):
    """An agency with a property, two tenants two months late (one partly paid: a receipt),
    their recovery cases, a pay link, an owner statement and a collector's cash handover."""
    from apps.estate import services as estate
    from apps.estate.models import OwnerStatement
    from apps.payments import services as payments
    from apps.recovery import services as recovery
    from apps.recovery.models import Case

    agency = OrganizationFactory(name="Agence Les Cocotiers", kind="agency")
    manager = MembershipFactory(
        organization=agency, role="manager", user=UserFactory(full_name="Serge Dossou")
    ).user
    prop = managed_property(agency, name="Résidence des Cocotiers de Fidjrossè Plage")
    start = first_of_month(date.today(), 2)
    leases = [
        lease_for(
            manager,
            prop,
            UserFactory(full_name=name),
            unit_label=label,
            start_date=start,
            due_day=1,
            grace_days=0,
            deposit_months=0,
            rent=1_250_000,
            charges=75_000,
        )
        for name, label in [("Marie-Christine Houngbédji-Adjovi", "Appartement B12"), ("Brice Zinsou", "C3")]
    ]
    pay_rent(manager, leases[1], 1_325_000, reference="VIR-1")
    estate.statement_get_or_refresh(
        actor=manager, organization_id=agency.pk, owner_id=prop.owner_id, period=first_of_month(date.today())
    )
    assert OwnerStatement.objects.exists()
    recovery.ladder_default(organization_id=agency.pk)
    recovery.cases_sync(today=date.today())
    payments.intent_create(
        organization_id=agency.pk,
        amount=1_325_000,
        currency="XOF",
        purpose_type="payments.PayLink",
        description="Loyer et charges de l'appartement B12, Résidence des Cocotiers",
        payer_name="Marie-Christine Houngbédji-Adjovi",
    )
    # a collector's cash, handed over short
    collector = MembershipFactory(
        organization=agency, role="collector", user=UserFactory(full_name="Gildas Tossou")
    ).user
    case = Case.objects.order_by("-amount_owed").first()
    Case.objects.filter(pk=case.pk).update(collector=collector)
    case.refresh_from_db()
    recovery.cash_collect(actor=collector, case=case, amount=40_000, idempotency_key="c1")
    recovery.handover_create(
        actor=manager,
        organization_id=agency.pk,
        collector=collector.public_id,
        declared=35_000,
        idempotency_key="h1",
    )
    return {"manager": manager, "property": prop, "case": case}


def sign_in(browser, live_server, user, viewport):
    page = browser.new_page(locale="fr-FR", viewport=viewport)
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/manager/login/")
    page.fill("input[name=username]", str(user.phone))
    page.fill("input[name=password]", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=app-nav]")
    return page


def lists(world) -> list[tuple[str, str]]:
    """(path, the list's data-testid) for each list page."""
    prop = world["property"]
    return [
        ("/manager/estate/dues/", "dues"),
        ("/manager/estate/leases/", "leases"),
        ("/manager/estate/properties/", "properties"),
        (f"/manager/estate/properties/{prop.public_id}/", "units"),
        ("/manager/estate/receipts/", "receipts"),
        ("/manager/estate/statements/", "statements"),
        ("/manager/payments/", "payments"),
        ("/manager/recovery/cases/", "cases"),
        ("/manager/recovery/handovers/", "handovers"),
    ]


CARDS = """(table) => [...table.querySelectorAll(':scope > tbody > tr, :scope > tfoot > tr')]
  .filter(tr => tr.querySelector('.cell-amount, .cell-status'))
  .map(tr => {
    const box = (sel) => { const el = tr.querySelector(sel); if (!el) return null;
      const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, width: r.width, height: r.height,
      text: el.innerText.trim(), shown: getComputedStyle(el).visibility !== 'hidden' && r.width > 0}; };
    const r = tr.getBoundingClientRect();
    return {row: {left: r.left, right: r.right}, display: getComputedStyle(tr).display,
            amount: box('.cell-amount'), status: box('.cell-status'), title: box('.cell-title')};
  })"""


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def assert_inside(box, width, what):
    assert box["shown"] and box["text"], what
    assert box["left"] >= 0 and box["right"] <= width + 0.5, (what, box)
    assert box["width"] > 0 and box["height"] > 0, what


def test_every_list_is_a_list_of_cards_on_a_phone(browser, live_server, world):
    page = sign_in(browser, live_server, world["manager"], PHONE)
    for path, testid in lists(world):
        page.goto(f"{live_server.url}{path}")
        assert overflow(page) <= 0, path
        table = page.locator(f"table.list[data-testid={testid}]")
        assert not page.locator(f"table.list[data-testid={testid}] > thead").is_visible() or (
            table.evaluate("t => t.tHead.getBoundingClientRect().width") <= 1
        ), path
        cards = table.evaluate(CARDS)
        assert cards, f"{path}: no card"
        for card in cards:
            assert card["display"] == "grid", path
            assert card["row"]["left"] >= 0 and card["row"]["right"] <= PHONE["width"], path
            if card["amount"]:
                assert_inside(card["amount"], PHONE["width"], f"{path} amount")
                assert "FCFA" in card["amount"]["text"], path
            if card["status"]:
                assert_inside(card["status"], PHONE["width"], f"{path} status")
            if card["title"]:
                assert_inside(card["title"], PHONE["width"], f"{path} title")
    # the rent roll: its cards carry amount and status, and the totals are a card too
    page.goto(f"{live_server.url}/manager/estate/dues/")
    first = page.locator("table[data-testid=dues] > tbody > tr").first
    assert first.locator(".cell-amount").is_visible() and first.locator(".cell-status .pill").is_visible()
    total = page.locator("[data-testid=dues-total]")
    total.scroll_into_view_if_needed()
    assert total.locator("[data-testid=total-left]").is_visible()
    assert "FCFA" in total.locator("[data-testid=total-due]").inner_text()


def test_the_debtor_portal_dues_are_cards_on_a_phone(browser, live_server, world):
    page = browser.new_page(locale="fr-FR", viewport=PHONE)
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/recover/{world['case'].token}/")
    assert overflow(page) <= 0
    cards = page.locator("table.list[data-testid=dues]").evaluate(CARDS)
    assert len(cards) >= 2
    for card in cards:
        assert card["display"] == "grid"
        assert_inside(card["amount"], PHONE["width"], "portal amount")
        assert_inside(card["status"], PHONE["width"], "portal status")


def test_the_lists_are_tables_on_a_laptop(browser, live_server, world):
    page = sign_in(browser, live_server, world["manager"], LAPTOP)
    for path, testid in lists(world):
        page.goto(f"{live_server.url}{path}")
        assert overflow(page) <= 0, path
        table = page.locator(f"table.list[data-testid={testid}]")
        assert table.evaluate("t => getComputedStyle(t).display") == "table", path
        assert page.locator(f"table.list[data-testid={testid}] > thead").is_visible(), path
        rows = table.evaluate("t => [...t.tBodies[0].rows].map(r => getComputedStyle(r).display)")
        assert rows and set(rows) == {"table-row"}, path
    page.goto(f"{live_server.url}/manager/estate/dues/")
    assert (
        page.locator("[data-testid=dues-total]").evaluate("r => getComputedStyle(r).display") == "table-row"
    )
