"""The partners' callbacks (POST /api/v1/invest/callbacks/<partner code>), against the fake
partner speaking the Partner API (tests/invest/fake_partner.py): a signed callback makes us
ask the partner's status call and apply it (its body is never trusted); a forged, stale or
unsigned one is 401 and changes nothing; one about an order we do not know is 200 ignored."""

from __future__ import annotations

import json

import pytest

from apps.invest.models import Order
from tests.fixtures.invest import invest_available, invest_partner, invest_product
from tests.helpers import bearer_client
from tests.invest.fake_partner import fake_partner  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def http_world(invest_world, fake_partner):  # noqa: F811
    partner = invest_partner(
        code="sgi-http",
        name="SGI Partenaire",
        kind="sgi",
        provider="http",
        base_url=fake_partner.base_url,
        api_key=fake_partner.api_key,
        callback_secret=fake_partner.callback_secret,
    )
    invest_world.http_partner = partner
    invest_world.http_fund = invest_product(
        partner,
        code="CI0000000HT1",
        kind="money_market_fund",
        risk=1,
        price=100_000_000,
        price_on=invest_world.mmf.price_on,
    )
    invest_world.fake = fake_partner
    return invest_world


def _order(world, django_capture_on_commit_callbacks) -> Order:
    client = bearer_client(world.investor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/invest/orders",
            {"product": world.http_fund.code, "side": "subscribe", "amount": 40_000},
            format="json",
            HTTP_IDEMPOTENCY_KEY="cb-1",
        )
    assert response.status_code == 201, response.content
    order = Order.objects.get(public_id=response.json()["id"])
    assert order.status == "acknowledged" and str(order.public_id) in world.fake.orders
    return order


def _post(client, world, callback, code=None):
    return client.post(
        f"/api/v1/invest/callbacks/{code or world.http_partner.code}",
        data=callback.body,
        content_type="application/json",
        **{
            f"HTTP_{k.upper().replace('-', '_')}": v
            for k, v in callback.headers.items()
            if k != "Content-Type"
        },
    )


def test_a_signed_callback_applies_the_partners_status(http_world, django_capture_on_commit_callbacks):
    order = _order(http_world, django_capture_on_commit_callbacks)
    http_world.fake.execute(
        str(order.public_id), quantity="3.9990", price="10000.0000", amount=39_990, fees=0
    )
    anonymous = bearer_client(None)
    response = _post(anonymous, http_world, http_world.fake.callback(str(order.public_id)))
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "executed"}
    order.refresh_from_db()
    assert order.status == "executed" and order.executed_quantity == 39_990
    assert http_world.fake.calls("GET", f"/v1/orders/{order.public_id}")  # the status call was asked
    replay = _post(anonymous, http_world, http_world.fake.callback(str(order.public_id)))
    assert replay.json() == {"status": "executed"}
    assert order.executions.count() == 1


def test_the_callbacks_body_is_not_trusted(http_world, django_capture_on_commit_callbacks):
    """A callback claiming an execution the partner's status does not show changes nothing."""
    order = _order(http_world, django_capture_on_commit_callbacks)
    response = _post(
        bearer_client(None), http_world, http_world.fake.callback(str(order.public_id), "order.executed")
    )
    assert response.json() == {"status": "acknowledged"}
    order.refresh_from_db()
    assert order.status == "acknowledged" and order.executed_quantity == 0


@pytest.mark.parametrize("how", ["wrong_secret", "stale", "unsigned", "tampered"])
def test_an_unverified_callback_is_401_and_changes_nothing(
    http_world, django_capture_on_commit_callbacks, how
):
    import time

    order = _order(http_world, django_capture_on_commit_callbacks)
    http_world.fake.execute(str(order.public_id), quantity="3.9990", price="10000.0000", amount=39_990)
    oid = str(order.public_id)
    if how == "wrong_secret":
        callback = http_world.fake.callback(oid, secret="not-the-secret")
    elif how == "stale":
        callback = http_world.fake.callback(oid, t=int(time.time()) - 3_600)
    elif how == "unsigned":
        good = http_world.fake.callback(oid)
        callback = type(good)(body=good.body, headers={"Content-Type": "application/json"})
    else:
        good = http_world.fake.callback(oid)
        body = json.dumps({"client_order_id": oid, "event": "order.cancelled"}).encode()
        callback = type(good)(body=body, headers=good.headers)
    before = len(http_world.fake.requests)
    response = _post(bearer_client(None), http_world, callback)
    assert response.status_code == 401, response.content
    assert response.json()["code"] == "invest_callback_refused"
    assert response["Content-Type"].startswith("application/problem+json")
    order.refresh_from_db()
    assert order.status == "acknowledged"
    assert len(http_world.fake.requests) == before  # nothing was asked of the partner


def test_unknown_orders_and_partners(http_world, django_capture_on_commit_callbacks):
    anonymous = bearer_client(None)
    unknown = http_world.fake.callback("6c0b1c8e-0000-4000-8000-000000000000")
    assert _post(anonymous, http_world, unknown).json() == {"status": "ignored"}
    not_uuid = http_world.fake.callback("PRT-000001")
    assert _post(anonymous, http_world, not_uuid).json() == {"status": "ignored"}
    # an order of another partner is not this partner's to name
    other = bearer_client(http_world.investor).post(
        "/api/v1/invest/orders",
        {"product": http_world.mmf.code, "side": "subscribe", "amount": 10_000},
        format="json",
        HTTP_IDEMPOTENCY_KEY="cb-other",
    )
    assert _post(anonymous, http_world, http_world.fake.callback(other.json()["id"])).json() == {
        "status": "ignored"
    }
    missing = _post(anonymous, http_world, http_world.fake.callback("x"), code="nobody")
    assert missing.status_code == 404 and missing.json()["code"] == "invest_partner_not_found"
    sandbox = _post(anonymous, http_world, http_world.fake.callback("x"), code=http_world.partner.code)
    assert sandbox.status_code == 401  # the sandbox partner sends no callbacks
    assert invest_available(http_world.investor) == 500_000 - 10_000
