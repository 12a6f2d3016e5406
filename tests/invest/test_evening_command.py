"""`invest_evening`: a market day's evening by hand executes, settles and values an order
waiting for its NAV (the embedded default has no beat)."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from apps.invest.models import Order, Position
from apps.invest.services import orders
from tests.invest import world

pytestmark = pytest.mark.django_db


def test_the_evening_executes_settles_and_values_a_waiting_order():
    product = world.fund()
    user = world.investor(balance=10_000)
    monday = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Africa/Abidjan"))
    order = orders.place_order(
        actor=user, product=product, side="subscribe", amount=10_000, idempotency_key="e", now=monday
    )
    assert order.status == Order.Status.ACKNOWLEDGED
    out = StringIO()
    call_command("invest_evening", "--date", "2026-03-02", stdout=out)
    order.refresh_from_db()
    assert order.status == Order.Status.EXECUTED and order.settled_at is not None
    position = Position.objects.get(user=user, product=product)
    assert position.value > 0 and position.price_on.isoformat() == "2026-03-02"
    assert out.getvalue().startswith("2026-03-02: ") and "1 open orders asked" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("invest_evening", "--date", "March")
