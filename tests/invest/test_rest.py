"""REST of HokweInvest (/api/v1/invest/…): the catalogue and the product sheet, the
questionnaire and the profile, orders end to end with the sandbox partner (placed, the NAV
loaded, executed, settled, a position), every refusal as a problem document that writes
nothing, the Idempotency-Key replay, cancelling, the list's query ceiling, plans."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.invest import domain
from apps.invest.contracts import Quote
from apps.invest.models import Order, Plan, Position, RiskAcknowledgement
from apps.invest.services import market
from apps.invest.services.orders import refresh_order, settle_due
from tests.fixtures.invest import (
    DYNAMIC_ANSWERS,
    MMF_NAV,
    invest_available,
    invest_investor,
)
from tests.helpers import bearer_client

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/invest/orders"


def _place(client, body: dict, key: str = "k-1", **extra):
    return client.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY=key, **extra)


def _problem(response, status: int, code: str, field: str | None = None, field_code: str | None = None):
    """A problem document with that status and code (and, when given, a field error)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code, body
    if field is not None:
        assert (field, field_code or code) in {(e["field"], e["code"]) for e in body["errors"]}, body
    return body


# --- the catalogue ---


def test_products_list_filter_and_sheet(invest_world):
    client = bearer_client(invest_world.investor)
    rows = client.get("/api/v1/invest/products").json()
    assert [r["code"] for r in rows] == [
        invest_world.mmf.code,
        invest_world.bill.code,
        invest_world.bond.code,
        invest_world.share.code,
    ]  # lowest risk first
    assert rows[0]["price"] == "10000.0000" and rows[0]["risk_label"] == str(domain.risk_label(1))
    assert rows[0]["min_amount"]["amount"] == 5_000
    shares = client.get("/api/v1/invest/products", {"kind": "share"}).json()
    assert [r["code"] for r in shares] == [invest_world.share.code]
    _problem(client.get("/api/v1/invest/products", {"kind": "crypto"}), 400, "validation_error")

    sheet = client.get(f"/api/v1/invest/products/{invest_world.mmf.code}").json()
    assert sheet["risk"] == 1 and sheet["kind_label"]
    assert sheet["cutoff"] == "11:00" and sheet["settlement_days"] == 0
    assert "3" in sheet["horizon_label"]
    assert sheet["past_performance"]["warning"] == str(domain.PAST_PERFORMANCE_WARNING)
    assert sheet["partner"]["licence"].startswith("Agrément AMF-UMOA") and sheet["partner"]["sandbox"] is True
    assert sheet["auctions"] == []
    by_id = client.get(f"/api/v1/invest/products/{invest_world.bill.public_id}").json()
    assert by_id["code"] == invest_world.bill.code
    assert len(by_id["auctions"]) == 1 and by_id["auctions"][0]["min_amount"]["amount"] == 10_000
    english = client.get(
        f"/api/v1/invest/products/{invest_world.share.code}", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert english["risk_label"] == "high" and english["summary"] == "A test product."
    assert "Brokerage: 1 %" in english["fees"]["text"]

    prices = client.get(f"/api/v1/invest/products/{invest_world.mmf.code}/prices").json()
    assert prices["prices"] == [{"on": invest_world.mmf.price_on.isoformat(), "price": "10000.0000"}]
    _problem(client.get("/api/v1/invest/products/NOPE"), 404, "invest_product_not_found")
    _problem(
        client.get(f"/api/v1/invest/products/{invest_world.mmf.code}/prices", {"days": 0}),
        400,
        "validation_error",
    )


def test_anonymous_callers_are_refused(invest_world):
    assert bearer_client(None).get("/api/v1/invest/products").status_code == 401
    assert bearer_client(None).post(ORDERS, {}, format="json").status_code == 401


# --- the questionnaire and the profile ---


def test_questionnaire_and_profile():
    user = invest_investor(answers=None)
    client = bearer_client(user)
    questions = client.get("/api/v1/invest/questionnaire").json()
    assert len(questions) == 6 and questions[0]["id"] == "horizon"
    assert "points" not in str(questions)
    english = client.get("/api/v1/invest/questionnaire", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english[0]["text"].startswith("How long")

    _problem(client.get("/api/v1/invest/profile"), 404, "invest_profile_not_found")
    bad = client.post("/api/v1/invest/profile", {"answers": {"horizon": "tomorrow"}}, format="json")
    _problem(bad, 400, "invest_invalid_answers", "answers.horizon")
    _problem(
        client.post("/api/v1/invest/profile", {"answers": {}, "x": 1}, format="json"), 400, "validation_error"
    )

    answers = {**DYNAMIC_ANSWERS, "emergency_savings": "none"}
    body = client.post("/api/v1/invest/profile", {"answers": answers}, format="json").json()
    assert body["profile"] == "prudent" and body["max_risk"] == 3
    assert len(body["reasons"]) == 1 and "3" in body["reasons"][0]
    assert client.get("/api/v1/invest/profile").json()["max_risk"] == 3
    body = client.post("/api/v1/invest/profile", {"answers": DYNAMIC_ANSWERS}, format="json").json()
    assert (body["profile"], body["max_risk"], body["reasons"]) == ("dynamic", 7, [])


# --- orders, end to end ---


def test_subscription_end_to_end_with_the_sandbox_partner(invest_world, django_capture_on_commit_callbacks):
    investor, mmf = invest_world.investor, invest_world.mmf
    client = bearer_client(investor)
    before = invest_available(investor)
    with django_capture_on_commit_callbacks(execute=True):
        response = _place(client, {"product": mmf.code, "side": "subscribe", "amount": 50_000})
    assert response.status_code == 201, response.content
    body = response.json()
    order = Order.objects.get(public_id=body["id"])
    # the NAV date follows the cut-off, and the answer says so
    expected = domain.next_nav_date(order.created_at, mmf.cutoff, tz="Africa/Abidjan")
    assert body["nav_date"] == expected.isoformat()
    local = order.created_at.astimezone(ZoneInfo("Africa/Abidjan"))
    late = domain.is_business_day(local.date()) and local.time() >= mmf.cutoff  # a weekend order is not late
    assert body["after_cutoff"] == late == order.after_cutoff
    assert expected.strftime("%Y") in body["notice"]
    assert (body["above_profile"], body["profile_max_risk"], body["product"]["risk"]) == (False, 5, 1)
    assert body["held"]["amount"] == 50_000 and body["amount"]["amount"] == 50_000
    assert invest_available(investor) == before - 50_000
    # sent after the commit: the sandbox partner acknowledged it
    detail = client.get(f"{ORDERS}/{order.public_id}").json()
    assert detail["status"] == "acknowledged" and detail["executions"] == []

    # the NAV of its date comes in; the partner's status executes it
    nav = MMF_NAV + 12_345
    market.store_quotes([Quote(product_code=mmf.code, on=order.nav_date, price=nav)])
    order = refresh_order(order)
    assert order.status == "executed"
    settle_due(today=order.settle_on)
    order.refresh_from_db()
    assert order.settled_at is not None
    fill = domain.subscription(50_000, nav, mmf.entry_fee_bps)
    detail = client.get(f"{ORDERS}/{order.public_id}").json()
    assert detail["status"] == "executed" and detail["status_label"] == str(order.get_status_display())
    assert detail["executed_quantity"] == domain_units(fill.units)
    assert len(detail["executions"]) == 1 and detail["executions"][0]["price"] == "10001.2345"
    assert invest_available(investor) == before - fill.cost - fill.fees

    market.value_positions(order.settle_on)
    positions = client.get("/api/v1/invest/positions").json()
    assert [(p["product"]["code"], p["quantity"]) for p in positions] == [
        (mmf.code, domain_units(fill.units))
    ]
    assert positions[0]["value"]["amount"] == domain.value(fill.units, nav)
    assert positions[0]["cost"]["amount"] == fill.cost + fill.fees
    portfolio = client.get("/api/v1/invest/portfolio").json()
    assert portfolio["value"]["amount"] == positions[0]["value"]["amount"]
    assert portfolio["invested"]["amount"] == order.cash
    assert portfolio["warning"] == str(domain.PAST_PERFORMANCE_WARNING)


def domain_units(value: int) -> str:
    whole, part = divmod(value, 10_000)
    return f"{whole}.{part:04d}"


def test_share_buy_above_the_profile_needs_the_acknowledgement(invest_world):
    investor, share = invest_world.investor, invest_world.share
    client = bearer_client(investor)
    body = {"product": share.code, "side": "buy", "quantity": "2", "limit_price": "16000"}
    refused = _place(client, body, key="s-1")
    _problem(refused, 409, "invest_risk_acknowledgement_required")
    assert refused.json()["errors"][0]["field"] == "acknowledge_risk"
    assert not Order.objects.exists() and not RiskAcknowledgement.objects.exists()

    placed = _place(client, {**body, "acknowledge_risk": True}, key="s-2")
    assert placed.status_code == 201, placed.content
    out = placed.json()
    assert (out["above_profile"], out["risk_acknowledged"], out["quantity"], out["limit_price"]) == (
        True,
        True,
        "2.0000",
        "16000.0000",
    )
    assert out["held"]["amount"] == domain.share_buy_cost(20_000, 160_000_000, 100, 1_000)
    assert RiskAcknowledgement.objects.filter(user=investor, product=share).count() == 1


V = "validation_error"


@pytest.mark.parametrize(
    ("setup", "body", "status", "code", "field", "field_code"),
    [
        ("tier1", {"side": "subscribe", "amount": 10_000}, 403, "invest_kyc_tier_too_low", None, None),
        ("no_profile", {"side": "subscribe", "amount": 10_000}, 409, "invest_profile_required", None, None),
        ("", {"side": "subscribe", "amount": 4_999}, 400, "invest_amount_too_small", "amount", None),
        ("", {"side": "subscribe", "amount": 900_000}, 409, "wallet_balance_too_low", "amount", None),
        ("", {"side": "subscribe", "amount": "10000"}, 400, V, "amount", "invalid_amount"),
        ("", {"side": "subscribe", "amount": 10_000.0}, 400, V, "amount", "invalid_amount"),
        ("", {"side": "redeem", "quantity": "1.5"}, 409, "invest_not_enough_units", "quantity", None),
        ("", {"side": "redeem", "quantity": "1.23456"}, 400, V, "quantity", "invalid_decimal"),
        ("", {"side": "redeem", "quantity": "-1"}, 400, V, "quantity", "invalid_decimal"),
        ("", {"side": "redeem", "quantity": "0"}, 400, V, "quantity", "min_value"),
        ("", {"side": "redeem", "quantity": 1.5}, 400, V, "quantity", "invalid_decimal"),
        ("", {"side": "redeem", "quantity": "1e3"}, 400, V, "quantity", "invalid_decimal"),
        ("", {"side": "buy", "amount": 10_000}, 400, "invest_invalid_order", "side", None),
        ("", {"side": "subscribe", "amount": 10_000, "color": "red"}, 400, V, "color", "unknown_field"),
        ("", {"side": "short", "amount": 10_000}, 400, V, "side", "invalid_choice"),
    ],
)
def test_fund_order_refusals_write_nothing(invest_world, setup, body, status, code, field, field_code):
    answers = None if setup == "no_profile" else DYNAMIC_ANSWERS
    investor = invest_investor(tier=1 if setup == "tier1" else 2, answers=answers, balance=100_000)
    client = bearer_client(investor)
    before = invest_available(investor)
    response = _place(client, {"product": invest_world.mmf.code, **body})
    _problem(response, status, code, field, field_code)
    assert not Order.objects.filter(user=investor).exists()
    assert invest_available(investor) == before


def test_a_sell_without_shares_and_bad_prices(invest_world):
    client = bearer_client(invest_investor(answers=DYNAMIC_ANSWERS))
    share = invest_world.share.code
    sell = _place(client, {"product": share, "side": "sell", "quantity": "3", "limit_price": "15000"})
    _problem(sell, 409, "invest_not_enough_units")
    fractional = _place(
        client, {"product": share, "side": "buy", "quantity": "0.5", "limit_price": "15000"}, key="k2"
    )
    _problem(fractional, 400, "invest_invalid_order")
    price = _place(
        client, {"product": share, "side": "buy", "quantity": "1", "limit_price": "15000,5"}, key="k3"
    )
    _problem(price, 400, "validation_error", "limit_price", "invalid_decimal")
    unknown = _place(client, {"product": "XX", "side": "buy", "quantity": "1", "limit_price": "1"}, key="k4")
    _problem(unknown, 404, "invest_product_not_found")
    assert not Order.objects.exists()


def test_the_idempotency_key_is_required_and_a_replay_is_one_order(invest_world):
    investor = invest_world.investor
    client = bearer_client(investor)
    body = {"product": invest_world.mmf.code, "side": "subscribe", "amount": 20_000}
    _problem(client.post(ORDERS, body, format="json"), 400, "invalid_idempotency_key")
    before = invest_available(investor)
    first = _place(client, body, key="replay-1")
    again = _place(client, body, key="replay-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    assert Order.objects.filter(user=investor).count() == 1
    assert invest_available(investor) == before - 20_000
    _problem(_place(client, {**body, "amount": 30_000}, key="replay-1"), 409, "idempotency_key_reused")
    assert Order.objects.filter(user=investor).count() == 1


def test_cancel_gives_the_cash_back(invest_world, django_capture_on_commit_callbacks):
    investor = invest_world.investor
    client = bearer_client(investor)
    before = invest_available(investor)
    with django_capture_on_commit_callbacks(execute=True):
        order_id = _place(
            client, {"product": invest_world.bond.code, "side": "subscribe", "amount": 40_000}
        ).json()["id"]
    assert invest_available(investor) == before - 40_000
    outsider = bearer_client(invest_investor())
    _problem(outsider.post(f"{ORDERS}/{order_id}/cancel"), 404, "invest_order_not_found")
    _problem(outsider.get(f"{ORDERS}/{order_id}"), 404, "invest_order_not_found")
    cancelled = client.post(f"{ORDERS}/{order_id}/cancel")
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["status"] == "cancelled"
    assert invest_available(investor) == before
    _problem(client.post(f"{ORDERS}/{order_id}/cancel"), 409, "invest_order_not_cancellable")
    _problem(
        client.post(f"{ORDERS}/{order_id}/cancel", "{", content_type="application/json"), 400, "parse_error"
    )


def test_orders_list_pages_filters_and_has_a_query_ceiling(invest_world):
    investor = invest_world.investor
    other = invest_investor()
    client = bearer_client(investor)
    _place(bearer_client(other), {"product": invest_world.mmf.code, "side": "subscribe", "amount": 7_777})
    _place(client, {"product": invest_world.mmf.code, "side": "subscribe", "amount": 10_000}, key="a0")
    client.get(ORDERS)  # warm: the token's first use
    with CaptureQueriesContext(connection) as one:
        body = client.get(ORDERS).json()
    assert len(body["results"]) == 1 and body["next"] is None
    for n in range(1, 6):
        _place(
            client,
            {"product": invest_world.bond.code, "side": "subscribe", "amount": 10_000 + n},
            key=f"a{n}",
        )
    with CaptureQueriesContext(connection) as six:
        body = client.get(ORDERS).json()
    assert len(body["results"]) == 6
    assert len(six) == len(one), [q["sql"] for q in six.captured_queries]
    assert "7777" not in str(body)
    page = client.get(ORDERS, {"page_size": 4}).json()
    assert len(page["results"]) == 4 and page["next"]
    rest = client.get(page["next"]).json()
    assert len(rest["results"]) == 2
    assert client.get(ORDERS, {"status": "executed"}).json()["results"] == []
    _problem(client.get(ORDERS, {"status": "lost"}), 400, "validation_error")


def test_positions_and_portfolio_are_the_callers_own(invest_world):
    other = invest_investor()
    Position.objects.create(
        user=other, product=invest_world.mmf, quantity=123_4567, cost=98_765, value=99_999
    )
    client = bearer_client(invest_world.investor)
    assert client.get("/api/v1/invest/positions").json() == []
    portfolio = client.get("/api/v1/invest/portfolio").json()
    assert portfolio["value"]["amount"] == 0 and portfolio["time_weighted"] is None


# --- plans ---


def test_plans_create_update_pause_resume_cancel(invest_world):
    investor = invest_world.investor
    client = bearer_client(investor)
    created = client.post(
        "/api/v1/invest/plans", {"product": invest_world.mmf.code, "amount": 15_000, "day": 5}, format="json"
    )
    assert created.status_code == 201, created.content
    plan = created.json()
    assert (plan["amount"]["amount"], plan["day"], plan["status"]) == (15_000, 5, "active")
    assert plan["next_on"] >= timezone.localdate().isoformat()
    path = f"/api/v1/invest/plans/{plan['id']}"
    assert [p["id"] for p in client.get("/api/v1/invest/plans").json()] == [plan["id"]]

    updated = client.patch(path, {"amount": 20_000, "day": 28}, format="json").json()
    assert (updated["amount"]["amount"], updated["day"]) == (20_000, 28)
    _problem(client.patch(path, {"day": 29}, format="json"), 400, "validation_error")
    _problem(client.patch(path, {"amount": 1_000}, format="json"), 400, "invest_invalid_plan")
    assert client.post(f"{path}/pause").json()["status"] == "paused"
    resumed = client.post(f"{path}/resume").json()
    assert resumed["status"] == "active" and resumed["next_on"] >= timezone.localdate().isoformat()

    outsider = bearer_client(invest_investor())
    _problem(outsider.get(path), 404, "invest_plan_not_found")
    _problem(outsider.patch(path, {"amount": 30_000}, format="json"), 404, "invest_plan_not_found")
    _problem(outsider.post(f"{path}/cancel"), 404, "invest_plan_not_found")
    assert Plan.objects.get(public_id=plan["id"]).status == "active"

    assert client.post(f"{path}/cancel").json()["status"] == "cancelled"
    assert client.get("/api/v1/invest/plans").json() == []
    _problem(client.post(f"{path}/resume"), 404, "invest_plan_not_found")


def test_plan_refusals(invest_world):
    client = bearer_client(invest_world.investor)
    share = client.post(
        "/api/v1/invest/plans",
        {"product": invest_world.share.code, "amount": 15_000, "day": 5},
        format="json",
    )
    _problem(share, 400, "invest_invalid_plan")
    small = client.post(
        "/api/v1/invest/plans", {"product": invest_world.mmf.code, "amount": 100, "day": 5}, format="json"
    )
    _problem(small, 400, "invest_invalid_plan")
    tier1 = bearer_client(invest_investor(tier=1))
    refused = tier1.post(
        "/api/v1/invest/plans", {"product": invest_world.mmf.code, "amount": 15_000, "day": 5}, format="json"
    )
    _problem(refused, 403, "invest_kyc_tier_too_low")
    assert not Plan.objects.exists()


def test_an_order_after_the_cut_off_goes_to_the_next_nav(invest_world):
    """The service decides with the clock; the answer carries what it decided."""
    from apps.invest.services.orders import place_order

    late = datetime(2026, 3, 2, 15, 0, tzinfo=ZoneInfo("Africa/Abidjan"))  # a Monday, after the cut-off
    order = place_order(
        actor=invest_world.investor,
        product=invest_world.mmf,
        side="subscribe",
        amount=10_000,
        idempotency_key="late",
        send=False,
        now=late,
    )
    body = bearer_client(invest_world.investor).get(f"{ORDERS}/{order.public_id}").json()
    assert body["after_cutoff"] is True
    assert body["nav_date"] > timezone.localtime(late).date().isoformat()
    assert "11:00" in body["notice"]


def test_a_large_order_asks_the_step_up_of_that_very_order(invest_world, settings):
    """Above INVEST_STEP_UP_ABOVE: 403 step_up_required and nothing held; with identity's
    proof of (invest.order.place, the product, the amount) the order is placed."""
    from apps.identity import api as identity
    from apps.invest.services.orders import STEP_UP_ACTION
    from tests.identity.conftest import SmsInbox

    settings.INVEST_STEP_UP_ABOVE = 50_000
    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    try:
        user = invest_world.investor
        client = bearer_client(user)
        before = invest_available(user)
        body = {"product": invest_world.mmf.code, "side": "subscribe", "amount": 60_000}
        _problem(_place(client, body, key="big-1"), 403, "step_up_required")
        assert invest_available(user) == before and not Order.objects.filter(user=user).exists()
        challenge = identity.step_up_start(
            actor=user,
            action=STEP_UP_ACTION,
            target=str(invest_world.mmf.public_id),
            amount=60_000,
            currency="XOF",
        )
        proof = identity.step_up_verify(
            actor=user, challenge_id=challenge.challenge_id, code=inbox.last_code(user.phone)
        )
        placed = _place(client, {**body, "step_up_token": proof.token}, key="big-2")
        assert placed.status_code == 201, placed.content
        assert invest_available(user) == before - 60_000
    finally:
        identity.set_otp_sender(None)
