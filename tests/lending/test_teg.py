"""The TEG (apps/lending/services/teg.py) on worked examples, against an independent
computation, and the usury ceiling per country (conf)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.lending.contracts import Amortization, Frequency, InterestMethod, Schedule, ScheduleLine
from apps.lending.services.schedule import build
from apps.lending.services.teg import ceiling_bps, teg_bps, teg_rate


def _schedule(principal, totals, *, upfront_fee=0, first=date(2027, 1, 5)):
    lines = tuple(
        ScheduleLine(
            number=k + 1, due_date=date(2027, 1 + k, 5) if k < 12 else first, principal=t, interest=0
        )
        for k, t in enumerate(totals)
    )
    return Schedule(currency="XOF", principal=principal, lines=lines, upfront_fee=upfront_fee)


def test_one_instalment_with_an_upfront_fee():
    # 99,000 received (100,000 less a 1,000 fee), 103,000 repaid a month later: the period
    # rate is 103,000 / 99,000 - 1 = 4.0404 %, the TEG 12 times that: 48.48 %.
    s = build(
        principal=100_000,
        currency="XOF",
        annual_rate_bps=3_600,
        term=1,
        frequency=Frequency.MONTHLY,
        interest_method=InterestMethod.DECLINING,
        amortization=Amortization.EQUAL_INSTALMENTS,
        first_due_date=date(2027, 1, 5),
        upfront_fee=1_000,
    )
    assert s.lines[0].total == 103_000
    assert teg_bps(s, frequency=Frequency.MONTHLY) == 4_848
    exact = (Fraction(103_000, 99_000) - 1) * 12
    assert abs(Fraction(teg_rate(s, frequency=Frequency.MONTHLY)) - exact) < Fraction(1, 10**18)


def test_no_fee_declining_loan_costs_its_nominal_rate():
    s = build(
        principal=500_000,
        currency="XOF",
        annual_rate_bps=1_800,
        term=12,
        frequency=Frequency.MONTHLY,
        interest_method=InterestMethod.DECLINING,
        amortization=Amortization.EQUAL_PRINCIPAL,
        first_due_date=date(2027, 1, 5),
    )
    assert teg_bps(s, frequency=Frequency.MONTHLY) == 1_800


def test_flat_interest_costs_far_more_than_its_nominal_rate():
    # 12 % flat a year over 12 months: 112,000 repaid as 12 x 9,333.33: the classic flat-rate
    # example, whose effective rate is about 21.45 % a year (period rate 1.7880 %).
    s = build(
        principal=100_000,
        currency="XOF",
        annual_rate_bps=1_200,
        term=12,
        frequency=Frequency.MONTHLY,
        interest_method=InterestMethod.FLAT,
        amortization=Amortization.EQUAL_INSTALMENTS,
        first_due_date=date(2027, 1, 5),
    )
    assert s.total_repaid == 112_000
    assert teg_bps(s, frequency=Frequency.MONTHLY) == 2_146


def test_weekly_rate_is_52_times_the_week():
    # 50,000 repaid as 51,000 a week later: 2 % a week, 104 % a year
    s = Schedule(
        currency="XOF",
        principal=50_000,
        lines=(ScheduleLine(number=1, due_date=date(2027, 1, 8), principal=50_000, interest=1_000),),
    )
    assert teg_bps(s, frequency=Frequency.WEEKLY) == 10_400


def test_a_short_broken_first_period_raises_the_teg():
    s = build(
        principal=100_000,
        currency="XOF",
        annual_rate_bps=2_400,
        term=3,
        frequency=Frequency.MONTHLY,
        interest_method=InterestMethod.DECLINING,
        amortization=Amortization.EQUAL_INSTALMENTS,
        first_due_date=date(2027, 1, 31),
    )
    regular = teg_bps(s, frequency=Frequency.MONTHLY)
    assert regular == 2_400
    short = teg_bps(s, frequency=Frequency.MONTHLY, start=date(2027, 1, 3))  # 28 days
    long = teg_bps(s, frequency=Frequency.MONTHLY, start=date(2026, 12, 17))  # 45 days
    assert long < regular < short
    with pytest.raises(ValueError):
        teg_bps(s, frequency=Frequency.MONTHLY, start=date(2027, 1, 31))


def test_nothing_paid_for_the_credit_is_zero():
    s = _schedule(30_000, [10_000, 10_000, 10_000])
    assert teg_bps(s, frequency=Frequency.MONTHLY) == 0
    with pytest.raises(ValueError):
        teg_bps(_schedule(30_000, [40_000], upfront_fee=30_000), frequency=Frequency.MONTHLY)


def _irr_float(lent, totals, times):
    """An independent check: bisection on floats."""
    low, high = 0.0, 10.0
    for _ in range(200):
        mid = (low + high) / 2
        value = sum(t / (1 + mid) ** k for t, k in zip(totals, times, strict=True)) - lent
        low, high = (mid, high) if value > 0 else (low, mid)
    return low


@settings(max_examples=50, deadline=None)
@given(
    principal=st.integers(min_value=10_000, max_value=5_000_000),
    rate=st.integers(min_value=0, max_value=4_800),
    term=st.integers(min_value=1, max_value=36),
    fee_bps=st.integers(min_value=0, max_value=500),
    method=st.sampled_from(list(InterestMethod)),
    shape=st.sampled_from(list(Amortization)),
    frequency=st.sampled_from(list(Frequency)),
)
def test_teg_matches_an_independent_irr(principal, rate, term, fee_bps, method, shape, frequency):
    s = build(
        principal=principal,
        currency="XOF",
        annual_rate_bps=rate,
        term=term,
        frequency=frequency,
        interest_method=method,
        amortization=shape,
        first_due_date=date(2027, 1, 5),
        upfront_fee=principal * fee_bps // 10_000,
    )
    periods = 52 if frequency == Frequency.WEEKLY else 12
    expected = _irr_float(s.principal - s.upfront_fee, [line.total for line in s.lines], range(1, term + 1))
    assert float(teg_rate(s, frequency=frequency)) == pytest.approx(expected * periods, abs=1e-9)
    # every fee counts: a fee never lowers the TEG
    if s.upfront_fee:
        free = Schedule(currency="XOF", principal=s.principal, lines=s.lines)
        assert teg_rate(s, frequency=frequency) > teg_rate(free, frequency=frequency)


def test_usury_ceiling_per_country():
    assert ceiling_bps("BJ") == 2_400
    assert ceiling_bps("sn") == 2_400
    assert ceiling_bps("FR") is None
    with override_settings(LENDING_USURY_CEILING_BPS={"BJ": 2_200}):
        assert ceiling_bps("BJ") == 2_200
        assert ceiling_bps("SN") is None
