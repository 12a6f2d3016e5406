"""Loan schedules (apps/lending/services/schedule.py): worked examples, the dates, the
refusals, and hypothesis properties (the lines sum exactly to principal + interest, equal
instalments are equal but the last, no zero or negative line)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.lending.contracts import Amortization, Frequency, InterestMethod
from apps.lending.services.schedule import build, due_dates, first_due_date_for


def _build(**over):
    terms = dict(
        principal=100_000,
        currency="XOF",
        annual_rate_bps=2_400,
        term=6,
        frequency=Frequency.MONTHLY,
        interest_method=InterestMethod.DECLINING,
        amortization=Amortization.EQUAL_INSTALMENTS,
        first_due_date=date(2027, 1, 5),
    )
    terms.update(over)
    return build(**terms)


def test_declining_annuity_worked_example():
    # 100,000 at 24 % a year (2 % a month) over 6 months: the annuity is
    # 100,000 x 0.02 / (1 - 1.02^-6) = 17,852.58 -> 17,852 a month (rounded down); each
    # interest is 2 % of what is still owed, rounded; the last line takes the principal left
    # (17,506 + 350).
    s = _build()
    assert [line.total for line in s.lines] == [17_852] * 5 + [17_856]
    assert [line.interest for line in s.lines] == [2_000, 1_683, 1_360, 1_030, 693, 350]
    assert sum(line.principal for line in s.lines) == 100_000
    assert s.total_interest == 7_116
    assert s.total_repaid == 107_116


def test_flat_interest_is_on_the_initial_principal_for_every_period():
    s = _build(interest_method=InterestMethod.FLAT, grace_periods=1)
    assert [line.interest for line in s.lines] == [2_000] * 6
    assert [line.principal for line in s.lines] == [0, 20_000, 20_000, 20_000, 20_000, 20_000]


def test_declining_equal_principal_interest_decreases():
    s = _build(amortization=Amortization.EQUAL_PRINCIPAL, term=4)
    assert [line.principal for line in s.lines] == [25_000] * 4
    assert [line.interest for line in s.lines] == [2_000, 1_500, 1_000, 500]


def test_grace_periods_pay_interest_and_the_fee_only():
    s = _build(grace_periods=2, fee_per_instalment=150, upfront_fee=2_000)
    assert [line.principal for line in s.lines[:2]] == [0, 0]
    assert [line.interest for line in s.lines[:2]] == [2_000, 2_000]
    assert all(line.fee == 150 for line in s.lines)
    assert s.total_fees == 2_000 + 6 * 150
    assert s.total_cost == s.total_interest + s.total_fees


def test_zero_rate_shares_the_principal():
    s = _build(annual_rate_bps=0, term=3)
    assert [line.total for line in s.lines] == [33_333, 33_333, 33_334]


def test_monthly_dates_keep_the_day_clamped_to_the_month_end():
    assert due_dates(date(2027, 1, 31), Frequency.MONTHLY, 4) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    # the rent day stays the rent day after a short month
    assert due_dates(date(2027, 2, 28), Frequency.MONTHLY, 2, day_of_month=30) == [
        date(2027, 2, 28),
        date(2027, 3, 30),
    ]
    assert due_dates(date(2027, 1, 1), Frequency.WEEKLY, 3) == [
        date(2027, 1, 1),
        date(2027, 1, 8),
        date(2027, 1, 15),
    ]


def test_first_due_date():
    start = date(2026, 12, 3)
    assert first_due_date_for(Frequency.WEEKLY, start=start) == date(2026, 12, 10)
    assert first_due_date_for(Frequency.MONTHLY, start=start) == date(2027, 1, 3)
    # aligned to the rent day: the first rent date at least 28 days away
    assert first_due_date_for(Frequency.MONTHLY, start=start, rent_day=5) == date(2027, 1, 5)
    assert first_due_date_for(Frequency.MONTHLY, start=start, rent_day=31) == date(2026, 12, 31)
    assert first_due_date_for(Frequency.MONTHLY, start=start, rent_day=30) == date(2027, 1, 30)
    assert first_due_date_for(Frequency.MONTHLY, start=date(2027, 1, 20), rent_day=30) == date(2027, 2, 28)
    assert first_due_date_for(Frequency.MONTHLY, start=date(2027, 1, 31), rent_day=28) == date(2027, 2, 28)
    assert first_due_date_for(Frequency.MONTHLY, start=date(2027, 2, 1), rent_day=28) == date(2027, 3, 28)


@pytest.mark.parametrize(
    "over",
    [
        dict(principal=0),
        dict(term=0),
        dict(grace_periods=6),
        dict(annual_rate_bps=-1),
        # 5 francs over 6 instalments: a line would repay nothing
        dict(principal=5, annual_rate_bps=0),
        dict(principal=5, amortization=Amortization.EQUAL_PRINCIPAL),
    ],
)
def test_impossible_schedules_are_refused(over):
    with pytest.raises(ValueError):
        _build(**over)


terms = st.fixed_dictionaries(
    dict(
        principal=st.integers(min_value=1_000, max_value=50_000_000),
        annual_rate_bps=st.integers(min_value=0, max_value=6_000),
        term=st.integers(min_value=1, max_value=60),
        frequency=st.sampled_from(list(Frequency)),
        interest_method=st.sampled_from(list(InterestMethod)),
        amortization=st.sampled_from(list(Amortization)),
        fee_per_instalment=st.integers(min_value=0, max_value=1_000),
        first_due_date=st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
    )
).flatmap(lambda t: st.builds(lambda g: {**t, "grace_periods": g}, st.integers(0, t["term"] - 1)))


@settings(max_examples=50, deadline=None)
@given(terms)
def test_schedule_sums_exactly_and_never_has_an_empty_line(t):
    periods = 52 if t["frequency"] == Frequency.WEEKLY else 12
    try:
        s = build(currency="XOF", **t)
    except ValueError:
        # refused only when a grace line would be zero: less than a franc of interest a
        # period and no fee
        assert t["grace_periods"] > 0 and t["fee_per_instalment"] == 0
        assert t["principal"] * t["annual_rate_bps"] < 10_000 * periods
        return
    assert len(s.lines) == t["term"]
    assert sum(line.principal for line in s.lines) == t["principal"]
    assert s.total_repaid == t["principal"] + s.total_interest + t["fee_per_instalment"] * t["term"]
    assert all(line.total > 0 and line.principal >= 0 and line.interest >= 0 for line in s.lines)
    grace = t["grace_periods"]
    assert all(line.principal == 0 for line in s.lines[:grace])
    assert all(line.principal > 0 for line in s.lines[grace:])
    amortizing = s.lines[grace:-1]
    if t["amortization"] == Amortization.EQUAL_INSTALMENTS or t["interest_method"] == InterestMethod.FLAT:
        # equal instalments are equal but the last, which absorbs the rounding
        assert len({line.total for line in amortizing}) <= 1
    else:
        assert len({line.principal for line in amortizing}) <= 1
    # dates strictly increase, from the first due date
    assert s.lines[0].due_date == t["first_due_date"]
    assert all(a.due_date < b.due_date for a, b in zip(s.lines, s.lines[1:], strict=False))
    if t["interest_method"] == InterestMethod.FLAT:
        exact = t["principal"] * t["annual_rate_bps"] * t["term"] / (10_000 * periods)
        assert abs(s.total_interest - exact) <= 0.5
