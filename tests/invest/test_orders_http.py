"""Orders through a partner over HTTP (the local server speaking the Partner API): a timeout
leaves the order sent and the next poll neither doubles it nor loses it; fills arrive by the
status call; partial executions; a refusal releases the cash; reconciliation against the
partner's positions file."""

from __future__ import annotations

from datetime import date

import pytest

from apps.invest import domain
from apps.invest.models import Order, Partner, Position
from apps.invest.services import orders
from apps.invest.services.reconcile import reconcile
from tests.invest import world
from tests.invest.fake_partner import fake_partner  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(fake_partner):  # noqa: F811
    return Partner.objects.create(
        code="http-sgo",
        name="SGO HTTP",
        kind=Partner.Kind.SGO,
        provider=Partner.Provider.HTTP,
        base_url=fake_partner.base_url,
        api_key=fake_partner.api_key,
        callback_secret=fake_partner.callback_secret,
    )


def test_a_timeout_leaves_the_order_sent_and_the_poll_sends_it_once(fake_partner, partner, settings):  # noqa: F811
    settings.INVEST_PARTNER_TIMEOUT_SECONDS = 0.3
    product = world.fund(partner=partner)
    user = world.investor(balance=20_000)
    fake_partner.outage("lost_answer")  # the partner takes the order, its answer never comes
    order = orders.place_order(
        actor=user, product=product, side="subscribe", amount=10_000, idempotency_key="t"
    )
    assert order.status == Order.Status.SENT and order.last_error
    assert world.balance(user) == (20_000, 10_000)
    fake_partner.outage("")
    order = orders.refresh_order(order)  # the status call: the partner knows it
    assert order.status == Order.Status.ACKNOWLEDGED
    assert len(fake_partner.submissions) == 1  # never sent twice
    fake_partner.execute(str(order.public_id), quantity="1.0000", price="10000.0000", fees=0)
    order = orders.refresh_order(order)
    assert order.status == Order.Status.EXECUTED and order.executed_quantity == domain.UNIT_SCALE
    assert order.settled_at is not None
    assert world.balance(user) == (10_000, 10_000)


def test_an_order_the_partner_never_received_is_sent_again_by_the_poll(fake_partner, partner, settings):  # noqa: F811
    settings.INVEST_PARTNER_TIMEOUT_SECONDS = 0.3
    product = world.fund(partner=partner)
    user = world.investor(balance=20_000)
    fake_partner.outage("timeout")  # nothing reaches the partner
    order = orders.place_order(
        actor=user, product=product, side="subscribe", amount=10_000, idempotency_key="t"
    )
    assert order.status == Order.Status.SENT
    fake_partner.outage("")
    assert orders.poll_open() == 1
    order.refresh_from_db()
    assert order.status == Order.Status.ACKNOWLEDGED
    assert len(fake_partner.submissions) == 2  # the lost one, then the one the poll sent
    assert len(fake_partner.orders) == 1


def test_partial_fills_then_the_rest_settle_once_for_the_total(fake_partner, partner):  # noqa: F811
    product = world.fund(partner=partner, entry=0)
    user = world.investor(balance=30_000)
    order = orders.place_order(
        actor=user, product=product, side="subscribe", amount=30_000, idempotency_key="p"
    )
    key = str(order.public_id)
    fake_partner.execute(key, quantity="1.0000", price="10000.0000", partial=True, execution_id="F1")
    order = orders.refresh_order(order)
    assert order.status == Order.Status.PARTIALLY_EXECUTED and order.settled_at is None
    assert world.balance(user) == (30_000, 0)
    fake_partner.execute(key, quantity="1.5000", price="10000.0000", execution_id="F2")
    order = orders.refresh_order(order)
    orders.refresh_order(order)  # a second look changes nothing
    order.refresh_from_db()
    assert order.status == Order.Status.EXECUTED and order.executions.count() == 2
    assert order.cash == 25_000 and order.settled_at is not None
    assert world.balance(user) == (5_000, 5_000)
    assert Position.objects.get(user=user, product=product).quantity == 25_000


def test_a_rejection_releases_the_cash(fake_partner, partner):  # noqa: F811
    product = world.fund(partner=partner)
    user = world.investor(balance=10_000)
    order = orders.place_order(
        actor=user, product=product, side="subscribe", amount=10_000, idempotency_key="r"
    )
    fake_partner.reject(str(order.public_id), "Compte en cours d'ouverture")
    order = orders.refresh_order(order)
    assert order.status == Order.Status.REJECTED and order.reason == "Compte en cours d'ouverture"
    assert world.balance(user) == (10_000, 10_000)


def test_reconciliation_flags_what_differs_from_the_partner_file(fake_partner, partner):  # noqa: F811
    product = world.fund(partner=partner)
    user = world.investor(balance=10_000)
    order = orders.place_order(
        actor=user, product=product, side="subscribe", amount=10_000, idempotency_key="r"
    )
    fake_partner.execute(str(order.public_id), quantity="1.0000", price="10000.0000")
    orders.refresh_order(order)
    account = orders.partner_account(user, partner).reference
    day = date(2026, 3, 2)
    fake_partner.set_positions(day, [(account, product.code, "1.0000")])
    run = reconcile(partner, day)
    assert (run.lines, run.matched, run.differences) == (1, 1, 0)
    fake_partner.set_positions(
        day, [(account, product.code, "0.9000"), ("HKW-OTHER", product.code, "3.0000")]
    )
    run = reconcile(partner, day)
    assert (run.lines, run.matched, run.differences) == (2, 0, 2)
    found = {(d.account, d.ours, d.theirs) for d in run.items.all()}
    assert found == {(account, 10_000, 9_000), ("HKW-OTHER", 0, 30_000)}
