"""The investor's documents: the monthly statement and the yearly fiscal summary, as plain
dataclasses (REST JSON, the PDFs) and as PDFs in the active language (French by default).

    monthly_statement(user, 2026, 3)      -> Statement
    monthly_statement_pdf(user, 2026, 3)  -> bytes (%PDF…)
    fiscal_summary(user, 2025)            -> FiscalSummary
    fiscal_summary_pdf(user, 2025)        -> bytes

Everything is recomputed from the investor's executions (replayed from the first one, at
average cost: domain.after_buy / after_sell, exactly as services/orders.py applies a fill),
the stored prices and the dividend and coupon payments — never from Position.realised, which
is all-time. A fill counts on the local date of its `executed_at`; a payment on the local date
it was credited. Cash: integer XOF; units 1/10,000; prices 1/10,000 XOF (contracts.py)."""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from babel.numbers import format_decimal
from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.core.money import format_amount

from .. import domain
from ..contracts import PRICE_SCALE, UNIT_SCALE
from ..errors import StatementPeriodInFuture, StatementPeriodInvalid
from ..models import Distribution, DistributionPayment, Execution, Order, Price, Product

__all__ = [
    "ExecutionLine",
    "FiscalLine",
    "FiscalSummary",
    "HoldingLine",
    "IncomeLine",
    "OrderLine",
    "Statement",
    "StatementPeriodInFuture",
    "StatementPeriodInvalid",
    "fiscal_summary",
    "fiscal_summary_pdf",
    "monthly_statement",
    "monthly_statement_pdf",
    "parse_month",
    "parse_year",
]

FIRST_YEAR = 2000  # no statement before this year (a typo, not a period)
BUY_SIDES = ("subscribe", "buy")


# ---------------------------------------------------------------- periods


def _today() -> date:
    return timezone.localdate()


def _check_year(year: int, *, today: date, field: str) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or year < FIRST_YEAR:
        raise StatementPeriodInvalid(field=field)
    if year > today.year:
        raise StatementPeriodInFuture(field=field)


def _month_bounds(year: int, month: int, *, today: date | None = None) -> tuple[date, date]:
    today = today or _today()
    _check_year(year, today=today, field="month")
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise StatementPeriodInvalid(field="month")
    start = date(year, month, 1)
    if start > today:
        raise StatementPeriodInFuture(field="month")
    return start, date(year, month, calendar.monthrange(year, month)[1])


def parse_month(text: str, *, today: date | None = None) -> tuple[int, int]:
    """ "2026-03" -> (2026, 3); StatementPeriodInvalid / StatementPeriodInFuture otherwise."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", str(text or ""))
    if not match:
        raise StatementPeriodInvalid(field="month")
    year, month = int(match[1]), int(match[2])
    _month_bounds(year, month, today=today)
    return year, month


def parse_year(text: str, *, today: date | None = None) -> int:
    """ "2025" -> 2025; StatementPeriodInvalid / StatementPeriodInFuture otherwise."""
    if not re.fullmatch(r"\d{4}", str(text or "")):
        raise StatementPeriodInvalid(field="year")
    year = int(text)
    _check_year(year, today=today or _today(), field="year")
    return year


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


# ---------------------------------------------------------------- the replay


@dataclass
class _Book:
    quantity: int = 0
    cost: int = 0


@dataclass(frozen=True)
class _Fill:
    """One execution replayed: the cash it moved (+ into the wallet, - out of it) and, for a
    sell, the proceeds (net of fees), the cost removed at average cost and the gain."""

    execution: Execution
    on: date
    buys: bool
    cash: int
    proceeds: int = 0
    cost_removed: int = 0
    realised: int = 0
    quantity_after: int = 0
    cost_after: int = 0


def _replay(user, *, until: date) -> list[_Fill]:
    """Every execution of `user`'s orders up to `until` (local date), in the order they
    happened, applied to a book per product exactly as services/orders.py applies a fill."""
    executions = (
        Execution.objects.select_related("order", "order__product")
        .filter(order__user_id=user.pk, executed_at__lt=_aware(until + timedelta(days=1)))
        .order_by("executed_at", "pk")
    )
    books: dict[int, _Book] = defaultdict(_Book)
    fills = []
    for execution in executions:
        order = execution.order
        book = books[order.product_id]
        on = _local_day(execution.executed_at)
        if order.side in BUY_SIDES:
            paid = execution.amount + execution.fees
            book.quantity, book.cost = domain.after_buy(book.quantity, book.cost, execution.quantity, paid)
            fills.append(
                _Fill(execution, on, True, -paid, quantity_after=book.quantity, cost_after=book.cost)
            )
            continue
        proceeds = max(0, execution.amount - execution.fees)
        sold = min(execution.quantity, book.quantity)
        if sold > 0:
            quantity, cost, realised = domain.after_sell(book.quantity, book.cost, sold, proceeds)
        else:  # nothing on the book (cannot happen with a consistent history): all gain
            quantity, cost, realised = book.quantity, book.cost, proceeds
        removed = book.cost - cost
        book.quantity, book.cost = quantity, cost
        fills.append(
            _Fill(
                execution,
                on,
                False,
                proceeds,
                proceeds=proceeds,
                cost_removed=removed,
                realised=realised,
                quantity_after=quantity,
                cost_after=cost,
            )
        )
    return fills


def _price_on(product_id: int, day: date, fills: list[_Fill]) -> int | None:
    """The product's price on `day`: its latest stored price on or before it, else the last
    execution price on or before it."""
    price = (
        Price.objects.filter(product_id=product_id, on__lte=day)
        .order_by("-on")
        .values_list("price", flat=True)
        .first()
    )
    if price is not None:
        return price
    for fill in reversed(fills):
        if fill.execution.order.product_id == product_id and fill.on <= day:
            return fill.execution.price
    return None


def _holder(user) -> str:
    return getattr(user, "full_name", "") or str(getattr(user, "phone", "") or "")


# ---------------------------------------------------------------- the monthly statement


@dataclass(frozen=True)
class HoldingLine:
    product_code: str
    product_name: str
    opening_units: int
    opening_price: int | None
    opening_value: int
    closing_units: int
    closing_price: int | None
    closing_value: int
    closing_cost: int  # the average cost basis of the units held at the month's end
    currency: str = "XOF"


@dataclass(frozen=True)
class ExecutionLine:
    executed_on: date
    product_code: str
    product_name: str
    side: str
    units: int
    price: int
    gross: int
    fees: int
    cash: int  # net cash: + into the wallet (sells, redemptions), - out of it (buys, subscriptions)
    currency: str = "XOF"


@dataclass(frozen=True)
class OrderLine:
    order: str  # the order's public id
    placed_on: date
    product_code: str
    product_name: str
    side: str
    status: str
    amount: int | None
    quantity: int | None
    executions: tuple[ExecutionLine, ...]
    currency: str = "XOF"


@dataclass(frozen=True)
class IncomeLine:
    paid_on: date
    product_code: str
    product_name: str
    kind: str  # "dividend" or "coupon"
    units: int
    per_unit: int
    amount: int
    currency: str = "XOF"


@dataclass(frozen=True)
class Statement:
    holder: str
    year: int
    month: int
    start: date
    end: date
    opening_value: int
    closing_value: int
    invested: int  # cash out of the wallet into products this month (fees included)
    withdrawn: int  # cash back into the wallet from sells and redemptions (net of fees)
    fees: int
    income: int  # dividends and coupons paid this month
    holdings: tuple[HoldingLine, ...]
    orders: tuple[OrderLine, ...]
    income_lines: tuple[IncomeLine, ...]
    warning: str
    currency: str = "XOF"


def _side_label(side: str) -> str:
    labels = {
        "subscribe": _("Subscription"),
        "redeem": _("Redemption"),
        "buy": _("Purchase"),
        "sell": _("Sale"),
    }
    return str(labels.get(side, side))


def _payments(user, start: date, end: date):
    return (
        DistributionPayment.objects.select_related("distribution", "distribution__product")
        .filter(
            user_id=user.pk, created_at__gte=_aware(start), created_at__lt=_aware(end + timedelta(days=1))
        )
        .order_by("created_at", "pk")
    )


def monthly_statement(user, year: int, month: int, *, today: date | None = None) -> Statement:
    """The investor's statement of `month`: each position's value at the opening (the end of
    the previous month) and at the closing, the month's orders with their executions, the
    dividends and coupons paid, and the warning. A month not started yet is refused."""
    start, end = _month_bounds(year, month, today=today)
    fills = _replay(user, until=end)
    opening_fills = [f for f in fills if f.on < start]
    opening: dict[int, _Fill] = {}
    closing: dict[int, _Fill] = {}
    for fill in opening_fills:
        opening[fill.execution.order.product_id] = fill
    for fill in fills:
        closing[fill.execution.order.product_id] = fill
    products = {p.pk: p for p in Product.objects.filter(pk__in=closing.keys())}
    holdings = []
    before = start - timedelta(days=1)
    for product_id in sorted(closing, key=lambda pk: (products[pk].risk, products[pk].name)):
        product = products[product_id]
        first = opening[product_id].quantity_after if product_id in opening else 0
        last = closing[product_id]
        if (
            not first
            and not last.quantity_after
            and not any(f.on >= start and f.execution.order.product_id == product_id for f in fills)
        ):
            continue  # sold before the month, nothing this month
        open_price = _price_on(product_id, before, fills) if first else None
        close_price = _price_on(product_id, end, fills) if last.quantity_after else None
        holdings.append(
            HoldingLine(
                product_code=product.code,
                product_name=product.name,
                opening_units=first,
                opening_price=open_price,
                opening_value=domain.value(first, open_price) if first and open_price else 0,
                closing_units=last.quantity_after,
                closing_price=close_price,
                closing_value=domain.value(last.quantity_after, close_price)
                if last.quantity_after and close_price
                else 0,
                closing_cost=last.cost_after,
                currency=product.currency,
            )
        )

    month_fills: dict[int, list[_Fill]] = defaultdict(list)
    for fill in fills:
        if fill.on >= start:
            month_fills[fill.execution.order_id].append(fill)
    window = Q(created_at__gte=_aware(start), created_at__lt=_aware(end + timedelta(days=1)))
    orders = (
        Order.objects.select_related("product")
        .filter(user_id=user.pk)
        .filter(window | Q(pk__in=list(month_fills)))
        .order_by("created_at", "pk")
    )
    order_lines = []
    for order in orders:
        executions = tuple(
            ExecutionLine(
                executed_on=f.on,
                product_code=order.product.code,
                product_name=order.product.name,
                side=order.side,
                units=f.execution.quantity,
                price=f.execution.price,
                gross=f.execution.amount,
                fees=f.execution.fees,
                cash=f.cash,
                currency=order.currency,
            )
            for f in month_fills.get(order.pk, [])
        )
        order_lines.append(
            OrderLine(
                order=str(order.public_id),
                placed_on=_local_day(order.created_at),
                product_code=order.product.code,
                product_name=order.product.name,
                side=order.side,
                status=str(order.get_status_display()),
                amount=order.amount,
                quantity=order.quantity,
                executions=executions,
                currency=order.currency,
            )
        )
    income_lines = tuple(
        IncomeLine(
            paid_on=_local_day(p.created_at),
            product_code=p.distribution.product.code,
            product_name=p.distribution.product.name,
            kind=p.distribution.kind,
            units=p.quantity,
            per_unit=p.distribution.per_unit,
            amount=p.amount,
            currency=p.distribution.product.currency,
        )
        for p in _payments(user, start, end)
    )
    in_month = [f for f in fills if f.on >= start]
    return Statement(
        holder=_holder(user),
        year=year,
        month=month,
        start=start,
        end=end,
        opening_value=sum(h.opening_value for h in holdings),
        closing_value=sum(h.closing_value for h in holdings),
        invested=sum(-f.cash for f in in_month if f.buys),
        withdrawn=sum(f.cash for f in in_month if not f.buys),
        fees=sum(f.execution.fees for f in in_month),
        income=sum(line.amount for line in income_lines),
        holdings=tuple(holdings),
        orders=tuple(order_lines),
        income_lines=income_lines,
        warning=str(domain.PAST_PERFORMANCE_WARNING),
    )


# ---------------------------------------------------------------- the fiscal summary


@dataclass(frozen=True)
class FiscalLine:
    """One product's year (or the total, product_code ""): realised gains and losses on the
    sells and redemptions of the year (proceeds net of fees minus the average cost removed),
    the dividends and coupons paid, and the fees paid on every execution of the year."""

    product_code: str
    product_name: str
    kind: str
    proceeds: int = 0
    cost_removed: int = 0
    gains: int = 0  # the sells that gained, summed
    losses: int = 0  # the sells that lost, summed (a positive number)
    realised: int = 0  # gains - losses == proceeds - cost_removed
    dividends: int = 0
    coupons: int = 0
    fees: int = 0
    currency: str = "XOF"


@dataclass(frozen=True)
class FiscalSummary:
    holder: str
    year: int
    lines: tuple[FiscalLine, ...]
    total: FiscalLine
    warning: str
    currency: str = "XOF"


_SUMS = ("proceeds", "cost_removed", "gains", "losses", "realised", "dividends", "coupons", "fees")


def fiscal_summary(user, year: int, *, today: date | None = None) -> FiscalSummary:
    """The investor's `year`: per product and in total (see FiscalLine). A year not started
    yet is refused."""
    today = today or _today()
    _check_year(year, today=today, field="year")
    start, end = date(year, 1, 1), date(year, 12, 31)
    sums: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_SUMS, 0))
    for fill in _replay(user, until=end):
        if fill.on < start:
            continue
        row = sums[fill.execution.order.product_id]
        row["fees"] += fill.execution.fees
        if fill.buys:
            continue
        row["proceeds"] += fill.proceeds
        row["cost_removed"] += fill.cost_removed
        row["realised"] += fill.realised
        if fill.realised >= 0:
            row["gains"] += fill.realised
        else:
            row["losses"] -= fill.realised
    for payment in _payments(user, start, end):
        key = "coupons" if payment.distribution.kind == Distribution.Kind.COUPON else "dividends"
        sums[payment.distribution.product_id][key] += payment.amount
    products = {p.pk: p for p in Product.objects.filter(pk__in=sums.keys())}
    lines = tuple(
        FiscalLine(
            product_code=products[pk].code,
            product_name=products[pk].name,
            kind=products[pk].kind,
            currency=products[pk].currency,
            **sums[pk],
        )
        for pk in sorted(sums, key=lambda pk: (products[pk].risk, products[pk].name))
    )
    total = FiscalLine(
        product_code="",
        product_name=str(_("Total")),
        kind="",
        **{name: sum(getattr(line, name) for line in lines) for name in _SUMS},
    )
    return FiscalSummary(
        holder=_holder(user),
        year=year,
        lines=lines,
        total=total,
        warning=str(domain.PAST_PERFORMANCE_WARNING),
    )


# ---------------------------------------------------------------- PDFs


def _language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE or "fr")[:2]


UNIT_DIGITS = len(str(UNIT_SCALE)) - 1  # 4
PRICE_DIGITS = len(str(PRICE_SCALE)) - 1  # 4


def _units(quantity: int | None, language: str) -> str:
    """12 3456 (1/10,000 units) -> « 1,2346 »… written with its four decimals."""
    if quantity is None:
        return ""
    return format_decimal(
        Decimal(quantity).scaleb(-UNIT_DIGITS), format="#,##0." + "0" * UNIT_DIGITS, locale=language
    )


def _price(price: int | None, currency: str, language: str) -> str:
    """A NAV or a price (1/10,000 XOF) with its currency: « 10 500,00 FCFA »."""
    if price is None:
        return "—"
    number = format_decimal(
        Decimal(price).scaleb(-PRICE_DIGITS), format="#,##0.00" + "#" * (PRICE_DIGITS - 2), locale=language
    )
    symbol = format_amount(0, currency, language).replace("0", "", 1).strip("\u00a0 ")
    return f"{number}\u00a0{symbol}"


def _render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(template, context), base_url=str(settings.BASE_DIR)).write_pdf()


def render_html(template: str, context: dict) -> str:
    """The HTML a PDF is printed from (in the active language)."""
    return render_to_string(template, {**context, "LANGUAGE": _language()})


def _kind_label(kind: str) -> str:
    return str(dict(Distribution.Kind.choices).get(kind, kind))


def statement_context(statement: Statement) -> dict:
    lang = _language()
    cur = statement.currency

    def money(amount):
        return format_amount(amount, cur, lang) if amount is not None else ""

    return {
        "s": statement,
        "printed": timezone.now(),
        "opening_value": money(statement.opening_value),
        "closing_value": money(statement.closing_value),
        "invested": money(statement.invested),
        "withdrawn": money(statement.withdrawn),
        "fees": money(statement.fees),
        "income": money(statement.income),
        "holdings": [
            {
                "name": h.product_name,
                "code": h.product_code,
                "opening_units": _units(h.opening_units, lang),
                "opening_price": _price(h.opening_price, h.currency, lang),
                "opening_value": money(h.opening_value),
                "closing_units": _units(h.closing_units, lang),
                "closing_price": _price(h.closing_price, h.currency, lang),
                "closing_value": money(h.closing_value),
                "closing_cost": money(h.closing_cost),
            }
            for h in statement.holdings
        ],
        "orders": [
            {
                "placed_on": o.placed_on,
                "name": o.product_name,
                "side": _side_label(o.side),
                "status": o.status,
                "asked": money(o.amount) if o.amount else _units(o.quantity, lang),
                "executions": [
                    {
                        "on": e.executed_on,
                        "units": _units(e.units, lang),
                        "price": _price(e.price, e.currency, lang),
                        "gross": money(e.gross),
                        "fees": money(e.fees),
                        "cash": money(e.cash),
                    }
                    for e in o.executions
                ],
            }
            for o in statement.orders
        ],
        "income_lines": [
            {
                "on": i.paid_on,
                "name": i.product_name,
                "kind": _kind_label(i.kind),
                "units": _units(i.units, lang),
                "amount": money(i.amount),
            }
            for i in statement.income_lines
        ],
    }


def monthly_statement_pdf(user, year: int, month: int, *, today: date | None = None) -> bytes:
    """The monthly statement as a PDF, in the active language."""
    return _render_pdf(
        "invest/pdf/statement.html", statement_context(monthly_statement(user, year, month, today=today))
    )


def fiscal_context(summary: FiscalSummary) -> dict:
    lang = _language()

    def row(line: FiscalLine) -> dict:
        return {
            "name": line.product_name,
            "code": line.product_code,
            **{name: format_amount(getattr(line, name), line.currency, lang) for name in _SUMS},
        }

    return {
        "f": summary,
        "printed": timezone.now(),
        "lines": [row(line) for line in summary.lines],
        "total": row(summary.total),
    }


def fiscal_summary_pdf(user, year: int, *, today: date | None = None) -> bytes:
    """The fiscal summary as a PDF, in the active language."""
    return _render_pdf("invest/pdf/fiscal.html", fiscal_context(fiscal_summary(user, year, today=today)))
