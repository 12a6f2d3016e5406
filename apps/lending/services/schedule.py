"""A loan's repayment schedule (docs/lending.md, "Loan products").

`build` turns the terms into `contracts.Schedule` lines in integer minor units:

- the period rate is the nominal annual rate divided by the periods in a year (12 monthly,
  52 weekly), kept exact (`Fraction`);
- flat interest: the principal times the period rate, every period (grace periods included),
  the total rounded once and shared equally, the last line absorbing the rounding;
- declining balance: each period's interest is the principal still owed times the period
  rate, rounded half up;
- equal instalments (annuity): the same principal + interest each amortizing period (the
  payment rounded down, so the principal never runs out before the last line), the last
  line takes the principal left, so it may be a few units more; with flat interest, equal instalments and equal principal coincide;
- equal principal: the principal shared equally (floor), the last line absorbing the rest;
- grace periods: the first `grace_periods` lines pay interest (and the per-instalment fee)
  only; `term` counts them;
- dates: weekly every 7 days, monthly on the first due date's day of the month (clamped to
  the month's end: the 31st falls on the 30th or the 28th/29th).

A schedule with a zero or negative line (a principal too small for its term, a rounding
that leaves nothing) raises ValueError: such a product or offer is refused.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from dateutil.relativedelta import relativedelta

from ..contracts import Amortization, Frequency, InterestMethod, Schedule, ScheduleLine

__all__ = [
    "MIN_DAYS_TO_FIRST_RENT_DATE",
    "PERIODS_PER_YEAR",
    "SHORTEST_FIRST_PERIOD_DAYS",
    "build",
    "due_dates",
    "first_due_date_for",
    "period_rate",
]

PERIODS_PER_YEAR = {Frequency.WEEKLY: 52, Frequency.MONTHLY: 12}

# A monthly loan aligned to the rent date: the first instalment falls on the first rent date
# at least this many days after the disbursement (else on the next one). 28 days, the shortest
# month: a first period never shorter than a month's (a short first period that pays a whole
# period's interest would raise the TEG above what the product was validated for).
MIN_DAYS_TO_FIRST_RENT_DATE = 28
# The shortest first period a product's schedules may have (services/products.validate checks
# the TEG over it: the worst case).
SHORTEST_FIRST_PERIOD_DAYS = {Frequency.WEEKLY: 7, Frequency.MONTHLY: MIN_DAYS_TO_FIRST_RENT_DATE}


def _round(value: Fraction) -> int:
    """Half up (amounts are never negative here)."""
    return int((value + Fraction(1, 2)) // 1)


def period_rate(annual_rate_bps: int, frequency: str) -> Fraction:
    """The nominal rate of one period (proportional: the annual rate / periods a year)."""
    return Fraction(annual_rate_bps, 10_000 * PERIODS_PER_YEAR[Frequency(frequency)])


def due_dates(
    first_due_date: date, frequency: str, count: int, *, day_of_month: int | None = None
) -> list[date]:
    """Weekly: every 7 days. Monthly: on `day_of_month` (default: the first date's day),
    clamped to each month's end."""
    if Frequency(frequency) == Frequency.WEEKLY:
        return [first_due_date + timedelta(weeks=k) for k in range(count)]
    day = day_of_month or first_due_date.day
    return [first_due_date + relativedelta(months=k, day=day) for k in range(count)]


def first_due_date_for(frequency: str, *, start: date, rent_day: int | None = None) -> date:
    """The first instalment's date for a loan disbursed on `start`: a week later (weekly), a
    month later (monthly), or, monthly with the tenant's rent day of the month, the first
    rent date at least MIN_DAYS_TO_FIRST_RENT_DATE days after `start`."""
    if Frequency(frequency) == Frequency.WEEKLY:
        return start + timedelta(weeks=1)
    if not rent_day:
        return start + relativedelta(months=1)
    if not 1 <= rent_day <= 31:
        raise ValueError("rent_day must be a day of the month (1-31)")
    # the rent date of start's month (clamped), then the following months
    candidate = date(start.year, start.month, 1) + relativedelta(day=rent_day)
    k = 0
    while (candidate - start).days < MIN_DAYS_TO_FIRST_RENT_DATE:
        k += 1
        candidate = date(start.year, start.month, 1) + relativedelta(months=k, day=rent_day)
    return candidate


def _spread(total: int, count: int) -> list[int]:
    """`total` in `count` equal integer parts (floor), the last one taking the rest."""
    if count <= 0:
        return []
    part = total // count
    return [part] * (count - 1) + [total - part * (count - 1)]


def build(
    *,
    principal: int,
    currency: str,
    annual_rate_bps: int,
    term: int,
    frequency: str,
    interest_method: str,
    amortization: str,
    grace_periods: int = 0,
    first_due_date: date,
    fee_per_instalment: int = 0,
    upfront_fee: int = 0,
    day_of_month: int | None = None,
) -> Schedule:
    """The schedule of a loan of `principal` over `term` instalments (grace periods
    included). Monthly dates fall on `day_of_month` (the tenant's rent day) when given, else
    on the first due date's day. Raises ValueError for terms that cannot make a schedule
    (see the module)."""
    if principal <= 0:
        raise ValueError("the principal must be positive")
    if term < 1:
        raise ValueError("the term must be at least one instalment")
    if not 0 <= grace_periods < term:
        raise ValueError("the grace periods must leave at least one amortizing instalment")
    if annual_rate_bps < 0 or fee_per_instalment < 0 or upfront_fee < 0:
        raise ValueError("rates and fees cannot be negative")
    method = InterestMethod(interest_method)
    shape = Amortization(amortization)
    rate = period_rate(annual_rate_bps, frequency)
    amortizing = term - grace_periods

    principals = [0] * grace_periods + _spread(principal, amortizing)
    if method == InterestMethod.FLAT:
        interests = _spread(_round(principal * rate * term), term)
    elif shape == Amortization.EQUAL_PRINCIPAL:
        interests, owed = [], principal
        for part in principals:
            interests.append(_round(owed * rate))
            owed -= part
    else:  # declining balance, equal instalments (annuity)
        if rate == 0:
            payment = Fraction(principal, amortizing)
        else:
            payment = principal * rate / (1 - (1 + rate) ** -amortizing)
        payment = int(payment)  # floor: the lines never run out of principal before the last
        principals, interests, owed = [], [], principal
        for k in range(term):
            interest = _round(owed * rate)
            if k < grace_periods:
                part = 0
            elif k == term - 1:
                part = owed
            else:
                part = min(payment - interest, owed)
            principals.append(part)
            interests.append(interest)
            owed -= part

    dates = due_dates(first_due_date, frequency, term, day_of_month=day_of_month)
    lines = tuple(
        ScheduleLine(number=k + 1, due_date=dates[k], principal=p, interest=i, fee=fee_per_instalment)
        for k, (p, i) in enumerate(zip(principals, interests, strict=True))
    )
    for line in lines:
        if line.principal < 0 or line.interest < 0 or line.total <= 0:
            raise ValueError(f"instalment {line.number} would be {line.total}: not a schedule")
        if line.number > grace_periods and line.principal == 0:
            raise ValueError(f"instalment {line.number} would repay no principal: not a schedule")
    if sum(line.principal for line in lines) != principal:  # pragma: no cover - by construction
        raise ValueError("the schedule does not repay the principal")
    return Schedule(currency=currency, principal=principal, lines=lines, upfront_fee=upfront_fee)
