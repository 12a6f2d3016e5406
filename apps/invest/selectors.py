"""Invest's reads, scoped to the actor: the catalogue (open products, for anyone signed in),
and an investor's own profile, orders, positions, plans and performance (never another's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.db.models import QuerySet, Sum
from django.utils import timezone

from . import domain
from .errors import OrderNotFound, PlanNotFound, ProductNotFound
from .models import InvestorProfile, Order, PortfolioDay, Position, Price, Product


def products(*, kind: str | None = None) -> QuerySet[Product]:
    qs = Product.objects.select_related("partner").filter(status=Product.Status.OPEN, partner__active=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("risk", "name")


def product(key) -> Product:
    qs = Product.objects.select_related("partner").filter(partner__active=True)
    try:
        row = qs.filter(public_id=UUID(str(key))).first()
    except ValueError:
        row = qs.filter(code=str(key)).first()
    if row is None:
        raise ProductNotFound()
    return row


def price_history(product: Product, *, days: int = 365) -> list[tuple[date, int]]:
    since = (product.price_on or timezone.localdate()) - timedelta(days=days)
    return list(
        Price.objects.filter(product=product, on__gte=since).order_by("on").values_list("on", "price")
    )


def past_performance(product: Product) -> dict[str, float | None]:
    """The product's return over 1, 3 and 12 months and since the first price (ratios)."""
    history = list(Price.objects.filter(product=product).order_by("on").values_list("on", "price"))
    if not history:
        return {"1m": None, "3m": None, "1y": None, "since_start": None}
    last_on, last = history[-1]
    out = {}
    for label, days in (("1m", 30), ("3m", 91), ("1y", 365)):
        start = [p for on, p in history if on <= last_on - timedelta(days=days)]
        out[label] = (last / start[-1] - 1) if start else None
    out["since_start"] = last / history[0][1] - 1 if len(history) > 1 else None
    return out


def profile_of(actor) -> InvestorProfile | None:
    return InvestorProfile.objects.filter(user_id=actor.pk).first()


def orders_of(actor, *, status: str | None = None) -> QuerySet[Order]:
    qs = Order.objects.select_related("product").filter(user_id=actor.pk)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def order_of(actor, public_id) -> Order:
    try:
        key = UUID(str(public_id))
    except ValueError:
        raise OrderNotFound() from None
    row = Order.objects.select_related("product").filter(user_id=actor.pk, public_id=key).first()
    if row is None:
        raise OrderNotFound()
    return row


def positions_of(actor) -> QuerySet[Position]:
    return (
        Position.objects.select_related("product")
        .filter(user_id=actor.pk)
        .exclude(quantity=0, realised=0, income=0)
        .order_by("product__risk", "product__name")
    )


def plans_of(actor):
    from .models import Plan

    return Plan.objects.select_related("product").filter(user_id=actor.pk).exclude(status="cancelled")


def plan_of(actor, public_id):
    from .models import Plan

    try:
        key = UUID(str(public_id))
    except ValueError:
        raise PlanNotFound() from None
    row = Plan.objects.select_related("product").filter(user_id=actor.pk, public_id=key).first()
    if row is None:
        raise PlanNotFound()
    return row


@dataclass(frozen=True)
class Portfolio:
    value: int
    cost: int
    unrealised: int
    realised: int
    income: int
    invested: int  # cash put in (subscriptions and buys, fees included)
    withdrawn: int  # cash taken out (redemptions and sells)
    time_weighted: float | None
    money_weighted: float | None
    currency: str = "XOF"


def portfolio_of(actor, *, today: date | None = None) -> Portfolio:
    today = today or timezone.localdate()
    sums = Position.objects.filter(user_id=actor.pk).aggregate(
        value=Sum("value"), cost=Sum("cost"), realised=Sum("realised"), income=Sum("income")
    )
    value, cost = sums["value"] or 0, sums["cost"] or 0
    settled = Order.objects.filter(user_id=actor.pk, settled_at__isnull=False).values_list(
        "side", "cash", "settled_at"
    )
    flows = []
    invested = withdrawn = 0
    for side, cash, at in settled:
        if side in ("subscribe", "buy"):
            invested += cash
            flows.append((timezone.localtime(at).date(), -cash))
        else:
            withdrawn += cash
            flows.append((timezone.localtime(at).date(), cash))
    days = list(
        PortfolioDay.objects.filter(user_id=actor.pk).order_by("on").values_list("on", "value", "flow")
    )
    twr = domain.time_weighted_return(days) if len(days) > 1 else None
    mwr = domain.money_weighted_return(flows, value, today) if flows and value else None
    return Portfolio(
        value=value,
        cost=cost,
        unrealised=value - cost,
        realised=sums["realised"] or 0,
        income=sums["income"] or 0,
        invested=invested,
        withdrawn=withdrawn,
        time_weighted=twr,
        money_weighted=mwr,
    )
