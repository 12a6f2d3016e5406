"""Loan products: their validation and their quotes (docs/lending.md, "Loan products").

`validate(product)` refuses a product that could make an illegal or impossible loan: ranges out
of order, a destination its borrowers cannot use, an allocation order that is not the three
components, an unknown score band, a country with no usury ceiling, and, for every allowed term
and at the smallest and largest amounts, a schedule with a zero line or a TEG above the
country's usury ceiling. The TEG is checked over the shortest first period a loan may get (a
week, or 28 days monthly: services/schedule.py) and with a franc more of interest a line and of
upfront fee (what rounding to the franc may add at an amount between the two checked): the
worst case, so an offer's own TEG, over its real first period, is never higher. The admin form calls it (admin/product.py).

`quote(product, amount=, term=, start=)` is the loan as it would be offered on `start`: the
schedule from the product's terms, the upfront fee, the TEG over the real first period, the
ceiling, and the key facts statement. The simulations (borrower and landlord surfaces) and the
offer call it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from apps.core.money import format_amount
from apps.scoring.contracts import ScoreBand

from ..contracts import (
    DEFAULT_ALLOCATION,
    BorrowerKind,
    Destination,
    Frequency,
    Quote,
    Schedule,
)
from ..errors import AmountOutOfRange, TermOutOfRange
from . import key_facts
from .schedule import SHORTEST_FIRST_PERIOD_DAYS, build, first_due_date_for
from .teg import ceiling_bps, teg_bps

__all__ = ["problems", "quote", "schedule_for", "upfront_fee", "validate"]

# The score bands from the best; a product's minimum band and its review band come from them.
BANDS = [ScoreBand.EXCELLENT, ScoreBand.GOOD, ScoreBand.FAIR, ScoreBand.WEAK, ScoreBand.POOR]
# Checking every term is cheap for loans of a few dozen instalments; a longer range is checked
# at this many terms spread over it (its ends included).
MAX_TERMS_CHECKED = 60
# The destinations each kind of borrower may use.
DESTINATIONS = {
    BorrowerKind.TENANT: {Destination.WALLET, Destination.RENT_DUE},
    BorrowerKind.LANDLORD: {Destination.PAYOUT, Destination.WALLET},
}


def upfront_fee(product, amount: int) -> int:
    """The upfront fee of a loan of `amount`: its basis points (half up) plus the fixed part."""
    return (amount * product.upfront_fee_bps + 5_000) // 10_000 + product.upfront_fee_fixed


def schedule_for(product, *, amount: int, term: int, first_due_date: date, day_of_month=None) -> Schedule:
    """The product's schedule for `amount` over `term` (ValueError: not a schedule)."""
    return build(
        principal=amount,
        currency=product.currency,
        annual_rate_bps=product.annual_rate_bps,
        term=term,
        frequency=product.frequency,
        interest_method=product.interest_method,
        amortization=product.amortization,
        grace_periods=product.grace_periods,
        first_due_date=first_due_date,
        upfront_fee=upfront_fee(product, amount),
        day_of_month=day_of_month,
    )


def _percent(bps: int) -> str:
    """« 24,00 % » in French, « 24.00 % » in English (the active language)."""
    text = f"{bps / 100:.2f} %"
    return text if translation.get_language() == "en" else text.replace(".", ",")


def _terms(product) -> list[int]:
    low, high = product.min_term, product.max_term
    if high - low < MAX_TERMS_CHECKED:
        return list(range(low, high + 1))
    step = (high - low) / (MAX_TERMS_CHECKED - 1)
    return sorted({low + round(k * step) for k in range(MAX_TERMS_CHECKED)} | {high})


def _worst_teg(product, amount: int, term: int) -> tuple[int | None, str | None]:
    """(TEG bps, None) of `amount` over `term` with the shortest first period, or (None, the
    reason the schedule is refused)."""
    frequency = Frequency(product.frequency)
    start = date(2027, 1, 1)  # any date: only the first period's length matters
    first = start + timedelta(days=SHORTEST_FIRST_PERIOD_DAYS[frequency])
    try:
        schedule = schedule_for(product, amount=amount, term=term, first_due_date=first)
        return teg_bps(_padded(schedule), frequency=frequency, start=start), None
    except ValueError as error:
        return None, str(error)


def _padded(schedule: Schedule) -> Schedule:
    """The schedule with a franc more of interest on every line and of upfront fee: an upper
    bound of what rounding to the franc (half a franc of interest a line, of the fee) may add at
    any amount at least this one, so that an amount between the two checked never ends above
    the ceiling by rounding."""
    lines = tuple(replace(line, interest=line.interest + 1) for line in schedule.lines)
    return replace(schedule, lines=lines, upfront_fee=schedule.upfront_fee + 1)


def problems(product) -> dict[str, list[str]]:
    """What is wrong with `product`, by field (empty: it may be saved and offered)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    currency = product.currency
    if product.min_amount is None or product.min_amount <= 0:
        add("min_amount", _("The minimum amount must be above zero."))
    if product.max_amount is None or (product.min_amount or 0) > product.max_amount:
        add("max_amount", _("The maximum amount must be at least the minimum amount."))
    if not product.min_term or product.min_term < 1:
        add("min_term", _("The shortest term is at least one instalment."))
    if product.max_term is None or (product.min_term or 0) > product.max_term:
        add("max_term", _("The longest term must be at least the shortest term."))
    if product.grace_periods and product.min_term and product.grace_periods >= product.min_term:
        add("grace_periods", _("The grace periods must be fewer than the shortest term's instalments."))
    for field in ("upfront_fee_fixed", "late_fee_fixed"):
        if (getattr(product, field) or 0) < 0:
            add(field, _("A fee cannot be negative."))
    kind = product.borrower_kind
    if kind in DESTINATIONS and product.destination not in DESTINATIONS[BorrowerKind(kind)]:
        add("destination", _("This destination is not one this kind of borrower can use."))
    order = list(product.allocation_order or [])
    if order and sorted(order) != sorted(c.value for c in DEFAULT_ALLOCATION):
        add(
            "allocation_order",
            _("The allocation order lists fees, interest and principal, each once."),
        )
    bands = [band.value for band in BANDS]
    if product.min_score_band not in bands:
        add("min_score_band", _("Choose a score band: excellent, good, fair, weak or poor."))
    elif product.review_band and (
        product.review_band not in bands
        or bands.index(product.review_band) <= bands.index(product.min_score_band)
    ):
        add("review_band", _("The review band must be a band below the minimum band."))
    ceiling = ceiling_bps(product.country)
    if ceiling is None:
        add("country", _("No usury ceiling is set for this country: no loan can be offered there."))
    if errors:
        return errors  # the ranges are needed for the schedules

    if upfront_fee(product, product.min_amount) >= product.min_amount:
        add("upfront_fee_fixed", _("The upfront fee would take the whole minimum amount."))
        return errors
    results = [
        (amount, term, *_worst_teg(product, amount, term))
        for amount in sorted({product.min_amount, product.max_amount})
        for term in _terms(product)
    ]
    # an impossible schedule first (its TEG means nothing), then the ceiling
    results.sort(key=lambda result: result[3] is None)
    for amount, term, teg, refusal in results:
        if refusal is not None:
            add(
                "min_amount",
                _(
                    "A loan of %(amount)s over %(term)s instalments would have an instalment "
                    "of zero or less: raise the minimum amount or shorten the term."
                )
                % {"amount": format_amount(amount, currency), "term": term},
            )
            return errors
        if teg > ceiling:
            add(
                "annual_rate_bps",
                _(
                    "A loan of %(amount)s over %(term)s instalments would cost a TEG of "
                    "%(teg)s, above the usury ceiling of %(ceiling)s: lower the rate or the "
                    "fees, or lengthen the shortest term."
                )
                % {
                    "amount": format_amount(amount, currency),
                    "term": term,
                    "teg": _percent(teg),
                    "ceiling": _percent(ceiling),
                },
            )
            return errors
    return errors


def validate(product) -> None:
    """Raise ValidationError (by field) when `product` cannot be saved (see the module)."""
    found = problems(product)
    if found:
        raise ValidationError(found)


def quote(
    product,
    *,
    amount: int,
    term: int,
    start: date,
    rent_day: int | None = None,
    language: str | None = None,
) -> Quote:
    """The loan of `product` for `amount` over `term` instalments disbursed on `start` (monthly
    products aligned to the rent date fall on `rent_day`). Refuses an amount or a term out of
    the product's ranges (AmountOutOfRange, TermOutOfRange); ValueError when the terms make no
    schedule (a product that passed `validate` never does)."""
    if not product.min_amount <= amount <= product.max_amount:
        raise AmountOutOfRange(field="amount")
    if not product.min_term <= term <= product.max_term:
        raise TermOutOfRange(field="term")
    day = rent_day if (product.align_to_rent_date and product.frequency == Frequency.MONTHLY) else None
    first = first_due_date_for(product.frequency, start=start, rent_day=day)
    schedule = schedule_for(product, amount=amount, term=term, first_due_date=first, day_of_month=day)
    teg = teg_bps(schedule, frequency=product.frequency, start=start)
    ceiling = ceiling_bps(product.country)
    facts = key_facts.statement(
        product,
        schedule=schedule,
        frequency=product.frequency,
        teg_bps=teg,
        start=start,
        language=language,
    )
    return Quote(
        product=product.code,
        amount=amount,
        term=term,
        currency=product.currency,
        start=start,
        schedule=schedule,
        teg_bps=teg,
        ceiling_bps=ceiling,
        key_facts=facts,
    )
