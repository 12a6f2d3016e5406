"""Orders through the sandbox partner on the real ledger and wallet: the hold at order time,
execution at the NAV, settlement, redemption to the wallet, the cut-off, refusals that write
nothing, replayed answers that execute once, and a property over random sequences."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.errors import IdempotencyConflict
from apps.invest import domain
from apps.invest.contracts import PartnerExecution, PartnerOrderState, PartnerStatus, Quote
from apps.invest.errors import (
    AmountTooSmall,
    InvalidOrder,
    NotEnoughUnits,
    ProfileRequired,
    RiskAcknowledgementRequired,
    TierTooLow,
)
from apps.invest.models import Execution, Order, Position, RiskAcknowledgement
from apps.invest.services import orders
from apps.invest.services.accounts import partner_ledger_account
from apps.invest.services.market import store_quotes
from apps.ledger import api as ledger
from apps.wallet.errors import WalletInsufficientBalance
from tests.invest import world

_EXAMPLE_CODES = itertools.count(1)
pytestmark = pytest.mark.django_db(transaction=False)

ABIDJAN = ZoneInfo("Africa/Abidjan")
MONDAY_MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=ABIDJAN)  # a business day in Côte d'Ivoire
MONDAY_AFTERNOON = datetime(2026, 3, 2, 13, 0, tzinfo=ABIDJAN)


def _execute_at(order, nav):
    store_quotes([Quote(product_code=order.product.code, on=order.nav_date, price=nav)])
    return orders.refresh_order(order)


def test_a_subscription_holds_the_cash_executes_at_the_nav_and_settles_once():
    product = world.fund(entry=100)  # 1 % entry fee
    user = world.investor(balance=50_000)
    order = orders.place_order(
        actor=user,
        product=product.code,
        side="subscribe",
        amount=10_000,
        idempotency_key="k1",
        now=MONDAY_MORNING,
    )
    assert order.status == Order.Status.ACKNOWLEDGED
    assert order.nav_date == date(2026, 3, 2) and not order.after_cutoff
    assert world.balance(user) == (50_000, 40_000)  # held, not posted

    nav = 10_123_4567  # 10,123.4567 FCFA a unit
    order = _execute_at(order, nav)
    fill = domain.subscription(10_000, nav, 100)
    assert order.status == Order.Status.EXECUTED
    assert order.executed_quantity == fill.units and order.fees == fill.fees == 100
    assert order.settled_at is not None  # settlement date is the NAV date, already past
    spent = fill.cost + fill.fees
    assert world.balance(user) == (50_000 - spent, 50_000 - spent)  # the residue is back
    partner_account = partner_ledger_account(product.partner, "XOF")
    assert ledger.balance(account=partner_account).posted == spent
    position = Position.objects.get(user=user, product=product)
    assert (position.quantity, position.cost, position.reserved) == (fill.units, spent, 0)

    # the partner's answer again (a replayed callback, a second poll): nothing moves twice
    again = orders.refresh_order(order)
    assert Execution.objects.filter(order=order).count() == 1
    assert world.balance(user) == (50_000 - spent, 50_000 - spent)
    assert again.executed_quantity == fill.units


def test_a_redemption_pays_the_wallet_from_the_partner_account_and_books_the_gain():
    product = world.fund(exit=50)
    user = world.investor(balance=20_000)
    bought = _execute_at(
        orders.place_order(
            actor=user,
            product=product,
            side="subscribe",
            amount=20_000,
            idempotency_key="b",
            now=MONDAY_MORNING,
        ),
        world.NAV,
    )
    assert bought.executed_quantity == 2 * domain.UNIT_SCALE
    tuesday = datetime(2026, 3, 3, 9, 0, tzinfo=ABIDJAN)
    sell = orders.place_order(
        actor=user,
        product=product,
        side="redeem",
        quantity=domain.UNIT_SCALE,
        idempotency_key="s",
        now=tuesday,
    )
    position = Position.objects.get(user=user, product=product)
    assert position.reserved == domain.UNIT_SCALE
    sell = _execute_at(sell, 11_000 * 10_000)
    fill = domain.redemption_by_units(domain.UNIT_SCALE, 11_000 * 10_000, 50)
    assert sell.status == Order.Status.EXECUTED and sell.cash == fill.net == 11_000 - 55
    assert world.balance(user) == (fill.net, fill.net)
    position.refresh_from_db()
    assert (position.quantity, position.reserved, position.cost) == (domain.UNIT_SCALE, 0, 10_000)
    assert position.realised == fill.net - 10_000
    partner_account = partner_ledger_account(product.partner, "XOF")
    assert ledger.balance(account=partner_account).posted == 20_000 - fill.net


def test_an_order_after_the_cut_off_goes_to_the_next_nav_and_says_so():
    product = world.fund()
    user = world.investor()
    order = orders.place_order(
        actor=user,
        product=product,
        side="subscribe",
        amount=5_000,
        idempotency_key="late",
        now=MONDAY_AFTERNOON,
    )
    assert order.after_cutoff and order.nav_date == date(2026, 3, 3)
    # today's NAV does not execute it
    store_quotes([Quote(product_code=product.code, on=date(2026, 3, 2), price=world.NAV)])
    assert orders.refresh_order(order).status == Order.Status.ACKNOWLEDGED


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"amount": 500_000}, WalletInsufficientBalance),
        ({"amount": 4_999}, AmountTooSmall),
        ({"amount": 10_000, "quantity": 10_000}, InvalidOrder),
        ({"amount": -5}, InvalidOrder),
        ({"amount": True}, InvalidOrder),
    ],
)
def test_a_refused_order_writes_nothing(kwargs, error):
    product = world.fund()
    user = world.investor(balance=100_000)
    with pytest.raises(error):
        orders.place_order(
            actor=user, product=product, side="subscribe", idempotency_key="x", now=MONDAY_MORNING, **kwargs
        )
    assert not Order.objects.filter(user=user).exists()
    assert world.balance(user) == (100_000, 100_000)


def test_eligibility_tier_profile_and_the_acknowledged_risk():
    product = world.fund(code="T-BOND", risk=5)
    with pytest.raises(TierTooLow):
        orders.place_order(
            actor=world.investor(tier=1), product=product, side="subscribe", amount=5_000, idempotency_key="a"
        )
    with pytest.raises(ProfileRequired):
        orders.place_order(
            actor=world.investor(profile=False),
            product=product,
            side="subscribe",
            amount=5_000,
            idempotency_key="a",
        )
    prudent = world.investor(max_risk=3)
    with pytest.raises(RiskAcknowledgementRequired) as refused:
        orders.place_order(
            actor=prudent, product=product, side="subscribe", amount=5_000, idempotency_key="a"
        )
    assert refused.value.params == {"product_risk": 5, "profile_max_risk": 3}
    assert not Order.objects.filter(user=prudent).exists()
    order = orders.place_order(
        actor=prudent,
        product=product,
        side="subscribe",
        amount=5_000,
        idempotency_key="a",
        acknowledge_risk=True,
    )
    assert order.risk_acknowledged
    ack = RiskAcknowledgement.objects.get(user=prudent)
    assert (ack.product_risk, ack.profile_max_risk) == (5, 3)


def test_the_same_key_is_the_same_order_and_another_order_under_it_is_refused():
    product = world.fund()
    user = world.investor(balance=30_000)
    first = orders.place_order(
        actor=user, product=product, side="subscribe", amount=10_000, idempotency_key="same"
    )
    again = orders.place_order(
        actor=user, product=product, side="subscribe", amount=10_000, idempotency_key="same"
    )
    assert again.pk == first.pk
    assert world.balance(user) == (30_000, 20_000)
    with pytest.raises(IdempotencyConflict):
        orders.place_order(
            actor=user, product=product, side="subscribe", amount=9_000, idempotency_key="same"
        )


def test_a_rejection_releases_the_hold_and_a_sell_needs_units():
    product = world.fund()
    user = world.investor(balance=10_000)
    with pytest.raises(NotEnoughUnits):
        orders.place_order(actor=user, product=product, side="redeem", quantity=10_000, idempotency_key="r")
    order = orders.place_order(
        actor=user, product=product, side="subscribe", amount=10_000, idempotency_key="s"
    )
    assert world.balance(user) == (10_000, 0)
    rejected = PartnerOrderState(
        client_order_id=str(order.public_id), status=PartnerStatus.REJECTED, reason="Compte bloqué"
    )
    order = orders.apply_state(order.pk, rejected)
    assert order.status == Order.Status.REJECTED and order.reason == "Compte bloqué"
    assert world.balance(user) == (10_000, 10_000)
    # the same rejection again: still once
    assert orders.apply_state(order.pk, rejected).status == Order.Status.REJECTED
    assert world.balance(user) == (10_000, 10_000)


def test_a_share_buy_holds_the_worst_case_and_settles_at_t_plus_3():
    product = world.share(price=25_000 * 10_000)
    user = world.investor(balance=100_000, max_risk=7)
    order = orders.place_order(
        actor=user,
        product=product,
        side="buy",
        quantity=2 * domain.UNIT_SCALE,
        limit_price=26_000 * 10_000,
        idempotency_key="buy",
        send=False,  # the partner's answer is this test's
    )
    held = domain.share_buy_cost(2 * domain.UNIT_SCALE, 26_000 * 10_000, 120, 1_000)
    assert order.held == held
    execution = PartnerExecution(
        execution_id="E1",
        quantity=2 * domain.UNIT_SCALE,
        price=25_000 * 10_000,
        amount=50_000,
        fees=1_000,
        executed_at=datetime(2026, 3, 2, 15, 0, tzinfo=ABIDJAN),
        settle_on=date(2026, 3, 5),
    )
    state = PartnerOrderState(
        client_order_id=str(order.public_id), status=PartnerStatus.EXECUTED, executions=(execution,)
    )
    order = orders.apply_state(order.pk, state, today=date(2026, 3, 2))
    assert order.status == Order.Status.EXECUTED and order.settled_at is None  # T+3 not reached
    assert world.balance(user) == (100_000, 100_000 - held)
    assert orders.settle_due(today=date(2026, 3, 4)) == 0
    assert orders.settle_due(today=date(2026, 3, 5)) == 1
    assert world.balance(user) == (49_000, 49_000)
    assert orders.settle_due(today=date(2026, 3, 6)) == 0


def test_share_orders_trade_whole_shares_with_a_limit():
    product = world.share()
    user = world.investor(max_risk=7)
    with pytest.raises(InvalidOrder):
        orders.place_order(
            actor=user, product=product, side="buy", quantity=15_000, limit_price=1, idempotency_key="h"
        )
    with pytest.raises(InvalidOrder):
        orders.place_order(actor=user, product=product, side="subscribe", amount=5_000, idempotency_key="h")


def test_cancel_before_execution_releases_the_cash():
    product = world.fund()
    user = world.investor(balance=10_000)
    order = orders.place_order(
        actor=user, product=product, side="subscribe", amount=10_000, idempotency_key="c"
    )
    order = orders.cancel_order(actor=user, order=order.public_id)
    assert order.status == Order.Status.CANCELLED
    assert world.balance(user) == (10_000, 10_000)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["subscribe", "redeem"]),
            st.integers(min_value=5_000, max_value=40_000),
            st.integers(min_value=9_000 * 10_000, max_value=12_000 * 10_000),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_ledger_the_wallet_and_the_position_always_agree(steps):
    """Whatever the sequence: wallet spent == partner account == Σ cash in - Σ cash out,
    the position's units == Σ bought - Σ sold, nothing left held or set aside."""
    # a code of its own per example (the examples share the test's transaction; `id(steps)`
    # could come back for a later example's list, and the code is unique)
    product = world.fund(code=f"P-{next(_EXAMPLE_CODES)}", entry=75, exit=40)
    user = world.investor(balance=150_000)
    day = date(2026, 3, 2)
    net = 0
    units = 0
    for index, (side, amount, nav) in enumerate(steps):
        now = datetime.combine(day, datetime.min.time(), tzinfo=ABIDJAN) + timedelta(hours=9)
        if side == "redeem":
            held = (
                Position.objects.filter(user=user, product=product).values_list("quantity", flat=True).first()
                or 0
            )
            if held < domain.UNIT_SCALE:
                continue
            order = orders.place_order(
                actor=user,
                product=product,
                side="redeem",
                quantity=held // 2,
                idempotency_key=f"k{index}",
                now=now,
            )
        else:
            try:
                order = orders.place_order(
                    actor=user,
                    product=product,
                    side="subscribe",
                    amount=amount,
                    idempotency_key=f"k{index}",
                    now=now,
                )
            except WalletInsufficientBalance:
                continue
        order = _execute_at(order, nav)
        orders.settle_due(today=day)
        order.refresh_from_db()
        assert order.status == Order.Status.EXECUTED and order.settled_at is not None
        net += order.cash if order.buys else -order.cash
        units += order.executed_quantity if order.buys else -order.executed_quantity
        day = domain.add_business_days(day, 1)
    posted, available = world.balance(user)
    assert posted == available == 150_000 - net
    assert ledger.balance(account=partner_ledger_account(product.partner, "XOF")).posted >= 0
    position = Position.objects.filter(user=user, product=product).first()
    assert (position.quantity if position else 0) == units
    assert (position.reserved if position else 0) == 0


@pytest.fixture
def sms_inbox():
    from apps.identity import api as identity
    from tests.identity.conftest import SmsInbox

    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    yield inbox
    identity.set_otp_sender(None)


def test_a_large_subscription_needs_the_step_up_of_that_very_order(settings, sms_inbox):
    from apps.identity import api as identity
    from apps.identity.errors import StepUpRequired

    settings.INVEST_STEP_UP_ABOVE = 50_000
    product = world.fund()
    user = world.investor(balance=200_000)
    with pytest.raises(StepUpRequired):
        orders.place_order(
            actor=user, product=product, side="subscribe", amount=60_000, idempotency_key="big"
        )
    assert not Order.objects.filter(user=user).exists()
    assert world.balance(user) == (200_000, 200_000)

    def token(amount):
        challenge = identity.step_up_start(
            actor=user,
            action=orders.STEP_UP_ACTION,
            target=str(product.public_id),
            amount=amount,
            currency="XOF",
        )
        code = sms_inbox.last_code(user.phone)
        return identity.step_up_verify(actor=user, challenge_id=challenge.challenge_id, code=code).token

    with pytest.raises(StepUpRequired):  # a proof of another amount does not do
        orders.place_order(
            actor=user,
            product=product,
            side="subscribe",
            amount=60_000,
            idempotency_key="big",
            step_up_token=token(55_000),
        )
    order = orders.place_order(
        actor=user,
        product=product,
        side="subscribe",
        amount=60_000,
        idempotency_key="big",
        step_up_token=token(60_000),
    )
    assert order.held == 60_000 and world.balance(user) == (200_000, 140_000)
    # under the threshold: no step-up
    assert orders.place_order(
        actor=user, product=product, side="subscribe", amount=49_000, idempotency_key="small"
    )


def test_kyc_daily_outflow_binds_orders_and_a_refusal_writes_nothing(settings):
    from apps.kyc.errors import KycLimitExceeded

    limits = {k: dict(v) if isinstance(v, dict) else v for k, v in settings.KYC_LIMITS["*"].items()}
    limits["2"]["daily_outflow"] = 30_000
    settings.KYC_LIMITS = {**settings.KYC_LIMITS, "*": limits}
    product = world.fund()
    user = world.investor(balance=100_000)
    orders.place_order(actor=user, product=product, side="subscribe", amount=20_000, idempotency_key="a")
    with pytest.raises(KycLimitExceeded) as refused:
        orders.place_order(actor=user, product=product, side="subscribe", amount=20_000, idempotency_key="b")
    assert refused.value.params["limit"] == "daily_outflow"
    assert Order.objects.filter(user=user).count() == 1
    assert world.balance(user) == (100_000, 80_000)
