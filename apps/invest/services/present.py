"""What REST and GraphQL show (one place, so the two transports say the same): rows turned
into dicts of plain values, texts in the active language. No writes here."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _now
from django.utils.translation import gettext_lazy as _

from .. import domain, questionnaire, selectors
from ..contracts import PRICE_SCALE, UNIT_SCALE, ProductKind
from ..errors import CallbackRefused, InvalidDecimal, PartnerNotFound, PartnerUnreachable, ProfileNotFound  # noqa: F401
from ..providers.base import decimal_to_scaled, scaled_to_decimal

KIND_LABELS = {
    ProductKind.MONEY_MARKET_FUND: _("Money market fund"),
    ProductKind.BOND_FUND: _("Bond fund"),
    ProductKind.TREASURY_BILL: _("Treasury bill (UMOA-Titres)"),
    ProductKind.TREASURY_BOND: _("Treasury bond (UMOA-Titres)"),
    ProductKind.SHARE: _("BRVM share"),
}
PROFILE_LABELS = {
    "prudent": _("Prudent"),
    "balanced": _("Balanced"),
    "dynamic": _("Dynamic"),
}
TREASURY = (ProductKind.TREASURY_BILL, ProductKind.TREASURY_BOND)


def scaled(text: str | None, scale: int, *, field: str) -> int | None:
    """A quantity or a price sent as a decimal string, as invest's integer of 1/`scale`
    (exactly; at most 4 decimals, greater than 0). None stays None."""
    if text is None:
        return None
    try:
        value = decimal_to_scaled(str(text).strip(), scale)
    except ValueError:
        raise InvalidDecimal(field=field) from None
    if value <= 0 or value > 10**18:
        raise InvalidDecimal(field=field)
    return value


def lang() -> str:
    return (get_language() or "fr")[:2]


def units(value: int | None) -> str | None:
    return None if value is None else scaled_to_decimal(int(value), UNIT_SCALE)


def price(value: int | None) -> str | None:
    return None if value is None else scaled_to_decimal(int(value), PRICE_SCALE)


def risk_label(level: int) -> str:
    try:
        return str(domain.risk_label(level))
    except ValueError:
        return ""


def horizon_label(months: int) -> str:
    if months and months % 12 == 0:
        years = months // 12
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}


def minimum(product) -> int:
    return max(settings.INVEST_MIN_ORDER, product.min_amount)


def product_ref(product) -> dict:
    """The product as an order, a position or a plan names it."""
    return {
        "id": product.public_id,
        "code": product.code,
        "name": product.name,
        "kind": product.kind,
        "risk": product.risk,
        "risk_label": risk_label(product.risk),
    }


def product(p) -> dict:
    """A line of the catalogue (one query for the whole list: the partner is joined)."""
    return {
        "id": p.public_id,
        "code": p.code,
        "isin": p.isin,
        "ticker": p.ticker,
        "name": p.name,
        "kind": p.kind,
        "kind_label": str(KIND_LABELS.get(p.kind, p.kind)),
        "currency": p.currency,
        "risk": p.risk,
        "risk_label": risk_label(p.risk),
        "horizon_months": p.horizon_months,
        "horizon_label": horizon_label(p.horizon_months),
        "min_amount": minimum(p),
        "price": price(p.price),
        "price_on": p.price_on,
        "partner_name": p.partner.name,
    }


def _fees_text(p) -> str:
    parts = []
    if p.kind == ProductKind.SHARE:
        parts.append(
            _now("Brokerage: %(rate)s %% of the amount (at least %(minimum)s).")
            % {"rate": _percent(p.brokerage_bps), "minimum": _money(p.min_fee, p.currency)}
        )
    else:
        parts.append(_now("Entry fee: %(rate)s %%.") % {"rate": _percent(p.entry_fee_bps)})
        parts.append(_now("Exit fee: %(rate)s %%.") % {"rate": _percent(p.exit_fee_bps)})
    if p.management_fee_bps:
        parts.append(
            _now("Management fee: %(rate)s %% a year, included in the NAV.")
            % {"rate": _percent(p.management_fee_bps)}
        )
    return " ".join(parts)


def _percent(bps: int) -> str:
    return formats.number_format(bps / 100, decimal_pos=2 if bps % 100 else 0, use_l10n=True)


def _money(amount: int, currency: str) -> str:
    from apps.core.money import format_amount

    return format_amount(amount, currency, lang())


def sheet(p) -> dict:
    """The product sheet: the line of the catalogue, plus the fees, the cut-off, the past
    performance with its warning, the partner and, for UMOA-Titres, the coming auctions."""
    perf = selectors.past_performance(p)
    today = timezone.localdate()
    auctions = []
    if p.kind in TREASURY:
        auctions = [
            {
                "id": a.public_id,
                "auction_on": a.auction_on,
                "value_on": a.value_on,
                "maturity_on": a.maturity_on,
                "issue_amount": a.issue_amount,
                "min_amount": a.min_amount,
                "currency": p.currency,
            }
            for a in p.auctions.filter(auction_on__gte=today).order_by("auction_on")[:20]
        ]
    summary = p.summary_en if lang() == "en" and p.summary_en else p.summary
    return {
        **product(p),
        "sector": p.sector,
        "summary": summary,
        "fees": {
            "entry_bps": p.entry_fee_bps,
            "exit_bps": p.exit_fee_bps,
            "management_bps": p.management_fee_bps,
            "brokerage_bps": p.brokerage_bps,
            "minimum": p.min_fee,
            "currency": p.currency,
            "text": _fees_text(p),
        },
        "cutoff": p.cutoff.strftime("%H:%M") if p.cutoff else None,
        "cutoff_timezone": settings.INVEST_MARKET_TIMEZONE,
        "settlement_days": p.settlement_days,
        "maturity_on": p.maturity_on,
        "coupon_bps": p.coupon_bps,
        "status": p.status,
        "past_performance": {
            "one_month": perf.get("1m"),
            "three_months": perf.get("3m"),
            "one_year": perf.get("1y"),
            "since_start": perf.get("since_start"),
            "warning": str(domain.PAST_PERFORMANCE_WARNING),
        },
        "partner": {
            "code": p.partner.code,
            "name": p.partner.name,
            "kind": p.partner.kind,
            "licence": p.partner.licence,
            "sandbox": p.partner.provider == "sandbox",
        },
        "auctions": auctions,
    }


def price_history(p, days: int) -> dict:
    return {
        "product": p.public_id,
        "currency": p.currency,
        "prices": [{"on": on, "price": price(value)} for on, value in selectors.price_history(p, days=days)],
    }


# --- the questionnaire and the profile ---


def profile(row, reasons=None) -> dict:
    if reasons is None:
        reasons = getattr(row, "reasons", None)
    if reasons is None:
        try:
            reasons = questionnaire.score(row.answers).reasons
        except questionnaire.InvalidAnswers:  # the questionnaire changed since
            reasons = ()
    return {
        "profile": row.profile,
        "profile_label": str(PROFILE_LABELS.get(row.profile, row.profile)),
        "score": row.score,
        "max_risk": row.max_risk,
        "max_risk_label": risk_label(row.max_risk),
        "reasons": [str(r) for r in reasons],
        "answers": dict(row.answers or {}),
        "completed_at": row.completed_at,
    }


def own_profile(actor):
    row = selectors.profile_of(actor)
    if row is None:
        raise ProfileNotFound()
    return row


def max_risk_of(actor) -> int | None:
    row = selectors.profile_of(actor)
    return row.max_risk if row is not None else None


# --- orders ---


def _long_date(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT", use_l10n=True)


def notice(order) -> str:
    p = order.product
    if order.status in ("rejected",) and order.reason:
        return _now("The partner rejected this order: %(reason)s") % {"reason": order.reason}
    if order.nav_date and order.after_cutoff:
        return _now(
            "Placed after the cut-off time (%(cutoff)s): it will be executed at the net asset value of %(date)s."
        ) % {"cutoff": p.cutoff.strftime("%H:%M") if p.cutoff else "", "date": _long_date(order.nav_date)}
    if order.nav_date:
        return _now("It will be executed at the net asset value of %(date)s.") % {
            "date": _long_date(order.nav_date)
        }
    return ""


def order(row, max_risk: int | None, *, executions: bool = False) -> dict:
    p = row.product
    out = {
        "id": row.public_id,
        "product": product_ref(p),
        "plan": row.plan.public_id if row.plan_id else None,
        "side": row.side,
        "status": row.status,
        "status_label": str(row.get_status_display()),
        "currency": row.currency,
        "amount": row.amount,
        "quantity": units(row.quantity),
        "limit_price": price(row.limit_price),
        "nav_date": row.nav_date,
        "after_cutoff": row.after_cutoff,
        "notice": notice(row),
        "above_profile": max_risk is not None and p.risk > max_risk,
        "profile_max_risk": max_risk,
        "risk_acknowledged": row.risk_acknowledged,
        "held": row.held,
        "executed_quantity": units(row.executed_quantity),
        "executed_amount": row.executed_amount,
        "fees": row.fees,
        "cash": row.cash,
        "settle_on": row.settle_on,
        "settled_at": row.settled_at,
        "partner_ref": row.partner_ref,
        "reason": row.reason,
        "created_at": row.created_at,
    }
    if executions:
        out["executions"] = [
            {
                "id": e.public_id,
                "quantity": units(e.quantity),
                "price": price(e.price),
                "amount": e.amount,
                "fees": e.fees,
                "currency": row.currency,
                "executed_at": e.executed_at,
                "settle_on": e.settle_on,
            }
            for e in row.executions.order_by("executed_at", "id")
        ]
    return out


def order_detail(actor, public_id) -> dict:
    row = selectors.order_of(actor, public_id)
    return order(row, max_risk_of(actor), executions=True)


# --- the portfolio ---


def position(row) -> dict:
    p = row.product
    return {
        "product": product_ref(p),
        "currency": p.currency,
        "quantity": units(row.quantity),
        "reserved": units(row.reserved),
        "value": row.value,
        "cost": row.cost,
        "unrealised": row.value - row.cost,
        "realised": row.realised,
        "income": row.income,
        "price": price(row.price),
        "price_on": row.price_on,
    }


def portfolio(pf) -> dict:
    return {
        "currency": pf.currency,
        "value": pf.value,
        "cost": pf.cost,
        "unrealised": pf.unrealised,
        "realised": pf.realised,
        "income": pf.income,
        "invested": pf.invested,
        "withdrawn": pf.withdrawn,
        "gain": domain.simple_gain(pf.invested, pf.withdrawn, pf.value),
        "time_weighted": pf.time_weighted,
        "money_weighted": pf.money_weighted,
        "warning": str(domain.PAST_PERFORMANCE_WARNING),
    }


# --- plans ---


def plan(row) -> dict:
    return {
        "id": row.public_id,
        "product": product_ref(row.product),
        "currency": row.currency,
        "amount": row.amount,
        "day": row.day,
        "status": row.status,
        "status_label": str(row.get_status_display()),
        "paused_reason": row.paused_reason,
        "next_on": row.next_on,
        "last_run_on": row.last_run_on,
        "created_at": row.created_at,
    }
