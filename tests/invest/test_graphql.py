"""GraphQL of HokweInvest (invest<Thing>): the same services as REST — the catalogue, the
questionnaire and the profile, placing an order (idempotent on idempotencyKey) through to a
position, typed refusals that write nothing, cancelling, plans; another investor's order
or plan is null or a typed refusal."""

from __future__ import annotations

import pytest

from apps.invest import domain
from apps.invest.contracts import Quote
from apps.invest.models import Order, Plan
from apps.invest.services import market
from apps.invest.services.orders import refresh_order, settle_due
from tests.fixtures.invest import DYNAMIC_ANSWERS, MMF_NAV, invest_available, invest_investor
from tests.helpers import bearer_client, gql, gql_response

pytestmark = pytest.mark.django_db

ORDER = (
    "id status side navDate afterCutoff notice aboveProfile profileMaxRisk quantity limitPrice "
    "amount { amount currency } held { amount } executedQuantity product { code risk riskLabel } "
    "executions { quantity price amount { amount } }"
)
PLACE = (
    "mutation($p: String!, $side: InvestOrderSide!, $amount: Amount, $q: String, $limit: String, "
    "$ack: Boolean, $key: String!) { investPlaceOrder(product: $p, side: $side, amount: $amount, "
    "quantity: $q, limitPrice: $limit, acknowledgeRisk: $ack, idempotencyKey: $key) "
    f"{{ ok errors {{ field code message }} order {{ {ORDER} }} }} }}"
)
PLAN = "id status day amount { amount } nextOn product { code }"


def place(client, **variables):
    variables.setdefault("key", "g-1")
    return gql(client, PLACE, variables)["investPlaceOrder"]


def test_catalogue_sheet_and_questionnaire(invest_world):
    client = bearer_client(invest_world.investor)
    data = gql(client, "{ investProducts { code risk riskLabel price minAmount { amount } } }")
    assert [p["code"] for p in data["investProducts"]][0] == invest_world.mmf.code
    shares = gql(client, "{ investProducts(kind: SHARE) { code } }")["investProducts"]
    assert shares == [{"code": invest_world.share.code}]
    sheet = gql(
        client,
        "query($p: String!) { investProduct(product: $p) { code cutoff settlementDays fees { entryBps text "
        "minimum { amount } } pastPerformance { oneMonth warning } partner { name licence sandbox } "
        "auctions { auctionOn minAmount { amount } } prices { on price } } }",
        {"p": invest_world.bill.code},
    )["investProduct"]
    assert sheet["partner"]["sandbox"] is True and len(sheet["auctions"]) == 1
    assert sheet["pastPerformance"]["warning"] == str(domain.PAST_PERFORMANCE_WARNING)
    assert sheet["prices"] == [{"on": invest_world.bill.price_on.isoformat(), "price": "10000.0000"}]
    assert gql(client, '{ investProduct(product: "NOPE") { code } }')["investProduct"] is None
    questions = gql(client, "{ investQuestionnaire { id text choices { id text } } }")["investQuestionnaire"]
    assert [q["id"] for q in questions][0] == "horizon"


def test_profile_submit_and_read():
    client = bearer_client(invest_investor(answers=None))
    assert gql(client, "{ investProfile { profile } }")["investProfile"] is None
    mutation = (
        "mutation($a: [InvestAnswerInput!]!) { investSubmitProfile(answers: $a) "
        "{ ok errors { field code } profile { profile maxRisk reasons answers } } }"
    )
    bad = gql(client, mutation, {"a": [{"question": "horizon", "choice": "never"}]})["investSubmitProfile"]
    assert bad["ok"] is False and bad["errors"][0]["code"] == "invest_invalid_answers"
    assert bad["errors"][0]["field"].startswith("answers.")
    answers = [{"question": k, "choice": v} for k, v in DYNAMIC_ANSWERS.items()]
    done = gql(client, mutation, {"a": answers})["investSubmitProfile"]
    assert done["ok"] is True and done["profile"]["profile"] == "dynamic" and done["profile"]["maxRisk"] == 7
    assert gql(client, "{ investProfile { maxRisk } }")["investProfile"] == {"maxRisk": 7}


def test_place_order_idempotently_through_to_a_position(invest_world):
    investor, mmf = invest_world.investor, invest_world.mmf
    client = bearer_client(investor)
    before = invest_available(investor)
    first = place(client, p=mmf.code, side="SUBSCRIBE", amount=25_000)
    assert first["ok"] is True, first
    again = place(client, p=mmf.code, side="SUBSCRIBE", amount=25_000)
    assert again["order"]["id"] == first["order"]["id"]
    assert Order.objects.filter(user=investor).count() == 1
    assert invest_available(investor) == before - 25_000
    order = Order.objects.get(public_id=first["order"]["id"])
    assert first["order"]["status"] == "acknowledged"  # sent to the sandbox partner at once
    assert first["order"]["navDate"] == order.nav_date.isoformat()
    reused = place(client, p=mmf.code, side="SUBSCRIBE", amount=26_000)
    assert reused["ok"] is False and reused["errors"][0]["code"] == "idempotency_key_reused"

    market.store_quotes([Quote(product_code=mmf.code, on=order.nav_date, price=MMF_NAV)])
    refresh_order(order)
    order.refresh_from_db()
    settle_due(today=order.settle_on)
    detail = gql(client, f'{{ investOrder(orderId: "{order.public_id}") {{ {ORDER} }} }}')["investOrder"]
    assert detail["status"] == "executed" and len(detail["executions"]) == 1
    market.value_positions(order.settle_on)
    positions = gql(client, "{ investPositions { quantity value { amount } product { code } } }")
    assert positions["investPositions"][0]["product"]["code"] == mmf.code
    assert positions["investPositions"][0]["quantity"] == detail["executedQuantity"]
    portfolio = gql(client, "{ investPortfolio { value { amount } invested { amount } warning } }")
    assert portfolio["investPortfolio"]["invested"]["amount"] == 25_000
    orders = gql(client, '{ investOrders(status: "executed") { id } }')["investOrders"]
    assert [o["id"] for o in orders] == [str(order.public_id)]


@pytest.mark.parametrize(
    ("tier", "answers", "variables", "code", "field"),
    [
        (1, DYNAMIC_ANSWERS, {"side": "SUBSCRIBE", "amount": 10_000}, "invest_kyc_tier_too_low", None),
        (2, None, {"side": "SUBSCRIBE", "amount": 10_000}, "invest_profile_required", None),
        (2, DYNAMIC_ANSWERS, {"side": "SUBSCRIBE", "amount": 100}, "invest_amount_too_small", "amount"),
        (2, DYNAMIC_ANSWERS, {"side": "SUBSCRIBE", "amount": 900_000}, "wallet_balance_too_low", "amount"),
        (2, DYNAMIC_ANSWERS, {"side": "REDEEM", "q": "1.23456"}, "invalid_decimal", "quantity"),
        (2, DYNAMIC_ANSWERS, {"side": "REDEEM", "q": "2"}, "invest_not_enough_units", "quantity"),
    ],
)
def test_order_refusals_are_typed_and_write_nothing(invest_world, tier, answers, variables, code, field):
    investor = invest_investor(tier=tier, answers=answers, balance=100_000)
    client = bearer_client(investor)
    out = place(client, p=invest_world.mmf.code, **variables)
    assert out["ok"] is False and out["order"] is None
    assert (out["errors"][0]["code"], out["errors"][0]["field"]) == (code, field)
    assert not Order.objects.filter(user=investor).exists()
    assert invest_available(investor) == 100_000


def test_share_above_the_profile_and_bad_amount_literals(invest_world):
    client = bearer_client(invest_world.investor)  # balanced: max risk 5
    refused = place(client, p=invest_world.share.code, side="BUY", q="1", limit="16000")
    assert refused["errors"][0]["code"] == "invest_risk_acknowledgement_required"
    accepted = place(client, p=invest_world.share.code, side="BUY", q="1", limit="16000", ack=True, key="g-2")
    assert accepted["ok"] is True and accepted["order"]["aboveProfile"] is True
    bad = client.post(
        "/graphql",
        {"query": PLACE, "variables": {"p": "x", "side": "SUBSCRIBE", "amount": 5000.5, "key": "z"}},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["extensions"]["code"] == "invalid_amount"


def test_cancel_and_isolation(invest_world):
    investor = invest_world.investor
    client = bearer_client(investor)
    order = place(client, p=invest_world.bond.code, side="SUBSCRIBE", amount=30_000)["order"]
    outsider = bearer_client(invest_investor())
    assert gql(outsider, f'{{ investOrder(orderId: "{order["id"]}") {{ id }} }}')["investOrder"] is None
    assert gql(outsider, "{ investOrders { id } }")["investOrders"] == []
    cancel = (
        "mutation($o: UUID!) { investCancelOrder(orderId: $o) { ok errors { code } order { id status } } }"
    )
    refused = gql(outsider, cancel, {"o": order["id"]})["investCancelOrder"]
    assert refused == {"ok": False, "errors": [{"code": "invest_order_not_found"}], "order": None}
    done = gql(client, cancel, {"o": order["id"]})["investCancelOrder"]
    assert done["ok"] is True and done["order"]["status"] == "cancelled"
    assert invest_available(investor) == 500_000
    again = gql(client, cancel, {"o": order["id"]})["investCancelOrder"]
    assert again["errors"] == [{"code": "invest_order_not_cancellable"}]


def test_plans(invest_world):
    client = bearer_client(invest_world.investor)
    create = (
        "mutation($p: String!, $a: Amount!, $d: Int!) { investCreatePlan(product: $p, amount: $a, day: $d) "
        f"{{ ok errors {{ field code }} plan {{ {PLAN} }} }} }}"
    )
    bad = gql(client, create, {"p": invest_world.mmf.code, "a": 15_000, "d": 31})["investCreatePlan"]
    assert bad["ok"] is False and bad["errors"] == [{"field": "day", "code": "invest_invalid_plan"}]
    plan = gql(client, create, {"p": invest_world.mmf.code, "a": 15_000, "d": 10})["investCreatePlan"]["plan"]
    assert plan["status"] == "active" and plan["amount"]["amount"] == 15_000
    update = (
        "mutation($id: UUID!, $a: Amount, $d: Int) { investUpdatePlan(planId: $id, amount: $a, day: $d) "
        f"{{ ok errors {{ field code }} plan {{ {PLAN} }} }} }}"
    )
    updated = gql(client, update, {"id": plan["id"], "a": 25_000})["investUpdatePlan"]["plan"]
    assert (updated["amount"]["amount"], updated["day"]) == (25_000, 10)
    status = (
        "mutation($id: UUID!, $s: InvestPlanStatus!) { investSetPlanStatus(planId: $id, status: $s) "
        "{ ok errors { code } plan { id status } } }"
    )
    outsider = bearer_client(invest_investor())
    refused = gql(outsider, status, {"id": plan["id"], "s": "CANCELLED"})["investSetPlanStatus"]
    assert refused["errors"] == [{"code": "invest_plan_not_found"}]
    assert gql(outsider, update, {"id": plan["id"], "a": 1})["investUpdatePlan"]["ok"] is False
    assert (
        gql(client, status, {"id": plan["id"], "s": "PAUSED"})["investSetPlanStatus"]["plan"]["status"]
        == "paused"
    )
    assert (
        gql(client, status, {"id": plan["id"], "s": "ACTIVE"})["investSetPlanStatus"]["plan"]["status"]
        == "active"
    )
    assert [p["id"] for p in gql(client, "{ investPlans { id } }")["investPlans"]] == [plan["id"]]
    assert gql(client, status, {"id": plan["id"], "s": "CANCELLED"})["investSetPlanStatus"]["ok"] is True
    assert gql(client, "{ investPlans { id } }")["investPlans"] == []
    assert Plan.objects.get(public_id=plan["id"]).amount == 25_000


def test_anonymous_is_refused():
    anonymous = bearer_client(None)
    body = gql_response(anonymous, "{ investPortfolio { value { amount } } }")
    assert body["errors"][0]["extensions"]["code"] == "unauthenticated"
    out = gql(
        anonymous,
        'mutation { investCancelOrder(orderId: "00000000-0000-4000-8000-000000000000") { ok errors { code } } }',
    )
    assert out["investCancelOrder"] == {"ok": False, "errors": [{"code": "not_authenticated"}]}
