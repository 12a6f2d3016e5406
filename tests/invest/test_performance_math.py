"""Performance ratios (apps/invest/domain.py): time-weighted return, money-weighted return
(XIRR) and the simple gain. Floats are fine here: these are ratios, not money."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.invest.domain import money_weighted_return, simple_gain, simple_return, time_weighted_return

bounded = settings(max_examples=300, deadline=None)
D0 = date(2025, 1, 1)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


# ---------------------------------------------------------------- time-weighted return


def test_twr_of_a_flat_portfolio_is_zero():
    points = [(day(0), 50_000, 50_000)] + [(day(i), 50_000, 0) for i in range(1, 30)]
    assert time_weighted_return(points) == 0.0


def test_twr_of_a_doubling_is_one():
    assert time_weighted_return([(day(0), 10_000, 10_000), (day(1), 20_000, 0)]) == 1.0
    # halving then doubling back: 0
    points = [(day(0), 10_000, 0), (day(1), 5_000, 0), (day(2), 10_000, 0)]
    assert time_weighted_return(points) == 0.0


def test_twr_ignores_the_money_added_or_withdrawn():
    points = [
        (day(0), 10_000, 10_000),  # first subscription: only the starting value
        (day(1), 31_000, 20_000),  # +10 %, then 20,000 more at the day's price
        (day(2), 15_500, -15_500),  # flat, half redeemed at the day's price
        (day(3), 13_950, 0),  # -10 %
    ]
    assert time_weighted_return(points) == pytest.approx(1.1 * 1.0 * 0.9 - 1, abs=1e-12)


def test_twr_is_sorted_by_day_and_skips_days_starting_from_zero():
    points = [
        (day(3), 11_000, 0),
        (day(0), 0, 0),
        (day(1), 0, 0),  # nothing invested yet: skipped
        (day(2), 10_000, 10_000),  # starts from 0: skipped, gives the base
    ]
    assert time_weighted_return(points) == pytest.approx(0.1, abs=1e-12)
    # everything redeemed at +5 %, then nothing: the empty days are skipped
    points = [(day(0), 10_000, 10_000), (day(1), 0, -10_500), (day(2), 0, 0)]
    assert time_weighted_return(points) == pytest.approx(0.05, abs=1e-12)


def test_twr_without_a_period_is_none():
    assert time_weighted_return([]) is None
    assert time_weighted_return([(day(0), 10_000, 10_000)]) is None
    assert time_weighted_return([(day(0), 0, 0), (day(1), 0, 0)]) is None


@bounded
@given(
    steps=st.lists(
        st.tuples(st.integers(1, 1_000_000), st.integers(-50, 200)),  # (NAV in XOF, units bought/sold)
        min_size=2,
        max_size=40,
    ),
    start_units=st.integers(1, 1_000),
)
def test_twr_of_a_fund_holding_is_the_nav_change_whatever_the_flows(steps, start_units):
    """Units bought and sold at each day's NAV: the TWR is the NAV's own change."""
    units = start_units
    first_nav = steps[0][0]
    points = [(day(0), units * first_nav, units * first_nav)]
    for i, (nav, traded) in enumerate(steps[1:], start=1):
        traded = max(traded, -units + 1)  # keep at least one unit
        units += traded
        points.append((day(i), units * nav, traded * nav))
    last_nav = steps[-1][0]
    assert time_weighted_return(points) == pytest.approx(last_nav / first_nav - 1, rel=1e-9, abs=1e-12)


# ---------------------------------------------------------------- money-weighted return


def test_xirr_of_ten_percent_in_a_year():
    r = money_weighted_return([(date(2025, 1, 1), -10_000)], 11_000, date(2026, 1, 1))
    assert r == pytest.approx(0.1, abs=1e-6)


def test_xirr_with_several_flows():
    # 10 % a year: -10,000 at t=0 and -10,000 at t=1y are worth 12,100 + 11,000 at t=2y,
    # of which 5,000 were paid out after one year (-> 5,000 x 1.1 less at the end)
    flows = [(day(0), -10_000), (day(365), -10_000), (day(365), 5_000)]
    r = money_weighted_return(flows, 12_100 + 11_000 - 5_500, day(730))
    assert r == pytest.approx(0.1, abs=1e-6)


def test_xirr_of_a_loss_and_of_nothing():
    r = money_weighted_return([(day(0), -10_000)], 5_000, day(365))
    assert r == pytest.approx(-0.5, abs=1e-6)
    assert money_weighted_return([], 0, day(10)) is None
    assert money_weighted_return([(day(0), 5_000)], 1_000, day(10)) is None  # nothing invested
    assert money_weighted_return([(day(0), -10_000)], 0, day(365)) is None  # everything lost
    with pytest.raises(ValueError):
        money_weighted_return([(day(11), -10_000)], 10_000, day(10))


@bounded
@given(
    rate=st.floats(-0.6, 3.0),
    days=st.integers(30, 3_650),
    invested=st.integers(100_000, 10**10),
)
def test_xirr_finds_the_rate_of_a_single_investment(rate, days, invested):
    final = round(invested * (1 + rate) ** (days / 365))
    r = money_weighted_return([(day(0), -invested)], final, day(days))
    assert r is not None
    # the final value is rounded to the XOF (±0.5): dr ≈ (1 + r) x 0.5 / (final x years)
    years = days / 365
    assert r == pytest.approx(rate, abs=(1 + rate) / (final * years) + 2e-9)


# ---------------------------------------------------------------- simple gain


def test_simple_gain_and_return():
    assert simple_gain(10_000, 2_000, 9_000) == 1_000
    assert simple_gain(10_000, 0, 9_000) == -1_000
    assert simple_return(10_000, 2_000, 9_000) == 0.1
    assert simple_return(0, 0, 0) is None
