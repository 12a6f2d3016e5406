"""invest's part of the isolation suite (tests/isolation/cases.py merges it): A's owner is an
investor with a profile, an order, a position and a monthly plan; B's owner, the outsider
and anonymous callers never see them nor act on them. The catalogue is public to anyone
signed in (its routes name no object of A)."""

from __future__ import annotations

from django.urls import reverse

from tests.isolation.framework import GraphQLCase, RestCase, World

SEEDERS: list = []
REST_CASES: dict = {}
GRAPHQL_CASES: dict = {}
PUBLIC_ROUTES: dict = {
    "invest-partner-callback": "a partner's callback: signature verified, then the partner's status call is asked",
}
PUBLIC_GRAPHQL: dict = {}
SELF_SCOPED_GRAPHQL: dict = {}

ORDER_AMOUNT = 61_379
PLAN_AMOUNT = 47_213


def _investor(world: World) -> None:
    from apps.invest.models import Position
    from apps.invest.services import orders, plans
    from tests.fixtures.invest import invest_catalogue, invest_profile, invest_top_up, invest_verified

    catalogue = invest_catalogue(prefix="iso-")
    invest_verified(world.user_a)
    invest_profile(world.user_a)
    invest_top_up(world.user_a, 500_000)
    order = orders.place_order(
        actor=world.user_a,
        product=catalogue.bond,
        side="subscribe",
        amount=ORDER_AMOUNT,
        idempotency_key="isolation-a",
    )
    plan = plans.create_plan(actor=world.user_a, product=catalogue.mmf, amount=PLAN_AMOUNT, day=9)
    Position.objects.create(
        user=world.user_a, product=catalogue.mmf, quantity=73_1234, cost=73_129, value=73_131
    )
    world.provide("order_id", order.public_id, str(ORDER_AMOUNT), order.partner_ref)
    world.provide("plan_id", plan.public_id, str(PLAN_AMOUNT))
    world.mark("73.1234", "73129", "73131")
    world.invest_order = order
    world.invest_plan = plan
    world.invest_catalogue = catalogue


SEEDERS.append(_investor)


def _order_state(world: World):
    world.invest_order.refresh_from_db()
    return (world.invest_order.status, world.invest_order.held)


def _plan_state(world: World):
    world.invest_plan.refresh_from_db()
    return (world.invest_plan.status, world.invest_plan.amount, world.invest_plan.day)


def _path(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"version": "v1", **kwargs})


REST_CASES["invest-product"] = lambda world: RestCase(
    path=_path("invest-product", product=world.invest_catalogue.mmf.code), owned=False
)
REST_CASES["invest-product-prices"] = lambda world: RestCase(
    path=_path("invest-product-prices", product=world.invest_catalogue.mmf.public_id), owned=False
)
REST_CASES["invest-orders"] = lambda world: RestCase(
    path=_path("invest-orders"),
    body={"product": world.invest_catalogue.mmf.code, "side": "subscribe", "amount": 10_000},
    owned=False,
)
REST_CASES["invest-order-cancel"] = lambda world: RestCase(
    path=_path("invest-order-cancel", order_id=world.ids["order_id"]),
    check_unchanged=lambda: _order_state(world),
)
REST_CASES["invest-plans"] = lambda world: RestCase(
    path=_path("invest-plans"),
    body={"product": world.invest_catalogue.mmf.code, "amount": 10_000, "day": 3},
    owned=False,
)
REST_CASES["invest-plan"] = lambda world: RestCase(
    path=_path("invest-plan", plan_id=world.ids["plan_id"]),
    body={"amount": 30_000, "day": 4},
    check_unchanged=lambda: _plan_state(world),
)
for _name in ("invest-plan-pause", "invest-plan-resume", "invest-plan-cancel"):
    REST_CASES[_name] = lambda world, _name=_name: RestCase(
        path=_path(_name, plan_id=world.ids["plan_id"]), check_unchanged=lambda: _plan_state(world)
    )
# the investor's documents: always the caller's own (the path names a period, not A's object)
REST_CASES["invest-statement-pdf"] = lambda world: RestCase(
    path="/api/v1/invest/statements/2025-01.pdf", owned=False
)
REST_CASES["invest-fiscal-pdf"] = lambda world: RestCase(path="/api/v1/invest/fiscal/2025.pdf", owned=False)
REST_CASES["invest-fiscal"] = lambda world: RestCase(path="/api/v1/invest/fiscal/2025", owned=False)
# the investor's pages: the product pages name a product of the catalogue, not A's
REST_CASES["invest:product"] = lambda world: RestCase(
    path=reverse("invest:product", args=[world.invest_catalogue.mmf.code]), owned=False
)
REST_CASES["invest:order-new"] = lambda world: RestCase(
    path=reverse("invest:order-new", args=[world.invest_catalogue.mmf.code]), owned=False
)


ORDER_SELECTION = "order { id status amount { amount } held { amount } }"
PLAN_SELECTION = "plan { id status amount { amount } day }"

GRAPHQL_CASES["query.investProduct"] = lambda world: GraphQLCase(
    query=f'{{ investProduct(product: "{world.invest_catalogue.mmf.code}") {{ code name price }} }}',
    owned=False,
)
GRAPHQL_CASES["query.investOrder"] = lambda world: GraphQLCase(
    query=f'{{ investOrder(orderId: "{world.ids["order_id"]}") {{ id status amount {{ amount }} '
    "executions { id } } }"
)
GRAPHQL_CASES["mutation.investSubmitProfile"] = lambda world: GraphQLCase(
    query='mutation { investSubmitProfile(answers: [{question: "horizon", choice: "over_5_years"}]) '
    "{ ok errors { code } profile { profile maxRisk } } }",
    owned=False,
)
GRAPHQL_CASES["mutation.investPlaceOrder"] = lambda world: GraphQLCase(
    query=f'mutation {{ investPlaceOrder(product: "{world.invest_catalogue.mmf.code}", side: SUBSCRIBE, '
    f'amount: 10000, idempotencyKey: "iso") {{ ok errors {{ code }} {ORDER_SELECTION} }} }}',
    owned=False,
)
GRAPHQL_CASES["mutation.investCancelOrder"] = lambda world: GraphQLCase(
    query=f'mutation {{ investCancelOrder(orderId: "{world.ids["order_id"]}") '
    f"{{ ok errors {{ code }} {ORDER_SELECTION} }} }}"
)
GRAPHQL_CASES["mutation.investCreatePlan"] = lambda world: GraphQLCase(
    query=f'mutation {{ investCreatePlan(product: "{world.invest_catalogue.mmf.code}", amount: 10000, day: 3) '
    f"{{ ok errors {{ code }} {PLAN_SELECTION} }} }}",
    owned=False,
)
GRAPHQL_CASES["mutation.investUpdatePlan"] = lambda world: GraphQLCase(
    query=f'mutation {{ investUpdatePlan(planId: "{world.ids["plan_id"]}", amount: 30000) '
    f"{{ ok errors {{ code }} {PLAN_SELECTION} }} }}"
)
GRAPHQL_CASES["mutation.investSetPlanStatus"] = lambda world: GraphQLCase(
    query=f'mutation {{ investSetPlanStatus(planId: "{world.ids["plan_id"]}", status: CANCELLED) '
    f"{{ ok errors {{ code }} {PLAN_SELECTION} }} }}"
)
# every field of every order is above the query cost limit: ask for the ones carrying A's data
GRAPHQL_CASES["query.investOrders"] = lambda world: GraphQLCase(
    query="{ investOrders { id status partnerRef amount { amount } held { amount } } }", owned=False
)
GRAPHQL_CASES["query.investPositions"] = lambda world: GraphQLCase(
    query="{ investPositions { quantity value { amount } cost { amount } product { code } } }", owned=False
)
GRAPHQL_CASES["query.investPlans"] = lambda world: GraphQLCase(
    query="{ investPlans { id day amount { amount } } }", owned=False
)
