"""The investor's pages (/invest/…, HokweInvest), server-rendered, French first:

- « Mes placements » (/invest/): the portfolio (value, gains, time- and money-weighted
  returns), the positions, the open and recent orders, the monthly plans, the statements;
- the catalogue (/invest/products/) and each product's sheet in plain words (risk on the
  7-level scale, horizon, fees, cut-off, settlement, minimum, latest NAV or price, past
  performance with its warning, a small price chart drawn as inline SVG, the partner and its
  approval, the UMOA-Titres auctions);
- the suitability questionnaire and the resulting profile (/invest/profile/);
- an order's page (/invest/orders/<id>/) and the monthly plans (/invest/plans/).

The order form, its confirmation and every write are in actions.py. Every page needs a login
(else the tenant login with `next`) and shows only the signed-in user's own objects: another
user's order or plan is the 404 page. Reads go through selectors.py; writes through services/.
The pages extend the tenant space's base (estate/tenant/base.html) through invest/web/base.html."""

from __future__ import annotations

import calendar
from datetime import date, time
from decimal import Decimal

from babel.numbers import format_decimal
from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from apps.core.errors import DomainError
from apps.core.money import format_amount
from apps.core.templatetags.percent import format_percent_bp
from apps.core.web.pages import signed_in_page
from apps.kyc import api as kyc
from apps.wallet import api as wallet_api

from .. import domain, questionnaire, selectors
from ..contracts import PRICE_SCALE, UNIT_SCALE, ProductKind
from ..errors import ProfileRequired, TierTooLow
from ..services import profile as profile_service
from .forms import QuestionnaireForm

REQUIRED_TIER = 2  # services.orders.REQUIRED_TIER: shown before the order is even tried
OPEN_STATUSES = ("created", "sent", "acknowledged", "partially_executed")
CANCELLABLE = ("created", "sent", "acknowledged")  # services.orders.cancel_order
STATEMENT_MONTHS = 6  # the last full months linked from « Mes placements »
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 320, 120, 6
TREASURY = (ProductKind.TREASURY_BILL, ProductKind.TREASURY_BOND)

KIND_LABELS = {
    ProductKind.MONEY_MARKET_FUND: gettext_lazy("Money market fund"),
    ProductKind.BOND_FUND: gettext_lazy("Bond fund"),
    ProductKind.TREASURY_BILL: gettext_lazy("Treasury bill (UMOA-Titres)"),
    ProductKind.TREASURY_BOND: gettext_lazy("Treasury bond (UMOA-Titres)"),
    ProductKind.SHARE: gettext_lazy("BRVM share"),
}
PROFILE_LABELS = {
    "prudent": gettext_lazy("Prudent"),
    "balanced": gettext_lazy("Balanced"),
    "dynamic": gettext_lazy("Dynamic"),
}
SIDE_NAMES = {
    "subscribe": pgettext_lazy("an investment order's side", "Subscription"),
    "redeem": pgettext_lazy("an investment order's side", "Redemption"),
    "buy": pgettext_lazy("an investment order's side", "Purchase"),
    "sell": pgettext_lazy("an investment order's side", "Sale"),
}
PAUSED_REASONS = {
    "rent_first": gettext_lazy(
        "Paused by itself: your wallet had to keep your coming rent first. Resume it when your wallet "
        "holds more."
    ),
    "order_refused": gettext_lazy("Paused by itself: the last order was refused. Resume it to try again."),
}


# --- helpers ----------------------------------------------------------------------------------


def _lang(request) -> str:
    return (getattr(request, "LANGUAGE_CODE", "fr") or "fr")[:2]


def _login_url(request) -> str:
    return f"{reverse('estate:tenant-login')}?{urlencode({'next': request.get_full_path()})}"


def not_found(request):
    return render(request, "invest/web/not_found.html", {}, status=404)


def invest_page(methods=("GET",)):
    """Signed-in users only (else the tenant login with `next`); a NotFound (or a 404 refusal:
    another user's order or plan, an unknown product) → the 404 page."""
    return signed_in_page(methods, login_url=_login_url, not_found=not_found)


FLASH = "invest:flash"


def flash(request, text: str) -> None:
    """One sentence shown once on the next invest page (what was just done)."""
    request.session[FLASH] = str(text)


def pop_flash(request) -> str:
    return request.session.pop(FLASH, "")


def form_error(form, exc: DomainError) -> None:
    """A service's refusal as a form error (on its field when the form has it)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


def money(amount: int, currency: str, language: str) -> str:
    return format_amount(amount, currency, language)


def signed(amount: int, currency: str, language: str) -> str:
    text = format_amount(abs(amount), currency, language)
    return f"+{text}" if amount > 0 else f"−{text}" if amount < 0 else text


def units_text(quantity: int | None, language: str) -> str:
    """1/10,000 units as a decimal with 4 places: « 12,3456 »."""
    if quantity is None:
        return ""
    return format_decimal(Decimal(int(quantity)) / UNIT_SCALE, format="#,##0.0000", locale=language)


def shares_text(quantity: int | None, language: str) -> str:
    """Whole shares (a multiple of 10,000): « 12 »."""
    if quantity is None:
        return ""
    if quantity % UNIT_SCALE:
        return units_text(quantity, language)
    return format_decimal(quantity // UNIT_SCALE, format="#,##0", locale=language)


def price_text(price: int | None, currency: str, language: str) -> str:
    """A NAV or price (1/10,000 XOF) as people read it: « 10 245,5 FCFA »."""
    if price is None:
        return ""
    number = format_decimal(Decimal(int(price)) / PRICE_SCALE, format="#,##0.####", locale=language)
    symbol = format_amount(0, currency, language).replace("0", "", 1).strip()
    return f"{number}\u00a0{symbol}"


def percent_text(ratio: float | None, language: str) -> str:
    """A return (0.0325) as « +3,25 % »; "" when there is none."""
    if ratio is None:
        return ""
    number = format_decimal(
        Decimal(str(round(ratio * 100, 2))), format="+#,##0.00;-#,##0.00", locale=language
    )
    return f"{number}\u00a0%" if language == "fr" else f"{number}%"


def rate_text(bps: int, language: str) -> str:
    return format_percent_bp(bps, language)


def risk_info(level: int) -> dict:
    """The 7-step scale of a risk level: {level, label, steps: [(n, on, current)]}."""
    try:
        label = str(domain.risk_label(level))
    except ValueError:
        label = ""
    return {
        "level": level,
        "label": label,
        "steps": [{"n": n, "on": n <= level, "current": n == level} for n in range(1, 8)],
    }


def horizon_text(months: int) -> str:
    if months and months % 12 == 0:
        years = months // 12
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def side_name(side: str) -> str:
    return str(SIDE_NAMES.get(side, side))


def minimum_of(product) -> int:
    return max(settings.INVEST_MIN_ORDER, product.min_amount)


def tier_of(user) -> int:
    try:
        return kyc.tier_of(user)
    except DomainError:
        return 0


def available(user, currency: str = "XOF") -> int:
    return wallet_api.wallet_info(user, currency).available


def nav_date_of(product, now=None) -> tuple[date | None, bool]:
    """The NAV date an order placed now gets, and whether it is after the cut-off (the same
    rule as services.orders: domain.next_nav_date in INVEST_MARKET_TIMEZONE)."""
    if product.kind == ProductKind.SHARE:
        return None, False
    from zoneinfo import ZoneInfo

    now = now or timezone.now()
    tz = settings.INVEST_MARKET_TIMEZONE
    nav = domain.next_nav_date(now, product.cutoff or time.max, tz=tz)
    return nav, nav != timezone.localtime(now, timezone=ZoneInfo(tz)).date()


def eligibility_problem(user, *, buying: bool) -> str:
    """Why this person cannot place an order now ("" when they can): the kyc tier, the
    questionnaire (for a subscription or a buy)."""
    if tier_of(user) < REQUIRED_TIER:
        return str(TierTooLow().message)
    if buying and selectors.profile_of(user) is None:
        return str(ProfileRequired().message)
    return ""


def order_row(order, language: str) -> dict:
    product = order.product
    cur = order.currency
    if order.amount is not None:
        what = money(order.amount, cur, language)
    elif product.kind == ProductKind.SHARE:
        what = ngettext("%(count)s share", "%(count)s shares", (order.quantity or 0) // UNIT_SCALE) % {
            "count": shares_text(order.quantity, language)
        }
    else:
        what = _("%(units)s units") % {"units": units_text(order.quantity, language)}
    return {
        "o": order,
        "side": side_name(order.side),
        "what": what,
        "status": str(order.get_status_display()),
        "open": order.status in OPEN_STATUSES,
        "done": order.status == "executed",
        "refused": order.status in ("rejected", "cancelled"),
    }


# --- « Mes placements » ---------------------------------------------------------------------------


def _months_back(today: date, first: date, count: int) -> list[date]:
    """The first day of the last `count` full months, newest first, not before `first`'s month."""
    out = []
    year, month = today.year, today.month
    for _i in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        start = date(year, month, 1)
        if start < first.replace(day=1):
            break
        out.append(start)
    return out


def statement_links(user, language: str) -> dict:
    """The monthly statements of the last full months since the first order, and the fiscal
    summaries of each year since (links to the API's PDFs, the session signs them in)."""
    first = selectors.orders_of(user).order_by("created_at").values_list("created_at", flat=True).first()
    if first is None:
        return {"months": [], "years": []}
    today = timezone.localdate()
    first_day = timezone.localtime(first).date()
    months = [
        {
            "on": start,
            "days": calendar.monthrange(start.year, start.month)[1],
            "url": reverse(
                "invest-statement-pdf",
                kwargs={"version": "v1", "period": f"{start.year:04d}-{start.month:02d}"},
            ),
        }
        for start in _months_back(today, first_day, STATEMENT_MONTHS)
    ]
    years = [
        {
            "year": year,
            "current": year == today.year,
            "url": reverse("invest-fiscal-pdf", kwargs={"version": "v1", "year": str(year)}),
        }
        for year in range(today.year, first_day.year - 1, -1)
    ][:5]
    return {"months": months, "years": years}


@invest_page()
def home(request):
    language = _lang(request)
    user = request.user
    portfolio = selectors.portfolio_of(user)
    cur = portfolio.currency
    gain = domain.simple_gain(portfolio.invested, portfolio.withdrawn, portfolio.value)
    positions = [
        {
            "p": row,
            "product": row.product,
            "risk": risk_info(row.product.risk),
            "quantity": shares_text(row.quantity, language)
            if row.product.kind == ProductKind.SHARE
            else units_text(row.quantity, language),
            "reserved": units_text(row.reserved, language) if row.reserved else "",
            "value": money(row.value, row.product.currency, language),
            "unrealised": signed(row.value - row.cost, row.product.currency, language),
            "gain_class": "good" if row.value >= row.cost else "bad",
            "price_on": row.price_on,
            "can_sell": row.quantity > row.reserved,
            "share": row.product.kind == ProductKind.SHARE,
        }
        for row in selectors.positions_of(user)[:50]
    ]
    open_orders = [
        order_row(o, language) for o in selectors.orders_of(user).filter(status__in=OPEN_STATUSES)[:20]
    ]
    recent = [
        order_row(o, language) for o in selectors.orders_of(user).exclude(status__in=OPEN_STATUSES)[:10]
    ]
    plans = [plan_row(p, language) for p in selectors.plans_of(user).order_by("created_at", "id")[:20]]
    profile = selectors.profile_of(user)
    return render(
        request,
        "invest/web/home.html",
        {
            "portfolio": portfolio,
            "value": money(portfolio.value, cur, language),
            "invested": money(portfolio.invested, cur, language),
            "withdrawn": money(portfolio.withdrawn, cur, language),
            "gain": signed(gain, cur, language),
            "gain_class": "good" if gain >= 0 else "bad",
            "unrealised": signed(portfolio.unrealised, cur, language),
            "realised": signed(portfolio.realised, cur, language),
            "income": money(portfolio.income, cur, language),
            "twr": percent_text(portfolio.time_weighted, language),
            "mwr": percent_text(portfolio.money_weighted, language),
            "positions": positions,
            "open_orders": open_orders,
            "recent_orders": recent,
            "plans": plans,
            "profile": profile,
            "profile_label": str(PROFILE_LABELS.get(profile.profile, profile.profile)) if profile else "",
            "tier_ok": tier_of(user) >= REQUIRED_TIER,
            "tier_message": str(TierTooLow().message),
            "available": money(available(user, cur), cur, language),
            "statements": statement_links(user, language),
            "warning": str(domain.PAST_PERFORMANCE_WARNING),
            "flash": pop_flash(request),
        },
    )


# --- the catalogue and the product sheet ------------------------------------------------------------


def product_line(product, language: str) -> dict:
    return {
        "p": product,
        "kind": kind_label(product.kind),
        "risk": risk_info(product.risk),
        "horizon": horizon_text(product.horizon_months),
        "minimum": money(minimum_of(product), product.currency, language),
        "price": price_text(product.price, product.currency, language),
        "share": product.kind == ProductKind.SHARE,
    }


@invest_page()
def products(request):
    language = _lang(request)
    profile = selectors.profile_of(request.user)
    rows = []
    for product in selectors.products()[:100]:
        row = product_line(product, language)
        row["above"] = profile is not None and product.risk > profile.max_risk
        rows.append(row)
    return render(
        request,
        "invest/web/products.html",
        {
            "rows": rows,
            "profile": profile,
            "profile_label": str(PROFILE_LABELS.get(profile.profile, profile.profile)) if profile else "",
            "flash": pop_flash(request),
        },
    )


def price_chart(history: list[tuple[date, int]], currency: str, language: str) -> dict | None:
    """The price history as the points of an inline SVG polyline (no script), with the first
    and last prices, the lowest and the highest said in words for screen readers."""
    if len(history) < 2:
        return None
    values = [price for _on, price in history]
    low, high = min(values), max(values)
    span = (high - low) or 1
    last = len(history) - 1
    inner_w, inner_h = CHART_WIDTH - 2 * CHART_PAD, CHART_HEIGHT - 2 * CHART_PAD

    def point(i: int, price: int) -> str:
        x = CHART_PAD + i * inner_w / last
        y = CHART_PAD + (high - price) * inner_h / span if high != low else CHART_HEIGHT / 2
        return f"{x:.1f},{y:.1f}"

    points = " ".join(point(i, price) for i, (_on, price) in enumerate(history))
    bottom = CHART_HEIGHT - CHART_PAD
    area = f"{CHART_PAD:.1f},{bottom:.1f} {points} {CHART_WIDTH - CHART_PAD:.1f},{bottom:.1f}"
    first_on, first = history[0]
    last_on, latest = history[-1]
    return {
        "points": points,
        "area": area,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "first_on": first_on,
        "last_on": last_on,
        "first": price_text(first, currency, language),
        "last": price_text(latest, currency, language),
        "low": price_text(low, currency, language),
        "high": price_text(high, currency, language),
        "up": latest >= first,
    }


def fee_lines(product, language: str) -> list[tuple[str, str]]:
    cur = product.currency
    if product.kind == ProductKind.SHARE:
        lines = [
            (
                _("Brokerage"),
                _("%(rate)s of the amount, at least %(minimum)s")
                % {
                    "rate": rate_text(product.brokerage_bps, language),
                    "minimum": money(product.min_fee, cur, language),
                },
            )
        ]
    else:
        lines = [
            (_("Entry fee"), rate_text(product.entry_fee_bps, language)),
            (_("Exit fee"), rate_text(product.exit_fee_bps, language)),
        ]
    if product.management_fee_bps:
        lines.append(
            (
                _("Management fee"),
                _("%(rate)s a year, already included in the NAV")
                % {"rate": rate_text(product.management_fee_bps, language)},
            )
        )
    return lines


def cutoff_text(product) -> str:
    if product.kind == ProductKind.SHARE:
        return _("Orders go to the BRVM during its trading hours, at your limit price or better.")
    if not product.cutoff:
        return _("Every order placed on a business day gets the next net asset value.")
    return _(
        "An order placed before %(time)s (Abidjan time) on a business day gets that day's net asset value; "
        "later, the next business day's."
    ) % {"time": product.cutoff.strftime("%H:%M")}


def settlement_text(product) -> str:
    if product.settlement_days == 0:
        if product.kind == ProductKind.SHARE:
            return _("On the day of the execution.")
        return _("On the day of the net asset value.")
    return ngettext(
        "%(count)d business day after the execution (T+%(count)d).",
        "%(count)d business days after the execution (T+%(count)d).",
        product.settlement_days,
    ) % {"count": product.settlement_days}


@invest_page()
def product(request, code):
    language = _lang(request)
    row = selectors.product(code)  # ProductNotFound: the 404 page
    cur = row.currency
    perf = selectors.past_performance(row)
    performance = [
        (label, percent_text(perf.get(key), language))
        for key, label in (
            ("1m", _("1 month")),
            ("3m", _("3 months")),
            ("1y", _("1 year")),
            ("since_start", _("Since the first price")),
        )
    ]
    auctions = []
    if row.kind in TREASURY:
        auctions = [
            {
                "a": a,
                "issue": money(a.issue_amount, cur, language),
                "minimum": money(a.min_amount, cur, language),
            }
            for a in row.auctions.filter(auction_on__gte=timezone.localdate()).order_by("auction_on")[:10]
        ]
    profile = selectors.profile_of(request.user)
    position = selectors.positions_of(request.user).filter(product=row).first()
    summary = row.summary_en if language == "en" and row.summary_en else row.summary
    nav_date, after_cutoff = nav_date_of(row)
    return render(
        request,
        "invest/web/product.html",
        {
            "p": row,
            "line": product_line(row, language),
            "summary": summary,
            "fees": fee_lines(row, language),
            "cutoff": cutoff_text(row),
            "settlement": settlement_text(row),
            "nav_date": nav_date,
            "after_cutoff": after_cutoff,
            "performance": performance,
            "has_performance": any(value for _label, value in performance),
            "warning": str(domain.PAST_PERFORMANCE_WARNING),
            "chart": price_chart(selectors.price_history(row), cur, language),
            "auctions": auctions,
            "coupon": rate_text(row.coupon_bps, language) if row.coupon_bps else "",
            "partner_kind": str(row.partner.get_kind_display()),
            "sandbox": row.partner.provider == "sandbox",
            "open": row.status == "open",
            "above": profile is not None and row.risk > profile.max_risk,
            "profile": profile,
            "position": position,
            "can_sell": position is not None and position.quantity > position.reserved,
            "held": units_text(position.quantity, language) if position else "",
        },
    )


# --- the questionnaire and the profile -------------------------------------------------------------


def profile_reasons(row) -> list[str]:
    reasons = getattr(row, "reasons", None)
    if reasons is None:
        try:
            reasons = questionnaire.score(row.answers or {}).reasons
        except questionnaire.InvalidAnswers:  # answered before the questionnaire changed
            reasons = ()
    return [str(r) for r in reasons]


@invest_page(methods=("GET", "POST"))
def profile(request):
    """The six questions as radio groups → services.profile.submit_questionnaire → the
    profile, the highest risk that fits it and the caps applied, in words."""
    questions = questionnaire.questions_payload(_lang(request))
    row = selectors.profile_of(request.user)
    initial = dict(row.answers or {}) if row else {}
    form = QuestionnaireForm(request.POST or None, questions=questions, initial=initial)
    if request.method == "POST" and form.is_valid():
        answers = {q["id"]: form.cleaned_data[q["id"]] for q in questions}
        try:
            saved = profile_service.submit_questionnaire(actor=request.user, answers=answers)
        except DomainError as exc:
            for key, message in (getattr(exc, "params", {}) or {}).get("errors", {}).items():
                form.add_error(key if key in form.fields else None, message)
            if not form.errors:
                form_error(form, exc)
        else:
            flash(
                request,
                _("Your investor profile: %(profile)s (risk up to level %(risk)s of 7).")
                % {"profile": PROFILE_LABELS.get(saved.profile, saved.profile), "risk": saved.max_risk},
            )
            return redirect("invest:profile")
    return render(
        request,
        "invest/web/profile.html",
        {
            "form": form,
            "profile": row,
            "profile_label": str(PROFILE_LABELS.get(row.profile, row.profile)) if row else "",
            "risk": risk_info(row.max_risk) if row else None,
            "reasons": profile_reasons(row) if row else [],
            "next": _safe_next(request),
            "flash": pop_flash(request),
        },
        status=400 if form.errors else 200,
    )


def _safe_next(request) -> str:
    target = str(request.GET.get("next") or "")
    return target if target.startswith("/invest/") and "//" not in target else ""


# --- an order's page -------------------------------------------------------------------------------


@invest_page()
def order(request, order_id):
    language = _lang(request)
    row = selectors.order_of(request.user, order_id)  # another's: OrderNotFound → the 404 page
    product = row.product
    cur = row.currency
    share = product.kind == ProductKind.SHARE
    executions = [
        {
            "e": e,
            "quantity": shares_text(e.quantity, language) if share else units_text(e.quantity, language),
            "price": price_text(e.price, cur, language),
            "amount": money(e.amount, cur, language),
            "fees": money(e.fees, cur, language),
        }
        for e in row.executions.order_by("executed_at", "id")
    ]
    facts = [(_("Product"), product.name), (_("Operation"), side_name(row.side))]
    if row.amount is not None:
        facts.append((_("Amount"), money(row.amount, cur, language)))
    if row.quantity is not None:
        facts.append(
            (
                _("Number of shares") if share else _("Units"),
                shares_text(row.quantity, language) if share else units_text(row.quantity, language),
            )
        )
    if row.limit_price is not None:
        facts.append((_("Limit price"), price_text(row.limit_price, cur, language)))
    if row.held:
        facts.append((_("Held in your wallet"), money(row.held, cur, language)))
    if row.reserved_units:
        facts.append((_("Units set aside"), units_text(row.reserved_units, language)))
    if row.executed_quantity:
        facts.append(
            (
                _("Executed"),
                shares_text(row.executed_quantity, language)
                if share
                else units_text(row.executed_quantity, language),
            )
        )
        facts.append((_("Fees"), money(row.fees, cur, language)))
        facts.append(
            (
                _("Paid from your wallet") if row.buys else _("Back in your wallet"),
                money(row.cash, cur, language),
            )
        )
    return render(
        request,
        "invest/web/order.html",
        {
            "r": order_row(row, language),
            "o": row,
            "p": product,
            "facts": facts,
            "executions": executions,
            "risk": risk_info(product.risk),
            "cutoff": row.product.cutoff.strftime("%H:%M") if row.product.cutoff else "",
            "can_cancel": row.status in CANCELLABLE,
            "flash": pop_flash(request),
        },
    )


# --- monthly plans ----------------------------------------------------------------------------------


def plan_row(plan, language: str) -> dict:
    return {
        "p": plan,
        "product": plan.product,
        "amount": money(plan.amount, plan.currency, language),
        "status": str(plan.get_status_display()),
        "active": plan.status == "active",
        "paused": plan.status == "paused",
        "reason": str(PAUSED_REASONS.get(plan.paused_reason, "")) if plan.status == "paused" else "",
    }


def plan_products(user):
    """The products a plan may invest in: open funds, bills and bonds (never shares)."""
    return [p for p in selectors.products() if p.kind != ProductKind.SHARE]


def rent_first_text() -> str:
    return _(
        "Rent first: on its day, the plan only invests what your wallet holds beyond what it must keep for "
        "your rent over the next %(days)s days; otherwise it pauses and tells you."
    ) % {"days": settings.INVEST_RENT_RESERVE_DAYS}


@invest_page()
def plans(request):
    return plans_render(request)


def plans_render(request, *, form=None):
    """The plans page: my plans (pause, resume, stop) and the form of a new one (`form`: the
    one just posted, with its errors)."""
    from .forms import PlanForm

    language = _lang(request)
    choices = plan_products(request.user)
    if form is None:
        form = PlanForm(
            products=[(str(p.public_id), f"{p.name} · {kind_label(p.kind)}") for p in choices],
            initial={"day": min(timezone.localdate().day, 28)},
        )
    rows = [plan_row(p, language) for p in selectors.plans_of(request.user).order_by("created_at", "id")[:50]]
    return render(
        request,
        "invest/web/plans.html",
        {
            "rows": rows,
            "form": form,
            "has_products": bool(choices),
            "rent_first": rent_first_text(),
            "minimum": money(settings.INVEST_MIN_ORDER, "XOF", language),
            "flash": pop_flash(request),
        },
        status=400 if form.errors else 200,
    )


__all__ = [
    "home",
    "order",
    "plans",
    "plans_render",
    "product",
    "products",
    "profile",
]
