"""PUBLIC: what other modules may call in invest (the assistant's « how much have I
invested », the analytics).

    from apps.invest import api as invest
"""

from __future__ import annotations

from .contracts import PortfolioSummary

__all__: list[str] = ["portfolio_summary"]


def portfolio_summary(user) -> PortfolioSummary:
    """The user's holdings: value at the latest prices, cost, positions held, open orders.
    `user`: a user row. Two queries."""
    from django.db.models import Count, Q, Sum

    from .models import Order, Position

    sums = Position.objects.filter(user_id=user.pk).aggregate(
        value=Sum("value"), cost=Sum("cost"), held=Count("id", filter=Q(quantity__gt=0))
    )
    open_orders = Order.objects.filter(user_id=user.pk, status__in=Order.OPEN).count()
    return PortfolioSummary(
        user=str(user.public_id),
        value=sums["value"] or 0,
        cost=sums["cost"] or 0,
        positions=sums["held"] or 0,
        open_orders=open_orders,
    )
