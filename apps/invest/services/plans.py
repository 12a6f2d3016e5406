"""Monthly investment plans (docs/invest.md « Recurring investing »): on the plan's day the
amount is invested from the wallet, rent first — when the wallet's available balance less
what it must keep for the rent (wallet.rent_reserve: HokweSplit instalments from the wallet
and open dues no plan saves toward, over INVEST_RENT_RESERVE_DAYS) does not cover it, the
plan pauses itself and says why; the investor resumes it."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.errors import DomainError
from apps.notifications import api as notifications
from apps.wallet import api as wallet

from ..contracts import OrderSide
from ..errors import InvalidPlan, PlanNotFound, ProductClosed
from ..messages import PLAN_PAUSED
from ..models import Plan, Product
from .orders import ensure_eligible, place_order, product_for

PAUSED_RENT = "rent_first"
PAUSED_ORDER = "order_refused"


def next_date(day: int, after: date) -> date:
    """The first date on `day` of a month strictly after `after` (day 1-28)."""
    candidate = after.replace(day=day) if after.day < day else None
    if candidate is None:
        year, month = (after.year + 1, 1) if after.month == 12 else (after.year, after.month + 1)
        candidate = date(year, month, min(day, calendar.monthrange(year, month)[1]))
    return candidate


def _validate(product: Product, amount, day) -> None:
    if product.is_share:
        raise InvalidPlan(field="product")
    if product.status != Product.Status.OPEN:
        raise ProductClosed(field="product")
    if (
        isinstance(amount, bool)
        or not isinstance(amount, int)
        or amount < max(settings.INVEST_MIN_ORDER, product.min_amount)
    ):
        raise InvalidPlan(field="amount", minimum=max(settings.INVEST_MIN_ORDER, product.min_amount))
    if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 28:
        raise InvalidPlan(field="day")


@transaction.atomic
def create_plan(*, actor, product, amount: int, day: int, acknowledge_risk: bool = False) -> Plan:
    product = product if isinstance(product, Product) else product_for(product)
    _validate(product, amount, day)
    ensure_eligible(actor, product, acknowledge_risk=acknowledge_risk)
    today = timezone.localdate()
    return Plan.objects.create(
        user_id=actor.pk,
        product=product,
        amount=amount,
        currency=product.currency,
        day=day,
        next_on=next_date(day, today - timedelta(days=1)),
    )


def _own(actor, plan: UUID) -> Plan:
    row = (
        Plan.objects.select_for_update()
        .select_related("product")
        .filter(user_id=actor.pk, public_id=plan)
        .first()
    )
    if row is None or row.status == Plan.Status.CANCELLED:
        raise PlanNotFound()
    return row


@transaction.atomic
def update_plan(*, actor, plan: UUID, amount: int | None = None, day: int | None = None) -> Plan:
    row = _own(actor, plan)
    amount = row.amount if amount is None else amount
    day = row.day if day is None else day
    _validate(row.product, amount, day)
    if day != row.day:
        row.next_on = next_date(day, timezone.localdate() - timedelta(days=1))
    row.amount, row.day = amount, day
    row.save()
    return row


@transaction.atomic
def set_plan_status(*, actor, plan: UUID, status: str) -> Plan:
    """Pause, resume (the next date from today) or cancel a plan."""
    row = _own(actor, plan)
    if status not in (Plan.Status.ACTIVE, Plan.Status.PAUSED, Plan.Status.CANCELLED):
        raise InvalidPlan(field="status")
    if status == Plan.Status.ACTIVE and row.status != Plan.Status.ACTIVE:
        row.next_on = next_date(row.day, timezone.localdate() - timedelta(days=1))
        row.paused_reason = ""
    row.status = status
    row.save()
    return row


def investable(user, currency: str, *, today: date) -> int:
    """The wallet's available balance less what it must keep for the rent."""
    info = wallet.wallet_info(user, currency)
    reserve = wallet.rent_reserve(
        user.public_id, currency, today=today, until=today + timedelta(days=settings.INVEST_RENT_RESERVE_DAYS)
    )
    return max(0, info.available - reserve)


def _pause(plan: Plan, reason: str, today: date) -> None:
    Plan.objects.filter(pk=plan.pk).update(
        status=Plan.Status.PAUSED, paused_reason=reason, last_run_on=today, updated_at=timezone.now()
    )
    notifications.send(
        plan.user.public_id,
        PLAN_PAUSED,
        {"product": plan.product.name, "amount": {"amount": plan.amount, "currency": plan.currency}},
        idempotency_key=f"invest:plan:{plan.public_id}:paused:{today.isoformat()}",
    )


def run_plans(*, today: date | None = None, limit: int = 5_000) -> dict:
    """The daily run (beat invest.plans): each active plan due today invests, or pauses."""
    today = today or timezone.localdate()
    result = {"invested": 0, "paused": 0}
    plans = list(
        Plan.objects.select_related("product", "product__partner", "user").filter(
            status=Plan.Status.ACTIVE, next_on__lte=today
        )[:limit]
    )
    for plan in plans:
        if investable(plan.user, plan.currency, today=today) < plan.amount:
            _pause(plan, PAUSED_RENT, today)
            result["paused"] += 1
            continue
        try:
            place_order(
                actor=plan.user,
                product=plan.product,
                side=OrderSide.SUBSCRIBE,
                amount=plan.amount,
                idempotency_key=f"invest:plan:{plan.public_id}:{plan.next_on.isoformat()}",
                acknowledge_risk=True,  # acknowledged when the plan was made
                plan=plan,
            )
        except DomainError:  # any refusal (kyc limits, a closed product…) pauses the plan
            _pause(plan, PAUSED_ORDER, today)
            result["paused"] += 1
            continue
        Plan.objects.filter(pk=plan.pk).update(
            next_on=next_date(plan.day, plan.next_on), last_run_on=today, updated_at=timezone.now()
        )
        result["invested"] += 1
    return result
