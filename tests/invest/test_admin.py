"""HokweInvest's admin: every list for staff (support reads, finance repairs), secrets masked,
the order changelist under a query ceiling, and each action doing what it says on real
orders through the sandbox partner (the wallet's ledger moves for real)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.invest.contracts import Quote
from apps.invest.models import (
    Distribution,
    DistributionPayment,
    Order,
    Position,
    Price,
    Reconciliation,
    ReconciliationDifference,
)
from apps.invest.services import orders
from apps.invest.services.market import store_quotes
from tests.identity.factories import UserFactory
from tests.identity.test_admin_and_audit import admin_login, staff
from tests.invest.test_statements import (
    at,
    executed,
    investor,
    money_market_fund,
    sandbox_partner,
    wallet_balance,
)

pytestmark = pytest.mark.django_db

DAY = date(2025, 6, 2)  # a Monday, a business day in Côte d'Ivoire
NAV = 100_000_000  # 10 000 FCFA a unit


@pytest.fixture(autouse=True)
def _wallet_usage_source():
    from apps.kyc import api as kyc
    from apps.wallet.services.wallets import WalletUsageSource

    kyc.set_usage_source(WalletUsageSource())
    yield


@pytest.fixture
def world():
    partner = sandbox_partner()
    fund = money_market_fund(partner)
    return partner, fund, investor()


@pytest.fixture
def finance():
    client, response = admin_login(*staff("finance"))
    assert response.status_code == 302
    return client


@pytest.fixture
def support():
    client, response = admin_login(*staff("support"))
    assert response.status_code == 302
    return client


def act(client, model: str, action: str, rows, *, confirm: bool = True):
    data = {"action": action, "_selected_action": [str(r.pk) for r in rows]}
    if confirm:
        data["confirmed"] = "yes"
    return client.post(reverse(f"admin:invest_{model}_changelist"), data)


# ---------------------------------------------------------------- lists and pages


def test_staff_read_every_list_and_secrets_stay_masked(world, support):
    partner, fund, user = world
    executed(user, fund, side="subscribe", on=DAY, nav=NAV, key="k1", amount=50_000)
    for model in ("partner", "product", "order", "position", "plan", "distribution", "reconciliation"):
        assert support.get(reverse(f"admin:invest_{model}_changelist")).status_code == 200, model
    page = support.get(reverse("admin:invest_partner_change", args=[partner.pk])).content.decode()
    assert partner.api_key not in page and partner.callback_secret not in page
    assert "••••1234" in page and "••••WXYZ" in page
    listing = support.get(reverse("admin:invest_partner_changelist")).content.decode()
    assert partner.api_key not in listing and "••••1234" in listing
    order = Order.objects.get()
    detail = support.get(reverse("admin:invest_order_change", args=[order.pk])).content.decode()
    assert f"SBX-{order.public_id}" in detail  # the execution, inline


def test_the_finance_form_keeps_a_secret_left_empty_and_replaces_a_typed_one(world, finance):
    partner, _fund, _user = world
    url = reverse("admin:invest_partner_change", args=[partner.pk])
    page = finance.get(url).content.decode()
    assert partner.api_key not in page and partner.callback_secret not in page
    data = {
        "code": partner.code,
        "name": "SGO Bac à sable",
        "kind": "sgo",
        "licence": partner.licence,
        "provider": "sandbox",
        "base_url": "",
        "api_key": "",
        "callback_secret": "whsec_new_secret_0000",
        "active": "on",
    }
    assert finance.post(url, data).status_code == 302
    partner.refresh_from_db()
    assert partner.api_key == "sk_live_abcdefghijklmnop1234"
    assert partner.callback_secret == "whsec_new_secret_0000"


def test_support_cannot_edit_or_act_and_investors_cannot_enter(world, support):
    partner, fund, user = world
    order = orders.place_order(
        actor=user, product=fund, side="subscribe", amount=50_000, idempotency_key="k", send=False
    )
    assert (
        support.post(reverse("admin:invest_partner_change", args=[partner.pk]), {"name": "x"}).status_code
        == 403
    )
    act(support, "order", "send_again", [order])
    order.refresh_from_db()
    assert order.status == Order.Status.CREATED
    from django.test import Client

    outsider = Client()
    outsider.force_login(UserFactory())
    assert outsider.get(reverse("admin:invest_order_changelist")).status_code == 302  # to the login


def test_a_product_shows_its_latest_prices_first_and_only_30(world, support):
    _partner, fund, _user = world
    first = date(2025, 1, 1)
    Price.objects.bulk_create(
        Price(product=fund, on=first + timedelta(days=i), price=NAV + i * 1_000) for i in range(40)
    )
    page = support.get(reverse("admin:invest_product_change", args=[fund.pk])).content.decode()
    assert page.count('class="field-on"') == 30
    latest, oldest_shown, hidden = "9 février 2025", "11 janvier 2025", "10 janvier 2025"
    assert latest in page and oldest_shown in page and hidden not in page
    assert page.index(latest) < page.index(oldest_shown)


def test_the_order_changelist_has_a_query_ceiling(world, finance, django_assert_max_num_queries):
    _partner, fund, user = world
    other = investor(name="Koffi Adjovi")
    for i in range(4):
        orders.place_order(
            actor=user, product=fund, side="subscribe", amount=10_000, idempotency_key=f"a{i}", send=False
        )
        orders.place_order(
            actor=other, product=fund, side="subscribe", amount=10_000, idempotency_key=f"b{i}", send=False
        )
    url = reverse("admin:invest_order_changelist")
    finance.get(url)  # the session and the site's caches warmed
    with django_assert_max_num_queries(14):
        response = finance.get(url)
    assert response.status_code == 200 and response.content.decode().count('class="action-select"') == 8
    assert finance.get(url + f"?q={user.phone}").content.decode().count('class="action-select"') == 4


# ---------------------------------------------------------------- the order repairs


def test_send_again_asks_for_confirmation_then_sends_a_created_order(world, finance):
    _partner, fund, user = world
    order = orders.place_order(
        actor=user,
        product=fund,
        side="subscribe",
        amount=50_000,
        idempotency_key="k",
        send=False,
        now=at(DAY),
    )
    assert order.status == Order.Status.CREATED
    page = act(finance, "order", "send_again", [order], confirm=False)
    assert page.status_code == 200 and 'name="confirmed"' in page.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.CREATED  # nothing before the confirmation
    assert act(finance, "order", "send_again", [order]).status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.ACKNOWLEDGED  # the partner has it; its NAV is not known yet
    assert order.partner_ref.startswith("SBX-") and order.attempts == 1


def test_ask_the_partner_again_applies_the_fill_and_settles_it(world, finance):
    _partner, fund, user = world
    before = wallet_balance(user)
    order = orders.place_order(
        actor=user, product=fund, side="subscribe", amount=50_000, idempotency_key="k", now=at(DAY)
    )
    assert order.status == Order.Status.ACKNOWLEDGED
    store_quotes([Quote(product_code=fund.code, on=DAY, price=NAV)], source="test")
    assert act(finance, "order", "ask_again", [order]).status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.EXECUTED and order.settled_at is not None
    assert (order.executed_quantity, order.fees, order.cash) == (49_500, 500, 50_000)
    assert Position.objects.get(user=user, product=fund).quantity == 49_500
    assert wallet_balance(user) == before - 50_000


def test_settle_now_settles_a_due_order_and_skips_one_not_due(world, finance):
    partner, _fund, user = world
    slow = money_market_fund(partner, code="CI0000000002", settlement_days=2)
    before = wallet_balance(user)
    with time_machine.travel(at(DAY, 10), tick=False):  # executed on DAY, settling two days later
        due = executed(user, slow, side="subscribe", on=DAY, nav=NAV, key="due", amount=40_000)
        assert due.settle_on == date(2025, 6, 4) and due.settled_at is None
    waiting = orders.place_order(
        actor=user,
        product=slow,
        side="subscribe",
        amount=20_000,
        idempotency_key="w",
        now=at(timezone.localdate()),
    )
    assert wallet_balance(user) == before  # the cash is only held
    assert act(finance, "order", "settle_now", [due, waiting]).status_code == 302
    due.refresh_from_db()
    waiting.refresh_from_db()
    assert due.settled_at is not None and waiting.settled_at is None
    assert wallet_balance(user) == before - 40_000


# ---------------------------------------------------------------- distributions and reconciliation


def test_pay_now_credits_each_holder_once(world, finance):
    _partner, fund, user = world
    executed(user, fund, side="subscribe", on=DAY, nav=NAV, key="k", amount=100_000)  # 9.9 units
    coupon = Distribution.objects.create(
        product=fund,
        kind=Distribution.Kind.COUPON,
        per_unit=1_000_000,  # 100 FCFA a unit
        record_on=timezone.localdate(),
        pay_on=timezone.localdate(),
    )
    later = Distribution.objects.create(
        product=fund,
        kind=Distribution.Kind.COUPON,
        per_unit=1_000_000,
        record_on=timezone.localdate() + timedelta(days=30),
        pay_on=timezone.localdate() + timedelta(days=31),
    )
    before = wallet_balance(user)
    assert act(finance, "distribution", "pay_now", [coupon, later]).status_code == 302
    assert act(finance, "distribution", "pay_now", [coupon]).status_code == 302  # again: nobody twice
    assert wallet_balance(user) == before + 990
    assert DistributionPayment.objects.get(distribution=coupon).amount == 990
    coupon.refresh_from_db()
    later.refresh_from_db()
    assert coupon.status == Distribution.Status.PAID and later.status == Distribution.Status.ANNOUNCED


def test_reconcile_today_compares_the_partners_file_with_our_positions(world, finance):
    partner, fund, user = world
    executed(user, fund, side="subscribe", on=DAY, nav=NAV, key="k", amount=100_000)
    assert act(finance, "partner", "reconcile_today", [partner]).status_code == 302
    run = Reconciliation.objects.get(partner=partner, on=timezone.localdate())
    assert (run.lines, run.matched, run.differences, run.error) == (1, 1, 0, "")


def test_a_difference_is_resolved_with_a_note_only(world, finance):
    partner, _fund, _user = world
    run = Reconciliation.objects.create(partner=partner, on=DAY, lines=1, matched=0, differences=1)
    item = ReconciliationDifference.objects.create(
        reconciliation=run, account="HKW-0000000001", product_code="CI0000000001", ours=10_000, theirs=0
    )
    url = reverse("admin:invest_reconciliation_change", args=[run.pk])
    assert "HKW-0000000001" in finance.get(url).content.decode()

    def post(note):
        return finance.post(
            url,
            {
                "items-TOTAL_FORMS": "1",
                "items-INITIAL_FORMS": "1",
                "items-MIN_NUM_FORMS": "0",
                "items-MAX_NUM_FORMS": "1000",
                "items-0-id": str(item.pk),
                "items-0-reconciliation": str(run.pk),
                "items-0-resolved": "on",
                "items-0-note": note,
            },
        )

    refused = post("")
    assert refused.status_code == 200
    item.refresh_from_db()
    assert not item.resolved
    assert post("Titres livrés le 3 juin par la SGO").status_code == 302
    item.refresh_from_db()
    assert item.resolved and item.note == "Titres livrés le 3 juin par la SGO"
