"""Invest's arithmetic (apps/invest/domain.py): fees, values, fund subscriptions and
redemptions, share orders, average cost, business days and risk labels. Pure, no database."""

from datetime import UTC, date, datetime, time, timedelta

import holidays
import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.invest import domain
from apps.invest.contracts import PRICE_SCALE, UNIT_SCALE, OrderSide
from apps.invest.domain import (
    SCALE,
    add_business_days,
    after_buy,
    after_sell,
    fee,
    is_business_day,
    next_nav_date,
    redemption_by_amount,
    redemption_by_units,
    risk_label,
    share_buy_cost,
    share_fill,
    subscription,
    unrealised_gain,
    value,
)

bounded = settings(max_examples=300, deadline=None)

amounts = st.integers(0, 10**12)  # XOF
bps = st.integers(0, 10_000)
navs = st.integers(1, 10**12)  # 1/10,000 XOF: up to 100 million XOF a unit
quantities = st.integers(0, 10**12)  # 1/10,000 units


# ---------------------------------------------------------------- fee and value


def test_fee_rounds_down():
    assert fee(10_000, 150) == 150
    assert fee(999, 150) == 14  # 14.985
    assert fee(66, 150) == 0  # 0.99
    assert fee(12_345, 0) == 0
    assert fee(12_345, 10_000) == 12_345


@pytest.mark.parametrize("args", [(100, -1), (100, 10_001), (-1, 100), (100, 1.5), (1.0, 100)])
def test_fee_refuses_bad_arguments(args):
    with pytest.raises(ValueError):
        fee(*args)


@bounded
@given(amount=amounts, bps=bps)
def test_fee_is_the_floor_within_the_amount(amount, bps):
    f = fee(amount, bps)
    assert 0 <= f <= amount
    assert f * 10_000 <= amount * bps < (f + 1) * 10_000


def test_value():
    # 2.5 units at 10,000.5 XOF = 25,001.25 XOF -> 25,001
    assert value(25_000, 100_005_000) == 25_001
    assert value(UNIT_SCALE, PRICE_SCALE) == 1
    assert value(UNIT_SCALE - 1, PRICE_SCALE) == 0
    assert value(0, 10**12) == 0
    with pytest.raises(ValueError):
        value(-1, PRICE_SCALE)


@bounded
@given(q=quantities, dq=quantities, p=navs, dp=navs)
def test_value_is_the_floor_and_monotonic(q, dq, p, dp):
    v = value(q, p)
    assert v * SCALE <= q * p < (v + 1) * SCALE
    assert value(q + dq, p) >= v
    assert value(q, p + dp) >= v


# ---------------------------------------------------------------- fund subscription


def test_subscription_example():
    # 100,000 XOF, 1 % entry fee, NAV 12,345.6789 XOF
    fill = subscription(100_000, 123_456_789, 100)
    assert fill.fees == 1_000
    # 99,000 / 12,345.6789 = 8.01900... units
    assert fill.units == 80_190
    assert fill.cost == 99_000 - fill.refund
    assert fill.cost == -(-80_190 * 123_456_789 // SCALE)  # 98,999.99... -> 99,000
    assert fill.refund == 0


def test_subscription_refunds_the_residue():
    # NAV 30,000 XOF: 100,000 buys 3.3333 units costing 99,999 XOF
    fill = subscription(100_000, 300_000_000, 0)
    assert (fill.units, fill.cost, fill.fees, fill.refund) == (33_333, 99_999, 0, 1)


def test_subscription_too_small_for_a_ten_thousandth_refunds_everything():
    fill = subscription(1, 10**12, 0)  # 1/10,000 of a unit costs 10,000 XOF
    assert (fill.units, fill.cost, fill.fees, fill.refund) == (0, 0, 0, 1)


@pytest.mark.parametrize("args", [(100, 0, 0), (100, -5, 0), (-1, 10_000, 0), (100, 10_000, 10_001)])
def test_subscription_refuses_bad_arguments(args):
    with pytest.raises(ValueError):
        subscription(*args)


@bounded
@given(amount=amounts, nav=navs, bps=bps)
def test_subscription_conserves_the_amount_and_buys_the_most_units(amount, nav, bps):
    fill = subscription(amount, nav, bps)
    net = amount - fill.fees
    assert fill.cost + fill.fees + fill.refund == amount
    assert min(fill.units, fill.cost, fill.fees, fill.refund) >= 0
    assert fill.fees == fee(amount, bps)
    assert fill.cost <= net
    # the cost is what the units are worth, rounded up
    assert fill.cost * SCALE >= fill.units * nav > (fill.cost - 1) * SCALE
    # maximality: one more 1/10,000 unit would cost more than net
    assert -(-(fill.units + 1) * nav // SCALE) > net
    assert (fill.units + 1) * nav > net * SCALE


# ---------------------------------------------------------------- fund redemption


def test_redemption_by_units():
    fill = redemption_by_units(25_000, 100_005_000, 50)  # 25,001 XOF, 0.5 % exit fee
    assert (fill.units, fill.gross, fill.fees, fill.net) == (25_000, 25_001, 125, 24_876)


def test_redemption_by_amount_gives_at_least_the_amount():
    # NAV 10,000 XOF, no fee: 5,000 XOF is exactly 0.5 unit
    assert redemption_by_amount(5_000, 100_000_000, 0, 10 * UNIT_SCALE).units == 5_000
    # 1 % fee: 5,000 net needs a gross of 5,050 (5,050 - 50 = 5,000; 5,049 - 50 = 4,999)
    fill = redemption_by_amount(5_000, 100_000_000, 100, 10 * UNIT_SCALE)
    assert (fill.units, fill.gross, fill.fees, fill.net) == (5_050, 5_050, 50, 5_000)
    assert redemption_by_units(fill.units - 1, 100_000_000, 100).net < 5_000
    assert fill.gross == fill.fees + fill.net


def test_redemption_by_amount_beyond_the_holding_takes_everything():
    fill = redemption_by_amount(50_000, 100_000_000, 0, 3 * UNIT_SCALE)  # 3 units = 30,000
    assert (fill.units, fill.net) == (3 * UNIT_SCALE, 30_000)
    assert redemption_by_amount(1, 100_000_000, 0, 0).units == 0
    assert redemption_by_amount(0, 100_000_000, 0, 5).units == 0


@bounded
@given(amount=amounts, nav=navs, bps=bps, held=quantities)
def test_redemption_by_amount_is_minimal(amount, nav, bps, held):
    fill = redemption_by_amount(amount, nav, bps, held)
    assert 0 <= fill.units <= held
    assert fill == redemption_by_units(fill.units, nav, bps)
    if fill.net >= amount:
        assert fill.units == 0 or redemption_by_units(fill.units - 1, nav, bps).net < amount
    else:
        assert fill.units == held


@bounded
@given(units=quantities, extra=quantities, nav=navs, bps=bps)
def test_redemption_net_never_falls_with_more_units(units, extra, nav, bps):
    fill = redemption_by_units(units, nav, bps)
    assert fill.gross == fill.fees + fill.net
    assert fill.net >= 0
    assert redemption_by_units(units + extra, nav, bps).net >= fill.net


# ---------------------------------------------------------------- shares


def test_share_buy_cost_rounds_up_and_takes_the_minimum_fee():
    # 10 shares at a 1,234.5679 limit: 12,345.679 -> 12,346; 1 % = 123 < minimum 500
    assert share_buy_cost(10 * UNIT_SCALE, 12_345_679, 100, 500) == 12_346 + 500
    # 1,000 shares at 5,000: 5,000,000 + 1 % = 50,000 > 500
    assert share_buy_cost(1_000 * UNIT_SCALE, 5_000 * PRICE_SCALE, 100, 500) == 5_050_000


def test_share_fill_sides():
    buy = share_fill(10 * UNIT_SCALE, 5_000 * PRICE_SCALE, 100, 500, OrderSide.BUY)
    assert (buy.gross, buy.fees, buy.net) == (50_000, 500, 50_500)
    sell = share_fill(10 * UNIT_SCALE, 5_000 * PRICE_SCALE, 120, 500, "sell")
    assert (sell.gross, sell.fees, sell.net) == (50_000, 600, 49_400)
    # a tiny sale: the minimum fee is capped at the gross, nothing is owed
    tiny = share_fill(1, 5_000 * PRICE_SCALE, 100, 500, OrderSide.SELL)
    assert (tiny.gross, tiny.fees, tiny.net) == (0, 0, 0)
    small = share_fill(UNIT_SCALE, 300 * PRICE_SCALE, 100, 500, OrderSide.SELL)
    assert (small.gross, small.fees, small.net) == (300, 300, 0)


@pytest.mark.parametrize("side", [OrderSide.SUBSCRIBE, OrderSide.REDEEM, "hold"])
def test_share_fill_is_a_buy_or_a_sell(side):
    with pytest.raises(ValueError):
        share_fill(UNIT_SCALE, PRICE_SCALE, 0, 0, side)


@bounded
@given(
    q=st.integers(1, 10**10),
    limit=st.integers(1, 10**10),
    below=st.integers(0, 10**10),
    bps=bps,
    min_fee=st.integers(0, 10_000),
)
def test_the_hold_covers_any_fill_at_or_below_the_limit(q, limit, below, bps, min_fee):
    hold = share_buy_cost(q, limit, bps, min_fee)
    price = max(1, limit - below)
    buy = share_fill(q, price, bps, min_fee, OrderSide.BUY)
    assert buy.net == buy.gross + buy.fees <= hold
    assert buy.fees >= min_fee
    sell = share_fill(q, price, bps, min_fee, OrderSide.SELL)
    assert sell.net == sell.gross - sell.fees >= 0


# ---------------------------------------------------------------- average cost


def test_average_cost_example():
    q, c = after_buy(0, 0, 10 * UNIT_SCALE, 10_050)  # 10 at 1,000 + 50 fees
    q, c = after_buy(q, c, 5 * UNIT_SCALE, 6_030)  # 5 at 1,200 + 30 fees
    assert (q, c) == (15 * UNIT_SCALE, 16_080)
    q, c, gain = after_sell(q, c, 4 * UNIT_SCALE, 5_200)  # cost removed: 16,080 x 4/15 = 4,288
    assert (q, c, gain) == (11 * UNIT_SCALE, 11_792, 912)
    assert unrealised_gain(q, c, 1_100 * PRICE_SCALE) == 12_100 - 11_792
    q, c, gain = after_sell(q, c, q, 11_000)  # everything: all the cost goes
    assert (q, c, gain) == (0, 0, -792)


def test_after_sell_refuses_selling_more_than_held():
    with pytest.raises(ValueError):
        after_sell(5, 100, 6, 100)
    with pytest.raises(ValueError):
        after_sell(5, 100, 0, 0)


trades = st.lists(
    st.one_of(
        st.tuples(st.just("buy"), st.integers(1, 10**9), st.integers(0, 10**9)),
        # sell a fraction (per 1,000) of what is held, for some proceeds
        st.tuples(st.just("sell"), st.integers(1, 1_000), st.integers(0, 10**9)),
    ),
    max_size=30,
)


@bounded
@given(trades=trades)
def test_average_cost_conserves_money_over_any_trades(trades):
    quantity = cost = realised = cash_out = cash_in = 0
    for kind, n, cash in trades:
        if kind == "buy":
            quantity, cost = after_buy(quantity, cost, n, cash)
            cash_out += cash
        elif quantity:
            sold = max(1, quantity * n // 1_000)
            before_q, before_c = quantity, cost
            quantity, cost, gain = after_sell(quantity, cost, sold, cash)
            realised += gain
            cash_in += cash
            # the average cost of what is left never falls (floor of the cost removed)
            assert cost * before_q >= before_c * quantity
        assert cost >= 0
        assert quantity >= 0
        if quantity == 0:
            assert cost == 0
        # every XOF paid is either still in the cost basis or was set against proceeds:
        # realised gains = cash in - (cash out - cost still held)
        assert realised == cash_in - cash_out + cost
    # and, valued at any price, realised + unrealised = cash in + value - cash out
    price = 1_234 * PRICE_SCALE
    assert realised + unrealised_gain(quantity, cost, price) == cash_in + value(quantity, price) - cash_out


# ---------------------------------------------------------------- business days


def test_the_library_knows_the_ivorian_holidays_the_tests_use():
    ci = holidays.country_holidays("CI", years=[2026, 2027])
    for day in (date(2026, 1, 1), date(2026, 4, 6), date(2026, 5, 1), date(2026, 8, 7), date(2027, 1, 1)):
        assert day in ci
    assert date(2026, 4, 3) not in ci  # Good Friday is worked in Côte d'Ivoire


def test_is_business_day():
    assert is_business_day(date(2026, 4, 3))  # Friday
    assert not is_business_day(date(2026, 4, 4))  # Saturday
    assert not is_business_day(date(2026, 4, 5))  # Sunday
    assert not is_business_day(date(2026, 4, 6))  # Easter Monday
    assert not is_business_day(date(2026, 8, 7))  # Independence Day, a Friday
    assert is_business_day(date(2026, 8, 7), country="FR")
    with pytest.raises(ValueError):
        is_business_day(date(2026, 8, 7), country="XX")


def test_add_business_days_settles_brvm_trades_at_t_plus_3():
    # Thursday 2 April 2026: Friday 3, (weekend, Easter Monday), Tuesday 7, Wednesday 8
    assert add_business_days(date(2026, 4, 2), domain.BRVM_SETTLEMENT_DAYS) == date(2026, 4, 8)
    # Wednesday 5 August 2026: Thursday 6, (Independence Day, weekend), Monday 10, Tuesday 11
    assert add_business_days(date(2026, 8, 5), 3) == date(2026, 8, 11)
    # across the new year: Wednesday 30 Dec 2026 -> Thursday 31, (1 Jan, weekend) Monday 4
    assert add_business_days(date(2026, 12, 30), 2) == date(2027, 1, 4)
    assert add_business_days(date(2026, 4, 4), 0) == date(2026, 4, 4)
    assert add_business_days(date(2026, 4, 7), -1) == date(2026, 4, 3)


@bounded
@given(day=st.dates(date(2024, 1, 1), date(2030, 12, 31)), n=st.integers(1, 30))
def test_add_business_days_counts_business_days(day, n):
    end = add_business_days(day, n)
    assert is_business_day(end)
    between = [day + timedelta(days=i) for i in range(1, (end - day).days + 1)]
    assert sum(is_business_day(d) for d in between) == n
    if is_business_day(day):
        assert add_business_days(end, -n) == day


ABIDJAN = "Africa/Abidjan"  # UTC+0
NOON = time(12, 0)


def test_next_nav_date_before_and_after_the_cutoff():
    friday = date(2026, 4, 3)
    assert next_nav_date(datetime(2026, 4, 3, 11, 59, tzinfo=UTC), NOON, tz=ABIDJAN) == friday
    # at the cut-off is late; the next business day is after Easter Monday
    assert next_nav_date(datetime(2026, 4, 3, 12, 0, tzinfo=UTC), NOON, tz=ABIDJAN) == date(2026, 4, 7)
    assert next_nav_date(datetime(2026, 4, 4, 8, 0, tzinfo=UTC), NOON, tz=ABIDJAN) == date(2026, 4, 7)
    assert next_nav_date(datetime(2026, 12, 31, 15, 0, tzinfo=UTC), NOON, tz=ABIDJAN) == date(2027, 1, 4)


def test_next_nav_date_uses_the_local_day_and_time():
    # 23:30 UTC on Thursday 30 April is 00:30 on Friday 1 May (Labour Day) in Cotonou
    late = datetime(2026, 4, 30, 23, 30, tzinfo=UTC)
    assert next_nav_date(late, NOON, tz=ABIDJAN) == date(2026, 5, 4)  # after the Abidjan cut-off
    assert next_nav_date(late, NOON, tz="Africa/Porto-Novo", country="BJ") == date(2026, 5, 4)
    # 11:30 UTC is 12:30 in Cotonou: late there, on time in Abidjan
    thursday = datetime(2026, 4, 30, 11, 30, tzinfo=UTC)
    assert next_nav_date(thursday, NOON, tz=ABIDJAN) == date(2026, 4, 30)
    assert next_nav_date(thursday, NOON, tz="Africa/Porto-Novo", country="BJ") == date(2026, 5, 4)


def test_next_nav_date_needs_an_aware_datetime():
    with pytest.raises(ValueError):
        next_nav_date(datetime(2026, 4, 3, 9, 0), NOON, tz=ABIDJAN)


@bounded
@given(
    now=st.datetimes(datetime(2024, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC)),
    cutoff=st.times(),
)
def test_next_nav_date_is_the_first_business_day_the_order_can_make(now, cutoff):
    nav_day = next_nav_date(now, cutoff, tz=ABIDJAN)
    today = now.date()  # Abidjan is UTC
    assert is_business_day(nav_day)
    assert today <= nav_day <= add_business_days(today, 1)
    if nav_day == today:
        assert now.time() < cutoff
    elif is_business_day(today):
        assert now.time() >= cutoff


# ---------------------------------------------------------------- risk


def test_risk_labels_and_the_warning():
    with translation.override("en"):
        assert [str(risk_label(n)) for n in range(1, 8)] == [
            "very low",
            "low",
            "medium-low",
            "medium",
            "medium-high",
            "high",
            "very high",
        ]
        assert str(domain.PAST_PERFORMANCE_WARNING).startswith("Past performance is no guide")
    for bad in (0, 8, -1, True, "3"):
        with pytest.raises(ValueError):
            risk_label(bad)
