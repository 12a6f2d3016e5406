"""The investor's pages (/invest/…, apps/invest/web) with Django's test client, in French: each
page renders for a tier-2 investor with a profile and a funded wallet; the whole flow
questionnaire → order form → confirmation → order placed (nothing written before the
confirmation, the wallet's available balance down by the amount, a double submit one order)
→ the order's page → its cancellation; the risk acknowledgement asked above the profile; the
SMS code asked above INVEST_STEP_UP_ABOVE; the refusals shown as form errors (tier, minimum,
balance, units, a service's refusal on the confirmation); the monthly plans (created after a
confirmation, paused, resumed, stopped); query-count ceilings on the home page and the
catalogue; another user's order or plan is the 404 page; the anonymous caller is sent to
the tenant login."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.invest.contracts import Quote
from apps.invest.models import Order, Plan, Position
from apps.invest.services import orders
from apps.invest.services.market import store_quotes
from apps.invest.web.views import _months_back, price_chart
from tests.invest import world

pytestmark = pytest.mark.django_db

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}
DYNAMIC = {
    "horizon": "over_5_years",
    "objective": "grow",
    "fall_reaction": "buy_more",
    "knowledge": "shares",
    "share_of_savings": "under_10",
    "emergency_savings": "3_months_or_more",
}
PRUDENT_CAPPED = {**DYNAMIC, "horizon": "under_1_year"}  # the short-horizon cap: risk 2


def client_for(user) -> Client:
    client = Client(**FR)
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def errors(response) -> str:
    found = re.findall(
        r'(?:data-testid="(?:field|form)-error"|data-testid="confirm-errors"|class="field-error" role="alert")>'
        r"(?:<li>|<p>)?([^<]+)<",
        text(response),
    )
    return " ".join(found)


def hidden(response) -> dict:
    """The confirmation's hidden fields (what the next step posts back)."""
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', text(response)))


def available(user) -> int:
    return world.balance(user)[1]


@pytest.fixture
def catalogue(db):
    """A money-market fund (risk 1) with a month of NAVs, a bond fund (risk 3, fees) and a
    BRVM share (risk 6)."""
    today = timezone.localdate()
    mmf = world.fund("T-MONEY", risk=1, on=today - timedelta(days=40))
    store_quotes(
        [
            Quote(
                product_code="T-MONEY", on=today - timedelta(days=40 - i * 5), price=world.NAV + i * 200_000
            )
            for i in range(1, 8)
        ]
    )
    mmf.refresh_from_db()
    bond = world.fund("T-BOND", risk=3, entry=100, exit=50, kind="bond_fund", min_amount=10_000)
    share = world.share()
    return mmf, bond, share


@pytest.fixture
def investor(db):
    return world.investor(balance=200_000, max_risk=3)


@pytest.fixture
def sms():
    from apps.identity import api as identity
    from tests.identity.conftest import SmsInbox

    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    yield inbox
    identity.set_otp_sender(None)


def subscribe_confirmation(client, product, amount):
    url = reverse("invest:order-new", args=[product.code])
    return url, client.post(url, {"side": "subscribe", "amount": amount})


# --- anonymous --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["invest:home", "invest:products", "invest:profile", "invest:plans"])
def test_anonymous_is_sent_to_the_tenant_login(name):
    response = Client().get(reverse(name))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(reverse("estate:tenant-login"))
    assert parse_qs(urlsplit(location).query)["next"] == [reverse(name)]


# --- every page, in French ------------------------------------------------------------------------------


def test_each_page_renders_in_french(catalogue, investor):
    mmf, bond, share = catalogue
    client = client_for(investor)
    order = orders.place_order(
        actor=investor, product=mmf, side="subscribe", amount=10_000, idempotency_key="fr-pages"
    )
    plan = client.post(
        reverse("invest:plan-new"), {"product": str(bond.public_id), "amount": "10 000", "day": 5}
    )
    assert plan.status_code == 200
    urls = [
        reverse("invest:home"),
        reverse("invest:products"),
        reverse("invest:product", args=[mmf.code]),
        reverse("invest:product", args=[share.code]),
        reverse("invest:profile"),
        reverse("invest:plans"),
        reverse("invest:order-new", args=[mmf.code]),
        reverse("invest:order-new", args=[share.code]),
        reverse("invest:order", args=[order.public_id]),
        reverse("invest:order-cancel", args=[order.public_id]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = text(response)
        assert '<html lang="fr">' in body, url
        assert 'data-testid="invest-nav"' in body or 'data-testid="confirm"' in body, url
        assert "|date" not in body and "None" not in re.sub(r"<[^>]+>", " ", body), url
    home = text(client.get(reverse("invest:home")))
    assert "envoyé au partenaire" in home or "acquitté" in home or "reçu" in home or "créé" in home
    assert "10\u202f000" in home and 'data-testid="order-row"' in home
    sheet = text(client.get(reverse("invest:product", args=[mmf.code])))
    assert "Les performances passées ne préjugent pas des performances futures" in sheet
    assert 'data-testid="past-performance-warning"' in sheet
    assert 'data-level="1"' in sheet and "très faible" in sheet
    assert '<polyline class="line" points="' in sheet and 'data-testid="price-chart"' in sheet
    assert "10\u202f140" in sheet  # the latest NAV: 10 140 FCFA
    share_sheet = text(client.get(reverse("invest:product", args=[share.code])))
    assert 'data-level="6"' in share_sheet and "élevé" in share_sheet
    assert 'data-testid="above-profile"' in share_sheet  # risk 6 above the investor's 3
    questions = text(client.get(reverse("invest:profile")))
    assert "Combien de temps pouvez-vous laisser cet argent placé" in questions
    assert questions.count('type="radio"') == sum(len(q["choices"]) for q in _questions())


def _questions():
    from apps.invest import questionnaire

    return questionnaire.questions_payload("fr")


def test_an_unknown_product_is_the_404_page(investor):
    response = client_for(investor).get(reverse("invest:product", args=["NOPE"]))
    assert response.status_code == 404 and 'data-testid="invest-not-found"' in text(response)


def test_the_price_chart_is_drawn_from_the_history():
    history = [(date(2026, 1, d), 100_000_000 + d * 1_000_000) for d in range(1, 6)]
    chart = price_chart(history, "XOF", "fr")
    points = chart["points"].split()
    assert len(points) == 5 and points[0].startswith("6.0,") and points[-1].startswith("314.0,")
    assert float(points[0].split(",")[1]) > float(points[-1].split(",")[1])  # rising: drawn upwards
    assert chart["up"] and chart["first"] == "10\u202f100\u00a0FCFA"
    assert price_chart(history[:1], "XOF", "fr") is None


def test_statements_of_the_last_full_months():
    assert _months_back(date(2026, 3, 15), date(2025, 12, 20), 6) == [
        date(2026, 2, 1),
        date(2026, 1, 1),
        date(2025, 12, 1),
    ]
    assert _months_back(date(2026, 3, 15), date(2026, 3, 1), 6) == []


# --- the whole flow ----------------------------------------------------------------------------------


def test_questionnaire_then_an_order_confirmed_then_its_page_then_cancelled(catalogue):
    mmf, _bond, _share = catalogue
    user = world.investor(balance=150_000, profile=False)
    client = client_for(user)
    # no profile yet: the order form says so and links to the questionnaire
    form = client.get(reverse("invest:order-new", args=[mmf.code]))
    assert 'data-testid="eligibility"' in text(form) and "questionnaire" in text(form)
    refused = client.post(
        reverse("invest:order-new", args=[mmf.code]), {"side": "subscribe", "amount": "20000"}
    )
    assert refused.status_code == 400 and "questionnaire" in errors(refused)

    # the questionnaire: a missing answer is a field error, then the profile and its reason
    partial = client.post(
        reverse("invest:profile"), {k: v for k, v in PRUDENT_CAPPED.items() if k != "objective"}
    )
    assert partial.status_code == 400 and "Répondez à cette question" in errors(partial)
    done = client.post(reverse("invest:profile"), PRUDENT_CAPPED)
    assert done.status_code == 302
    page = text(client.get(done["Location"]))
    assert 'data-testid="profile-result"' in page and 'data-level="2"' in page
    assert "horizon" in page and 'data-testid="profile-reasons"' in page  # the cap, said in words
    assert 'data-testid="flash"' in page

    # the form → the confirmation: nothing written yet
    before = available(user)
    url, confirm = subscribe_confirmation(client, mmf, "20 000")
    assert confirm.status_code == 200, errors(confirm)
    body = text(confirm)
    assert 'data-testid="confirm-question"' in body and "20\u202f000" in body
    assert "Les performances passées" in body  # the warning, with the order
    nav_date, after = orders._nav_date(mmf, timezone.now())
    assert f"{nav_date.day} " in body  # the NAV date, in words
    assert 'data-testid="confirm-acknowledge"' not in body  # risk 1 fits the profile (2)
    assert Order.objects.count() == 0 and available(user) == before
    fields = hidden(confirm)
    assert re.fullmatch(r"[0-9a-f]{32}", fields["key"]) and fields["amount"] == "20000"

    # confirmed: the order is placed, the amount held from the wallet
    placed = client.post(url, {**fields, "confirm_step": "confirm"})
    assert placed.status_code == 302, errors(placed)
    order = Order.objects.get()
    assert placed["Location"] == reverse("invest:order", args=[order.public_id])
    assert order.amount == 20_000 and order.held == 20_000 and order.idempotency_key == f"web:{fields['key']}"
    assert available(user) == before - 20_000
    # a double submit of the same confirmation: the same order, nothing more held
    again = client.post(url, {**fields, "confirm_step": "confirm"})
    assert again.status_code == 302 and again["Location"] == placed["Location"]
    assert Order.objects.count() == 1 and available(user) == before - 20_000

    # the order's page: its status in French, the NAV date, the cancel button
    order_page = text(client.get(placed["Location"]))
    assert order.get_status_display() in order_page or "acquitté" in order_page
    assert 'data-testid="order-nav"' in order_page and 'data-testid="cancel-order"' in order_page
    assert 'data-testid="flash"' in order_page and "20\u202f000" in order_page

    # cancelled after a confirmation: the money is back
    cancel_url = reverse("invest:order-cancel", args=[order.public_id])
    ask = client.get(cancel_url)
    assert ask.status_code == 200 and 'data-testid="confirm-question"' in text(ask)
    assert Order.objects.get().status != "cancelled"
    cancelled = client.post(cancel_url, {"confirm_step": "confirm"})
    assert cancelled.status_code == 302, errors(cancelled)
    assert Order.objects.get().status == "cancelled" and available(user) == before
    after_page = text(client.get(cancelled["Location"]))
    assert "annulé" in after_page and 'data-testid="cancel-order"' not in after_page
    # again (a back button): said, nothing moves
    replay = client.post(cancel_url, {"confirm_step": "confirm"})
    assert replay.status_code == 302 and "ne peut plus être annulé" in text(client.get(replay["Location"]))


def test_a_product_above_the_profile_needs_the_box_ticked(catalogue, investor):
    _mmf, _bond, share = catalogue
    client = client_for(investor)
    url = reverse("invest:order-new", args=[share.code])
    before = available(investor)
    confirm = client.post(url, {"side": "buy", "quantity": "2", "limit_price": "24 000"})
    assert confirm.status_code == 200, errors(confirm)
    body = text(confirm)
    assert 'data-testid="confirm-acknowledge"' in body and "6" in body
    fields = hidden(confirm)
    assert fields["quantity"] == "2" and fields["limit_price"] == "24000.0000"
    unticked = client.post(url, {**fields, "confirm_step": "confirm"})
    assert unticked.status_code == 200 and Order.objects.count() == 0
    assert 'data-testid="confirm-acknowledge"' in text(unticked)
    ticked = client.post(url, {**fields, "confirm_step": "confirm", "acknowledge": "on"})
    assert ticked.status_code == 302, errors(ticked)
    order = Order.objects.get()
    assert order.risk_acknowledged and order.quantity == 20_000 and order.limit_price == 24_000 * 10_000
    # held: 48 000 at the limit + the minimum brokerage (1 000)
    assert order.held == 49_000 and available(investor) == before - 49_000


def test_a_step_up_code_is_asked_above_the_threshold(catalogue, investor, settings, sms):
    mmf, _bond, _share = catalogue
    settings.INVEST_STEP_UP_ABOVE = 50_000
    client = client_for(investor)
    before = available(investor)
    _url, small = subscribe_confirmation(client, mmf, "10 000")
    assert small.status_code == 200 and "SMS" not in text(small)
    url, confirm = subscribe_confirmation(client, mmf, "60 000")
    assert confirm.status_code == 200 and "SMS" in text(confirm)
    fields = hidden(confirm)
    code_step = client.post(url, {**fields, "confirm_step": "confirm"})
    assert code_step.status_code == 200 and 'name="code"' in text(code_step)
    assert Order.objects.count() == 0
    wrong = client.post(url, {**fields, "confirm_step": "code", "code": "000000"})
    assert wrong.status_code == 200 and errors(wrong) and Order.objects.count() == 0
    client.post(url, {**fields, "confirm_step": "confirm"})  # a new code
    done = client.post(url, {**fields, "confirm_step": "code", "code": sms.last_code(investor.phone)})
    assert done.status_code == 302, errors(done)
    assert Order.objects.get().held == 60_000 and available(investor) == before - 60_000
    # the code was for this operation: replaying the step places nothing more
    replay = client.post(url, {**fields, "confirm_step": "code", "code": sms.last_code(investor.phone)})
    assert replay.status_code in (200, 302) and Order.objects.count() == 1


# --- refusals as form errors --------------------------------------------------------------------------


def test_refusals_are_form_errors_never_a_500(catalogue):
    mmf, bond, share = catalogue
    low = world.investor(balance=50_000, tier=1)
    response = client_for(low).post(
        reverse("invest:order-new", args=[mmf.code]), {"side": "subscribe", "amount": "10000"}
    )
    assert response.status_code == 400 and "identité vérifiée" in errors(response)

    user = world.investor(balance=30_000)
    client = client_for(user)
    url = reverse("invest:order-new", args=[bond.code])
    too_small = client.post(url, {"side": "subscribe", "amount": "4 000"})
    assert too_small.status_code == 400 and "inférieur au minimum" in errors(too_small)
    assert "10\u202f000" in errors(too_small)  # the product's own minimum
    too_much = client.post(url, {"side": "subscribe", "amount": "90 000"})
    assert too_much.status_code == 400 and errors(too_much)
    not_a_number = client.post(url, {"side": "subscribe", "amount": "dix mille"})
    assert not_a_number.status_code == 400 and errors(not_a_number)
    no_units = client.post(
        reverse("invest:order-new", args=[share.code]), {"side": "sell", "quantity": "1", "limit_price": "1"}
    )
    assert no_units.status_code == 400 and errors(no_units)  # nothing held: selling is no choice
    assert Order.objects.count() == 0

    # the service's own refusal on the confirmation: the balance spent in between
    url, confirm = subscribe_confirmation(client, mmf, "20 000")
    fields = hidden(confirm)
    orders.place_order(actor=user, product=mmf, side="subscribe", amount=15_000, idempotency_key="in-between")
    refused = client.post(url, {**fields, "confirm_step": "confirm"})
    assert refused.status_code == 200 and 'data-testid="confirm-errors"' in text(refused)
    assert errors(refused) and Order.objects.count() == 1


def test_a_redemption_by_units_above_the_position_is_refused(catalogue, investor):
    mmf, _bond, _share = catalogue
    order = orders.place_order(
        actor=investor, product=mmf, side="subscribe", amount=20_000, idempotency_key="r1"
    )
    store_quotes([Quote(product_code=mmf.code, on=order.nav_date, price=world.NAV)])
    orders.refresh_order(order)
    position = Position.objects.get(user=investor, product=mmf)
    assert position.quantity == 2 * 10_000
    client = client_for(investor)
    home = text(client.get(reverse("invest:home")))
    assert "2,0000" in home and 'data-testid="position"' in home and 'data-testid="sell-link"' in home
    url = reverse("invest:order-new", args=[mmf.code])
    form = client.get(url + "?side=redeem")
    assert re.search(r'value="redeem"[^>]*checked', text(form))
    too_many = client.post(url, {"side": "redeem", "units": "3,5"})
    assert too_many.status_code == 400 and "ne détenez pas autant" in errors(too_many)
    ok = client.post(url, {"side": "redeem", "units": "1,5"})
    assert ok.status_code == 200 and 'data-testid="confirm-question"' in text(ok)
    assert hidden(ok)["units"] == "1.5000"
    placed = client.post(url, {**hidden(ok), "confirm_step": "confirm"})
    assert placed.status_code == 302, errors(placed)
    assert Order.objects.filter(side="redeem").get().quantity == 15_000


# --- monthly plans ----------------------------------------------------------------------------------------


def test_a_monthly_plan_created_paused_resumed_and_stopped(catalogue, investor):
    mmf, bond, share = catalogue
    client = client_for(investor)
    page = text(client.get(reverse("invest:plans")))
    assert 'data-testid="rent-first"' in page and "35" in page
    assert str(share.public_id) not in page  # shares: not in a plan
    url = reverse("invest:plan-new")
    bad_day = client.post(url, {"product": str(mmf.public_id), "amount": "10000", "day": "31"})
    assert bad_day.status_code == 400 and errors(bad_day)
    confirm = client.post(url, {"product": str(mmf.public_id), "amount": "10 000", "day": "9"})
    assert confirm.status_code == 200 and 'data-testid="confirm-question"' in text(confirm)
    assert Plan.objects.count() == 0
    created = client.post(url, {**hidden(confirm), "confirm_step": "confirm"})
    assert created.status_code == 302, errors(created)
    plan = Plan.objects.get()
    assert (plan.amount, plan.day, plan.status) == (10_000, 9, "active")
    assert "10\u202f000" in text(client.get(created["Location"]))

    status = reverse("invest:plan-status", args=[plan.public_id])
    assert client.post(status, {"status": "paused"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "paused"
    assert "en pause" in text(client.get(reverse("invest:plans")))
    assert client.post(status, {"status": "active"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "active"

    cancel = reverse("invest:plan-cancel", args=[plan.public_id])
    assert client.get(cancel).status_code == 200 and Plan.objects.get().status == "active"
    stopped = client.post(cancel, {"confirm_step": "confirm"})
    assert stopped.status_code == 302
    assert Plan.objects.get().status == "cancelled"


def test_a_plan_above_the_profile_needs_the_box_ticked(catalogue):
    _mmf, bond, _share = catalogue
    user = world.investor(balance=50_000, max_risk=2)
    client = client_for(user)
    url = reverse("invest:plan-new")
    confirm = client.post(url, {"product": str(bond.public_id), "amount": "10000", "day": "3"})
    assert 'data-testid="confirm-acknowledge"' in text(confirm)
    unticked = client.post(url, {**hidden(confirm), "confirm_step": "confirm"})
    assert unticked.status_code == 200 and Plan.objects.count() == 0
    ticked = client.post(url, {**hidden(confirm), "confirm_step": "confirm", "acknowledge": "on"})
    assert ticked.status_code == 302 and Plan.objects.get().product == bond


# --- another user's objects ---------------------------------------------------------------------------


def test_another_users_order_and_plan_are_the_404_page(catalogue, investor):
    mmf, bond, _share = catalogue
    from apps.invest.services import plans

    order = orders.place_order(
        actor=investor, product=mmf, side="subscribe", amount=10_000, idempotency_key="mine"
    )
    plan = plans.create_plan(actor=investor, product=bond, amount=10_000, day=4)
    other = client_for(world.investor(balance=10_000))
    for method, url in (
        ("get", reverse("invest:order", args=[order.public_id])),
        ("get", reverse("invest:order-cancel", args=[order.public_id])),
        ("post", reverse("invest:order-cancel", args=[order.public_id])),
        ("post", reverse("invest:plan-status", args=[plan.public_id])),
        ("get", reverse("invest:plan-cancel", args=[plan.public_id])),
        ("post", reverse("invest:plan-cancel", args=[plan.public_id])),
    ):
        response = getattr(other, method)(
            url, {"confirm_step": "confirm", "status": "paused"} if method == "post" else {}
        )
        assert response.status_code == 404, url
        assert 'data-testid="invest-not-found"' in text(response)
        assert "10\u202f000" not in text(response)
    order.refresh_from_db()
    plan.refresh_from_db()
    assert order.status != "cancelled" and plan.status == "active"


# --- query-count ceilings ------------------------------------------------------------------------------


def test_the_home_page_and_the_catalogue_have_a_query_ceiling(
    catalogue, investor, django_assert_max_num_queries
):
    mmf, bond, share = catalogue
    from apps.invest.services import plans

    for i in range(3):
        orders.place_order(
            actor=investor, product=mmf, side="subscribe", amount=10_000, idempotency_key=f"q{i}"
        )
    plans.create_plan(actor=investor, product=mmf, amount=10_000, day=4)
    plans.create_plan(actor=investor, product=bond, amount=10_000, day=5)
    for product in (mmf, bond):
        Position.objects.create(user=investor, product=product, quantity=12_3456, cost=12_000, value=12_500)
    client = client_for(investor)
    client.get(reverse("invest:home"))  # the session and the wallet's first use
    with django_assert_max_num_queries(30):
        home = client.get(reverse("invest:home"))
    assert home.status_code == 200 and text(home).count('data-testid="position"') == 2
    assert "12,3456" in text(home)
    with django_assert_max_num_queries(12):
        catalogue_page = client.get(reverse("invest:products"))
    assert text(catalogue_page).count('data-testid="product-row"') == 3
