"""Issue 27's « Done when », end to end over the REST API on the demo data (`seed_demo`): the
demo tenant at kyc tier 2 answers the questionnaire, subscribes 10,000 FCFA to the demo
money-market fund through the sandbox partner, sees the position valued at the next NAV
(the evening's market data), and redeems it to the wallet; the ledger, the positions and the
partner's positions file agree."""

from uuid import uuid4

import pytest
from django.core.management import call_command

from apps.identity.models import User
from apps.invest import domain
from apps.invest.demo import FUND
from apps.invest.models import Order, Partner, Position, Price, Product
from apps.invest.services import market, orders
from apps.invest.services.accounts import partner_ledger_account
from apps.invest.services.reconcile import reconcile
from apps.kyc import api as kyc
from apps.ledger import api as ledger
from tests.helpers import bearer_client

pytestmark = pytest.mark.django_db

TENANT = "+2290161000001"  # the demo tenant at kyc tier 2
ANSWERS = {
    "horizon": "1_3_years",
    "objective": "earn_more",
    "fall_reaction": "wait",
    "knowledge": "savings",
    "share_of_savings": "under_10",
    "emergency_savings": "under_3_months",
}


def _wallet(user) -> tuple[int, int]:
    balance = ledger.balance(account=ledger.user_wallet(user=user.public_id).public_id)
    return balance.posted, balance.available


def _evening(nav_date):
    """The evening of the NAV date: the market data brings the NAV, the partner's answer is
    asked, what is due settles, the positions are valued."""
    market.load_quotes(nav_date)
    orders.poll_open()
    orders.settle_due(today=nav_date)
    market.value_positions(nav_date)


def test_a_demo_tenant_invests_10000_fcfa_sees_it_valued_and_redeems_it(django_capture_on_commit_callbacks):
    call_command("seed_demo", "--no-progress", "--quiet-logins")
    tenant = User.objects.get(phone=TENANT)
    assert kyc.tier_of(tenant) == 2
    api = bearer_client(tenant)
    start = _wallet(tenant)
    assert start[1] >= 10_000

    # the catalogue and the fund's sheet, in French
    listed = api.get("/api/v1/invest/products", HTTP_ACCEPT_LANGUAGE="fr").json()
    codes = [p["code"] for p in (listed["results"] if isinstance(listed, dict) else listed)]
    assert FUND in codes
    sheet = api.get(f"/api/v1/invest/products/{FUND}", HTTP_ACCEPT_LANGUAGE="fr")
    assert sheet.status_code == 200
    assert "Les performances passées ne préjugent pas" in sheet.content.decode()

    # no order before the questionnaire
    early = api.post(
        "/api/v1/invest/orders",
        {"product": FUND, "side": "subscribe", "amount": 10_000},
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid4()),
    )
    assert early.status_code == 409 and early.json()["code"] == "invest_profile_required"

    questions = api.get("/api/v1/invest/questionnaire").json()
    assert {q["id"] for q in (questions if isinstance(questions, list) else questions["questions"])} == set(
        ANSWERS
    )
    profile = api.post("/api/v1/invest/profile", {"answers": ANSWERS}, format="json")
    assert profile.status_code == 200, profile.content
    assert profile.json()["max_risk"] >= 1

    # subscribe 10,000 FCFA: the cash is held at once, the order sent after the commit
    with django_capture_on_commit_callbacks(execute=True):
        placed = api.post(
            "/api/v1/invest/orders",
            {"product": FUND, "side": "subscribe", "amount": 10_000},
            format="json",
            HTTP_IDEMPOTENCY_KEY=str(uuid4()),
        )
    assert placed.status_code == 201, placed.content
    order = Order.objects.get(public_id=placed.json()["id"])
    assert order.status == Order.Status.ACKNOWLEDGED  # the NAV of its date is not known yet
    assert _wallet(tenant) == (start[0], start[1] - 10_000)

    # the next NAV arrives in the evening: executed, settled, valued
    _evening(order.nav_date)
    order.refresh_from_db()
    nav = Price.objects.get(product__code=FUND, on=order.nav_date).price
    fill = domain.subscription(10_000, nav, 0)
    assert order.status == Order.Status.EXECUTED and order.executed_quantity == fill.units
    assert _wallet(tenant) == (start[0] - fill.cost, start[1] - fill.cost)
    positions = api.get("/api/v1/invest/positions").json()
    rows = positions["results"] if isinstance(positions, dict) else positions
    (line,) = [p for p in rows if p["product"]["code"] == FUND]
    assert line["value"]["amount"] == domain.value(fill.units, nav)
    assert line["quantity"] == domain_units(fill.units)
    portfolio = api.get("/api/v1/invest/portfolio").json()
    assert portfolio["value"]["amount"] == domain.value(fill.units, nav)

    # the partner's file agrees with the positions (the sandbox files Hokwe's own)
    partner = Partner.objects.get(products__code=FUND)
    assert reconcile(partner, order.nav_date).differences == 0

    # redeem everything to the wallet
    with django_capture_on_commit_callbacks(execute=True):
        redeemed = api.post(
            "/api/v1/invest/orders",
            {"product": FUND, "side": "redeem", "quantity": line["quantity"]},
            format="json",
            HTTP_IDEMPOTENCY_KEY=str(uuid4()),
        )
    assert redeemed.status_code == 201, redeemed.content
    sell = Order.objects.get(public_id=redeemed.json()["id"])
    _evening(sell.nav_date)
    sell.refresh_from_db()
    assert sell.status == Order.Status.EXECUTED and sell.settled_at is not None
    sell_nav = Price.objects.get(product__code=FUND, on=sell.nav_date).price
    proceeds = domain.redemption_by_units(fill.units, sell_nav, 0).net
    assert sell.cash == proceeds
    assert _wallet(tenant) == (start[0] - fill.cost + proceeds, start[1] - fill.cost + proceeds)

    # the ledger, the positions and the partner's file agree
    position = Position.objects.get(user=tenant, product__code=FUND)
    assert (position.quantity, position.reserved, position.cost) == (0, 0, 0)
    assert position.realised == proceeds - fill.cost
    account = partner_ledger_account(partner, "XOF")
    assert ledger.balance(account=account).posted == fill.cost - proceeds
    run = reconcile(partner, sell.nav_date)
    assert run.differences == 0 and run.error == ""
    assert Product.objects.get(code=FUND).price_on >= sell.nav_date


def domain_units(units: int) -> str:
    whole, frac = divmod(units, domain.UNIT_SCALE)
    return f"{whole}.{frac:04d}"
