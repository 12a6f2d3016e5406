"""Invest's arithmetic: pure functions, no database.

Numbers (apps/invest/contracts.py): cash is integer XOF, quantities are integers of
1/10,000 unit (`UNIT_SCALE`), prices and NAVs integers of 1/10,000 XOF per unit
(`PRICE_SCALE`). Money is never a float; floats appear only in return ratios
(`time_weighted_return`, `money_weighted_return`, `simple_return`).

Rounding is always on the investor's side: fees round down, the units a subscription buys
round down with the residue refunded, a cash hold rounds up, a redemption by amount gives
at least the amount asked. Bad arguments (negative amounts, bps outside 0..10,000, a zero
NAV, a naive datetime…) raise `ValueError`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo

import holidays as holidays_lib
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .contracts import PRICE_SCALE, UNIT_SCALE, OrderSide

# quantity x price / SCALE = XOF
SCALE = UNIT_SCALE * PRICE_SCALE
BPS = 10_000  # basis points in 100 %
BRVM_SETTLEMENT_DAYS = 3  # BRVM shares settle T+3


# ---------------------------------------------------------------- validation helpers


def _non_negative(name: str, n: int) -> None:
    if not isinstance(n, int) or isinstance(n, bool):
        raise ValueError(f"{name} must be an int, got {type(n).__name__}")
    if n < 0:
        raise ValueError(f"{name} must be >= 0, got {n}")


def _positive(name: str, n: int) -> None:
    _non_negative(name, n)
    if n == 0:
        raise ValueError(f"{name} must be > 0")


def _bps(n: int) -> None:
    _non_negative("bps", n)
    if n > BPS:
        raise ValueError(f"bps must be within 0..{BPS}, got {n}")


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


# ---------------------------------------------------------------- basics


def fee(amount: int, bps: int) -> int:
    """`bps` basis points of `amount` XOF, rounded down: floor(amount x bps / 10,000)."""
    _non_negative("amount", amount)
    _bps(bps)
    return amount * bps // BPS


def value(quantity: int, price: int) -> int:
    """What `quantity` (1/10,000 units) is worth at `price` (1/10,000 XOF), rounded down to
    the XOF: floor(quantity x price / (UNIT_SCALE x PRICE_SCALE))."""
    _non_negative("quantity", quantity)
    _non_negative("price", price)
    return quantity * price // SCALE


# ---------------------------------------------------------------- funds


@dataclass(frozen=True)
class SubscriptionFill:
    """A fund subscription of `amount` XOF: `units` (1/10,000) bought for `cost`, `fees`
    (entry fee) and `refund` (the rounding residue, back to the wallet).
    cost + fees + refund == amount."""

    units: int
    cost: int
    fees: int
    refund: int


@dataclass(frozen=True)
class RedemptionFill:
    """A fund redemption: `units` sold for `gross`, less `fees` (exit fee), `net` to the
    wallet. gross == fees + net."""

    units: int
    gross: int
    fees: int
    net: int


def subscription(amount: int, nav: int, entry_fee_bps: int) -> SubscriptionFill:
    """Subscribe `amount` XOF (gross, fees included) at `nav` (1/10,000 XOF per unit).

    fees = fee(amount, bps); net = amount - fees; units = the most 1/10,000 units net buys
    (floor); cost = ceil(units x nav / SCALE) ≤ net; refund = net - cost ≥ 0. One more
    1/10,000 unit would cost more than net."""
    _non_negative("amount", amount)
    _positive("nav", nav)
    fees = fee(amount, entry_fee_bps)
    net = amount - fees
    units = net * SCALE // nav
    cost = _ceil_div(units * nav, SCALE)
    return SubscriptionFill(units=units, cost=cost, fees=fees, refund=net - cost)


def redemption_by_units(units: int, nav: int, exit_fee_bps: int) -> RedemptionFill:
    """Redeem `units` (1/10,000) at `nav`: gross = value(units, nav), fees = fee(gross, bps),
    net = gross - fees."""
    _non_negative("units", units)
    _positive("nav", nav)
    gross = value(units, nav)
    fees = fee(gross, exit_fee_bps)
    return RedemptionFill(units=units, gross=gross, fees=fees, net=gross - fees)


def redemption_by_amount(amount: int, nav: int, exit_fee_bps: int, held_units: int) -> RedemptionFill:
    """Redeem enough to receive at least `amount` XOF net: the fewest units (≤ held_units)
    whose net is ≥ amount; all `held_units` when even they give less.

    net(units) never decreases as units grow (gross is a floor of a product, and
    gross - floor(gross x bps / 10,000) grows by 0 or 1 per XOF of gross), so a binary
    search over 0..held_units finds the minimum."""
    _non_negative("amount", amount)
    _positive("nav", nav)
    _bps(exit_fee_bps)
    _non_negative("held_units", held_units)
    if redemption_by_units(held_units, nav, exit_fee_bps).net < amount:
        return redemption_by_units(held_units, nav, exit_fee_bps)
    lo, hi = 0, held_units  # invariant: net(hi) >= amount
    while lo < hi:
        mid = (lo + hi) // 2
        if redemption_by_units(mid, nav, exit_fee_bps).net >= amount:
            hi = mid
        else:
            lo = mid + 1
    return redemption_by_units(hi, nav, exit_fee_bps)


# ---------------------------------------------------------------- shares


@dataclass(frozen=True)
class ShareFill:
    """A share execution: `gross` = value(quantity, price), brokerage `fees`, and `net`, the
    cash that moves: paid on a buy (gross + fees), received on a sell (gross - fees ≥ 0)."""

    gross: int
    fees: int
    net: int


def _brokerage(gross: int, brokerage_bps: int, min_fee: int) -> int:
    _non_negative("min_fee", min_fee)
    return max(min_fee, fee(gross, brokerage_bps))


def share_buy_cost(quantity: int, limit_price: int, brokerage_bps: int, min_fee: int) -> int:
    """The cash to hold for a limit buy of `quantity` (1/10,000 shares) at `limit_price`:
    ceil(quantity x limit / SCALE) + max(min_fee, fee(that, bps)). It covers any single
    fill at a price ≤ the limit (see `share_fill`), and several partial fills when the
    brokerage (and its minimum) is charged once per order, not per fill."""
    _positive("quantity", quantity)
    _positive("limit_price", limit_price)
    _bps(brokerage_bps)
    gross = _ceil_div(quantity * limit_price, SCALE)
    return gross + _brokerage(gross, brokerage_bps, min_fee)


def share_fill(
    quantity: int, price: int, brokerage_bps: int, min_fee: int, side: OrderSide | str
) -> ShareFill:
    """An execution of `quantity` at `price`: gross = value(quantity, price), fees =
    max(min_fee, fee(gross, bps)). Buy: net = gross + fees (cash out). Sell: net =
    gross - fees (cash in), with fees capped at gross so net is never negative."""
    _positive("quantity", quantity)
    _positive("price", price)
    _bps(brokerage_bps)
    side = OrderSide(side)
    gross = value(quantity, price)
    fees = _brokerage(gross, brokerage_bps, min_fee)
    if side is OrderSide.BUY:
        return ShareFill(gross=gross, fees=fees, net=gross + fees)
    if side is OrderSide.SELL:
        fees = min(fees, gross)
        return ShareFill(gross=gross, fees=fees, net=gross - fees)
    raise ValueError(f"a share fill is a buy or a sell, not {side}")


# ---------------------------------------------------------------- average cost


def after_buy(quantity: int, cost: int, bought_qty: int, cash_paid: int) -> tuple[int, int]:
    """A position (quantity, cost basis in XOF) after buying `bought_qty` for `cash_paid`
    (everything paid, fees included): (quantity + bought_qty, cost + cash_paid)."""
    _non_negative("quantity", quantity)
    _non_negative("cost", cost)
    _positive("bought_qty", bought_qty)
    _non_negative("cash_paid", cash_paid)
    return quantity + bought_qty, cost + cash_paid


def after_sell(quantity: int, cost: int, sold_qty: int, proceeds: int) -> tuple[int, int, int]:
    """A position after selling `sold_qty` of `quantity` for `proceeds` (net of fees), at
    average cost: the cost removed is floor(cost x sold / quantity), all of it when
    everything is sold. Returns (quantity left, cost left, realised gain = proceeds - cost
    removed). The average cost of what is left never falls."""
    _non_negative("cost", cost)
    _positive("sold_qty", sold_qty)
    _non_negative("proceeds", proceeds)
    if sold_qty > quantity:
        raise ValueError(f"cannot sell {sold_qty} of {quantity}")
    removed = cost if sold_qty == quantity else cost * sold_qty // quantity
    return quantity - sold_qty, cost - removed, proceeds - removed


def unrealised_gain(quantity: int, cost: int, price: int) -> int:
    """value(quantity, price) - cost: what the position would gain (or lose) at `price`."""
    _non_negative("cost", cost)
    return value(quantity, price) - cost


# ---------------------------------------------------------------- business days


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> frozenset[date]:
    try:
        return frozenset(holidays_lib.country_holidays(country, years=year))
    except NotImplementedError:
        raise ValueError(f"no public holiday calendar for country {country!r}") from None


def is_business_day(day: date, *, country: str = "CI") -> bool:
    """Monday to Friday and not a public holiday of `country` (the `holidays` library)."""
    return day.weekday() < 5 and day not in _holidays(country.upper(), day.year)


def add_business_days(day: date, n: int, *, country: str = "CI") -> date:
    """The `n`-th business day after `day` (before it when n < 0); `day` itself when n == 0.
    Settlement T+n: `add_business_days(trade_date, BRVM_SETTLEMENT_DAYS)`."""
    step = timedelta(days=1 if n >= 0 else -1)
    left = abs(n)
    while left:
        day += step
        if is_business_day(day, country=country):
            left -= 1
    return day


def next_nav_date(now: datetime, cutoff: time, *, tz: str, country: str = "CI") -> date:
    """The NAV date a fund order placed at `now` (aware) gets: the local day in `tz` when it
    is a business day and the local time is before `cutoff` (a naive wall-clock time in
    `tz`; an order at the cut-off is late), otherwise the next business day."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    local = now.astimezone(ZoneInfo(tz))
    today = local.date()
    if is_business_day(today, country=country) and local.time() < cutoff:
        return today
    return add_business_days(today, 1, country=country)


# ---------------------------------------------------------------- performance (ratios)


def time_weighted_return(points: Sequence[tuple[date, int, int]]) -> float | None:
    """Chain-linked time-weighted return over `points` = (day, value at the day's end,
    net flow of the day: + money in, - money out), sorted by day here.

    Convention: a day's flow happens at the day's closing price (as a fund subscription at
    that day's NAV), so the day's return is (value_end - net_flow) / value_start - 1 with
    value_start the previous point's value_end. The first point only gives the starting
    value; days whose start value is 0 are skipped. None when no day counts.
    Returns a ratio: 0.05 is +5 %."""
    ordered = sorted(points, key=lambda p: p[0])
    growth = 1.0
    counted = False
    for (_day, start, _flow), (_next_day, end, flow) in pairwise(ordered):
        if start == 0:
            continue
        growth *= (end - flow) / start
        counted = True
    return growth - 1.0 if counted else None


def money_weighted_return(flows: Sequence[tuple[date, int]], final_value: int, on: date) -> float | None:
    """The annualised internal rate of return (XIRR, actual/365) of the investor's cash
    flows: negative = invested, positive = received; `final_value` counts as received on
    `on`. Solved by bisection on [-0.9999, 10] to 1e-9; None when the net present value
    does not change sign over that range (e.g. no money invested). With several roots, one
    of them. Returns a ratio: 0.1 is +10 % a year."""
    _non_negative("final_value", final_value)
    cash = [(d, a) for d, a in flows if a] + [(on, final_value)]
    if any(d > on for d, _ in cash):
        raise ValueError("a flow is dated after `on`")
    if not any(a < 0 for _, a in cash) or not any(a > 0 for _, a in cash):
        return None
    last = on

    def npv(rate: float) -> float:
        # valued at the last date, so the discount factors never underflow to 0 (same sign)
        growth = 1.0 + rate
        return math.fsum(a * growth ** ((last - d).days / 365) for d, a in cash)

    lo, hi = -0.9999, 10.0
    f_lo, f_hi = npv(lo), npv(hi)
    if f_lo == 0:
        return lo
    if f_hi == 0:
        return hi
    if (f_lo > 0) == (f_hi > 0):
        return None
    while hi - lo > 1e-9:
        mid = (lo + hi) / 2
        f_mid = npv(mid)
        if f_mid == 0:
            return mid
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return (lo + hi) / 2


def simple_gain(invested: int, withdrawn: int, value: int) -> int:
    """XOF gained: value + withdrawn - invested (all totals, fees included)."""
    return value + withdrawn - invested


def simple_return(invested: int, withdrawn: int, value: int) -> float | None:
    """simple_gain / invested as a ratio; None when nothing was invested."""
    if invested <= 0:
        return None
    return simple_gain(invested, withdrawn, value) / invested


# ---------------------------------------------------------------- risk


# The 7-level risk scale (SRI of the PRIIPs key information document). A context keeps
# these apart from other modules' "low"/"high", translated in another gender.
RISK_LABELS = {
    1: pgettext_lazy("risk level", "very low"),
    2: pgettext_lazy("risk level", "low"),
    3: pgettext_lazy("risk level", "medium-low"),
    4: pgettext_lazy("risk level", "medium"),
    5: pgettext_lazy("risk level", "medium-high"),
    6: pgettext_lazy("risk level", "high"),
    7: pgettext_lazy("risk level", "very high"),
}

PAST_PERFORMANCE_WARNING = _(
    "Past performance is no guide to future performance. The value of an investment can go "
    "down as well as up, and you may get back less than you invested."
)


def risk_label(level: int) -> str:
    """The translated name of risk level 1 (very low) … 7 (very high); lazy, rendered in
    the active language."""
    if level not in RISK_LABELS or isinstance(level, bool):
        raise ValueError(f"risk level must be within 1..7, got {level!r}")
    return RISK_LABELS[level]
