"""Invest's reactions to events (its own: the investor is told when an order settles or is
rejected, after commit)."""

from apps.core.events import on
from apps.notifications import api as notifications

from .events import OrderRejected, OrderSettled
from .messages import INVEST_ORDER_REJECTED, INVEST_ORDER_SETTLED
from .models import Product


def _name(code: str) -> str:
    return Product.objects.filter(code=code).values_list("name", flat=True).first() or code


@on(OrderSettled)
def tell_settled(event: OrderSettled, *, event_id):
    notifications.send(
        event.user,
        INVEST_ORDER_SETTLED,
        {"amount": {"amount": event.cash, "currency": event.currency}, "product": _name(event.product)},
        idempotency_key=f"invest:settled:{event.order}",
    )


@on(OrderRejected)
def tell_rejected(event: OrderRejected, *, event_id):
    notifications.send(
        event.user,
        INVEST_ORDER_REJECTED,
        {"product": _name(event.product)},
        idempotency_key=f"invest:rejected:{event.order}",
    )
