"""The TEG (taux effectif global) of a loan and the usury ceiling (docs/lending.md,
"Regulation: TEG and the usury ceiling").

The UEMOA uniform law on usury (Décision n° CM/UMOA/009/06/2013, art. 3) defines the TEG as the
interest rate computed over the loan's amortization, to which fees and charges of every kind
are added (intermediaries, guarantees; taxes excluded). It is a yearly rate proportional to
the period rate, the period being the repayment period, the period rate computed actuarially:

    principal - upfront fee = sum over the instalments of  total_k / (1 + i) ** t_k
    TEG = i x periods in a year (12 monthly, 52 weekly)

`t_k` counts whole periods; only the first one may be broken (a loan aligned to the rent date:
its days over the period's average length, 365 / periods a year). Every fee the borrower pays
is in the cash flows: the upfront fee is deducted from what is lent, the per-instalment fees
are in each total. Late fees are not (they depend on the borrower's conduct, like the law's
penalties). Computed with `Decimal` (Newton's method, 40 digits), never floats; the result is
kept in basis points (hundredths of a percent), rounded half up.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.conf import settings

from ..contracts import Frequency, Schedule
from .schedule import PERIODS_PER_YEAR

__all__ = ["ceiling_bps", "period_times", "teg_bps", "teg_rate"]

_DAYS_A_YEAR = 365


def ceiling_bps(country: str) -> int | None:
    """The usury ceiling (annual TEG, basis points) of `country`; None when none is set (a
    product of that country cannot be offered: services/products.validate refuses it)."""
    return settings.LENDING_USURY_CEILING_BPS.get((country or "").upper())


def period_times(schedule: Schedule, *, frequency: str, start: date | None = None) -> list[Decimal]:
    """Each instalment's time from the disbursement, in periods: the first is broken when
    `start` is given (days / (365 / periods a year)), the others one period apart."""
    first = Decimal(1)
    if start is not None:
        days = (schedule.lines[0].due_date - start).days
        if days <= 0:
            raise ValueError("the first instalment falls on or before the disbursement")
        first = Decimal(days * PERIODS_PER_YEAR[Frequency(frequency)]) / _DAYS_A_YEAR
    return [first + k for k in range(len(schedule.lines))]


def teg_rate(schedule: Schedule, *, frequency: str, start: date | None = None) -> Decimal:
    """The TEG as a yearly rate (0.2400 for 24 %), exact to 20 digits."""
    lent = schedule.principal - schedule.upfront_fee
    if lent <= 0:
        raise ValueError("the upfront fee takes the whole principal")
    with localcontext() as ctx:
        ctx.prec = 40
        times = period_times(schedule, frequency=frequency, start=start)
        flows = [Decimal(line.total) for line in schedule.lines]
        target = Decimal(lent)
        if sum(flows) <= target:
            return Decimal(0)  # nothing is paid for the credit (or less than lent)

        def npv(i: Decimal) -> tuple[Decimal, Decimal]:
            log = (1 + i).ln()
            value = derivative = Decimal(0)
            for flow, t in zip(flows, times, strict=True):
                discounted = flow * (-t * log).exp()
                value += discounted
                derivative -= t * discounted / (1 + i)
            return value - target, derivative

        # Newton from a rate that is too low (the NPV decreases with the rate and is convex:
        # the iterates rise monotonically to the root)
        i = Decimal(0)
        for _ in range(200):
            value, derivative = npv(i)
            step = value / derivative
            i -= step
            if abs(step) < Decimal("1e-24"):
                break
        annual = i * PERIODS_PER_YEAR[Frequency(frequency)]
        return +annual.quantize(Decimal("1e-20"))


def teg_bps(schedule: Schedule, *, frequency: str, start: date | None = None) -> int:
    """The TEG in basis points (2 decimals of a percent, the law's precision), half up."""
    rate = teg_rate(schedule, frequency=frequency, start=start)
    return int((rate * 10_000).quantize(Decimal(1), rounding=ROUND_HALF_UP))
