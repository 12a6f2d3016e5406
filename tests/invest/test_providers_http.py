"""HttpPartner against a local partner speaking the Partner API (tests/invest/fake_partner.py):
real HTTP, no database."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from apps.invest.contracts import (
    PRICE_SCALE,
    UNIT_SCALE,
    OrderSide,
    PartnerExecution,
    PartnerOrderRequest,
    PartnerStatus,
    PositionLine,
)
from apps.invest.providers import (
    BadCallback,
    HttpPartner,
    PartnerClient,
    PartnerRefused,
    PartnerUnavailable,
    partner_client,
    signing,
)
from apps.invest.providers.base import decimal_to_scaled, parse_date, scaled_to_decimal
from tests.invest.fake_partner import CALLBACK_SECRET, http_partner, partner_row, serve_partner

FUND = "CI0000000001"
SHARE = "SNTS"
ABIDJAN = timezone(timedelta(hours=0), "GMT")  # Africa/Abidjan: UTC+0, no DST


@pytest.fixture
def fake(httpserver):
    with serve_partner(httpserver) as fake:
        yield fake


@pytest.fixture
def client(fake) -> HttpPartner:
    return http_partner(fake)


@pytest.fixture
def impatient(fake) -> HttpPartner:
    """A client that gives up quickly (the fake hangs until the test ends)."""
    return http_partner(fake, timeout=0.3)


def share_order(client_order_id="ord-1", **overrides) -> PartnerOrderRequest:
    values = {
        "client_order_id": client_order_id,
        "account": "ACC-0001",
        "product_code": SHARE,
        "side": OrderSide.BUY,
        "quantity": 120_000,  # 12 shares
        "limit_price": 175_000_000,  # 17,500 XOF
    }
    return PartnerOrderRequest(**{**values, **overrides})


def fund_order(client_order_id="ord-2", **overrides) -> PartnerOrderRequest:
    values = {
        "client_order_id": client_order_id,
        "account": "ACC-0001",
        "product_code": FUND,
        "side": OrderSide.SUBSCRIBE,
        "amount": 25_000,
        "nav_date": date(2026, 3, 2),
    }
    return PartnerOrderRequest(**{**values, **overrides})


# --- submit ---


def test_submit_sends_the_documented_request(fake, client):
    state = client.submit(share_order(quantity=123_456, limit_price=105_231_200))

    assert state.status == PartnerStatus.RECEIVED
    assert state.client_order_id == "ord-1"
    assert state.partner_ref.startswith("PRT-")
    assert state.executions == ()
    (sent,) = fake.submissions
    assert sent.headers["Authorization"] == f"Bearer {fake.api_key}"
    assert sent.headers["Idempotency-Key"] == "ord-1"
    assert sent.headers["User-Agent"].endswith("(invest-partner)")
    assert sent.json() == {
        "client_order_id": "ord-1",
        "account": "ACC-0001",
        "instrument": SHARE,
        "side": "buy",
        "amount": None,
        "quantity": "12.3456",
        "limit_price": "10523.1200",
        "nav_date": None,
    }


def test_a_fund_subscription_is_an_amount_for_a_nav_date(fake, client):
    client.submit(fund_order())

    assert fake.submissions[0].json() == {
        "client_order_id": "ord-2",
        "account": "ACC-0001",
        "instrument": FUND,
        "side": "subscribe",
        "amount": 25_000,
        "quantity": None,
        "limit_price": None,
        "nav_date": "2026-03-02",
    }


def test_submitting_twice_is_one_order(fake, client):
    first = client.submit(share_order())
    second = client.submit(share_order())

    assert second == first
    assert len(fake.submissions) == 2
    assert list(fake.orders) == ["ord-1"]
    assert fake.calls("GET", "/v1/orders/ord-1")  # the 409 was answered by reading the state


def test_submitting_again_returns_the_state_reached_since(fake, client):
    client.submit(share_order())
    fake.execute("ord-1", quantity="12", price="17500", fees=1_050, settle_days=3)

    state = client.submit(share_order())

    assert state.status == PartnerStatus.EXECUTED
    assert len(state.executions) == 1
    assert len(fake.orders) == 1


def test_an_answer_lost_on_the_way_back_is_recovered_by_sending_again(fake, impatient):
    fake.outage("lost_answer")
    with pytest.raises(PartnerUnavailable, match="timeout"):
        impatient.submit(share_order())
    assert list(fake.orders) == ["ord-1"]  # the partner has it

    fake.outage("")
    state = impatient.submit(share_order())

    assert state.status == PartnerStatus.RECEIVED
    assert list(fake.orders) == ["ord-1"]


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (
            422,
            {"title": "Unprocessable Content", "detail": "solde titres insuffisant"},
            "solde titres insuffisant",
        ),
        (400, {"title": "Instrument suspendu"}, "Instrument suspendu"),
        (400, None, "HTTP 400"),
        (410, {"detail": "  compte clôturé  "}, "compte clôturé"),
    ],
)
def test_a_4xx_on_submit_is_a_refusal_with_the_partners_reason(fake, client, status, body, reason):
    if body is None:
        fake.answer_next(status, raw="nope")
    else:
        fake.answer_next(status, body)

    with pytest.raises(PartnerRefused) as refused:
        client.submit(share_order())

    assert refused.value.reason == reason


@pytest.mark.parametrize("status", [401, 403, 404, 408, 429])
def test_a_4xx_that_is_not_about_the_order_leaves_it_to_be_retried(fake, client, status):
    fake.answer_next(status, {"detail": "not now"})

    with pytest.raises(PartnerUnavailable, match=f"HTTP {status}"):
        client.submit(share_order())


def test_a_wrong_key_is_not_a_refusal_of_the_order(fake):
    client = HttpPartner(fake.base_url, "pk_wrong", CALLBACK_SECRET, timeout=2.0)

    with pytest.raises(PartnerUnavailable, match="HTTP 401"):
        client.submit(share_order())
    assert fake.orders == {}


def test_the_fake_refuses_what_the_api_refuses(fake, client):
    """The fake checks the documented body: an order with neither amount nor quantity."""
    with pytest.raises(PartnerRefused, match="amount or quantity"):
        client.submit(share_order(quantity=None, limit_price=None))


def test_a_409_for_an_order_the_partner_then_does_not_know_is_not_trusted(fake, client):
    fake.answer_next(409, {"detail": "already received"})

    with pytest.raises(PartnerUnavailable, match="does not know"):
        client.submit(share_order())


# --- outages ---


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.submit(share_order()),
        lambda c: c.status("ord-1"),
        lambda c: c.cancel("ord-1"),
        lambda c: c.positions(date(2026, 3, 2)),
    ],
    ids=["submit", "status", "cancel", "positions"],
)
@pytest.mark.parametrize("outage", ["500", "timeout"])
def test_an_outage_is_unavailable_never_a_refusal(fake, impatient, call, outage):
    fake.outage(outage)

    with pytest.raises(PartnerUnavailable):
        call(impatient)

    assert len(fake.requests) == 1  # a request that reached the partner is not sent twice


def test_a_partner_that_cannot_be_reached_is_unavailable(unused_tcp_port):
    client = HttpPartner(f"http://127.0.0.1:{unused_tcp_port}/partner", "k", "s", timeout=0.5)

    with pytest.raises(PartnerUnavailable, match="ConnectError"):
        client.status("ord-1")


def test_a_redirect_is_not_followed(fake, client):
    fake.answer_next(302, raw="", content_type="text/plain")

    with pytest.raises(PartnerUnavailable, match="HTTP 302"):
        client.status("ord-1")
    assert len(fake.requests) == 1


def test_no_base_url_is_unavailable():
    with pytest.raises(PartnerUnavailable, match="no base URL"):
        HttpPartner("", "k", "s", timeout=1).status("ord-1")


# --- status ---


def test_status_parses_the_executions_exactly(fake, client):
    client.submit(share_order())
    fake.execute(
        "ord-1",
        quantity="5.0001",
        price="17499.9999",
        amount=87_501,
        fees=438,
        executed_at=datetime(2026, 3, 2, 10, 15, 30, tzinfo=ABIDJAN),
        settle_days=3,
        partial=True,
        execution_id="EX-A",
    )

    partial = client.status("ord-1")

    assert partial.status == PartnerStatus.PARTIALLY_EXECUTED
    assert partial.executions == (
        PartnerExecution(
            execution_id="EX-A",
            quantity=50_001,
            price=174_999_999,
            amount=87_501,
            fees=438,
            executed_at=datetime(2026, 3, 2, 10, 15, 30, tzinfo=UTC),
            settle_on=date(2026, 3, 5),  # T+3 business days
        ),
    )

    fake.execute(
        "ord-1",
        quantity="6.9999",
        price="17500",
        fees=612,
        executed_at=datetime(2026, 3, 6, 14, 0, tzinfo=timezone(timedelta(hours=1))),
        settle_days=3,
        execution_id="EX-B",
    )
    done = client.status("ord-1")

    assert done.status == PartnerStatus.EXECUTED
    assert [e.execution_id for e in done.executions] == ["EX-A", "EX-B"]
    second = done.executions[1]
    assert (second.quantity, second.price, second.amount, second.fees) == (69_999, 175_000_000, 122_498, 612)
    assert second.executed_at.utcoffset() == timedelta(hours=1)
    assert second.settle_on == date(2026, 3, 11)  # over the weekend


def test_an_unknown_order_is_unknown(fake, client):
    state = client.status("never-sent")

    assert state.status == PartnerStatus.UNKNOWN
    assert state.executions == ()


def test_a_rejection_carries_the_partners_reason(fake, client):
    client.submit(fund_order())
    fake.reject("ord-2", "compte titres non ouvert")

    state = client.status("ord-2")

    assert state.status == PartnerStatus.REJECTED
    assert state.reason == "compte titres non ouvert"


def test_an_order_id_is_quoted_in_the_path(fake, client):
    client.submit(share_order("a b?c"))

    assert client.status("a b?c").status == PartnerStatus.RECEIVED
    assert fake.calls("GET", "/v1/orders/a b?c")


# --- malformed answers: never a crash, never a guess ---


def _execution(**overrides):
    values = {
        "execution_id": "EX-1",
        "quantity": "12.3456",
        "price": "10523.1200",
        "amount": 129_915,
        "fees": 650,
        "executed_at": "2026-03-02T10:15:00+00:00",
        "settle_on": "2026-03-05",
    }
    return {**values, **overrides}


def _without(mapping, key):
    return {k: v for k, v in mapping.items() if k != key}


MALFORMED_EXECUTIONS = {
    "five decimals": _execution(quantity="12.34567"),
    "negative": _execution(quantity="-1"),
    "zero quantity": _execution(quantity="0"),
    "not a number": _execution(price="abc"),
    "exponent": _execution(price="1e4"),
    "float": _execution(quantity=12.5),
    "spaces": _execution(price=" 10523"),
    "non-ASCII digits": _execution(quantity="١٢"),
    "amount as a string": _execution(amount="129915"),
    "amount as a float": _execution(amount=129915.0),
    "negative fees": _execution(fees=-1),
    "boolean fees": _execution(fees=True),
    "no offset": _execution(executed_at="2026-03-02T10:15:00"),
    "a date for a time": _execution(executed_at="2026-03-02"),
    "impossible date": _execution(settle_on="2026-02-30"),
    "compact date": _execution(settle_on="20260305"),
    "missing price": _without(_execution(), "price"),
    "missing execution id": _without(_execution(), "execution_id"),
    "not an object": ["EX-1", "12"],
}


@pytest.mark.parametrize("execution", MALFORMED_EXECUTIONS.values(), ids=MALFORMED_EXECUTIONS.keys())
def test_a_malformed_execution_is_unavailable(fake, client, execution):
    client.submit(share_order())
    fake.orders["ord-1"].update(status="executed", executions=[execution])

    with pytest.raises(PartnerUnavailable, match="malformed answer"):
        client.status("ord-1")


MALFORMED_ORDERS = {
    "unknown status": {"status": "settled"},
    "the unknown status": {"status": "unknown"},
    "another order": {"client_order_id": "ord-9"},
    "executions not a list": {"executions": {"EX-1": {}}},
    "the same execution twice": {"executions": [_execution(), _execution()]},
    "a partner ref that is a number": {"partner_ref": 12},
}


@pytest.mark.parametrize("changes", MALFORMED_ORDERS.values(), ids=MALFORMED_ORDERS.keys())
def test_a_malformed_order_is_unavailable(fake, client, changes):
    client.submit(share_order())
    fake.orders["ord-1"].update(changes)

    with pytest.raises(PartnerUnavailable, match="malformed answer"):
        client.status("ord-1")


@pytest.mark.parametrize("key", ["client_order_id", "status", "executions", "partner_ref", "reason"])
def test_a_missing_field_is_unavailable(fake, client, key):
    client.submit(share_order())
    del fake.orders["ord-1"][key]

    with pytest.raises(PartnerUnavailable, match=f"order.{key}: missing"):
        client.status("ord-1")


@pytest.mark.parametrize(
    "raw",
    ["<html>OK</html>", "", "[]", '"received"', "null", "{", "[" * 100_000, b"\xff\xfe{}"],
    ids=["html", "empty", "list", "string", "null", "truncated", "deep", "utf-16"],
)
def test_an_answer_that_is_not_the_json_object_is_unavailable(fake, client, raw):
    fake.answer_next(200, raw=raw, content_type="application/json")

    with pytest.raises(PartnerUnavailable, match="malformed answer"):
        client.status("ord-1")


def test_a_malformed_answer_to_submit_is_unavailable(fake, client):
    fake.answer_next(201, {"client_order_id": "ord-1", "status": "received"})

    with pytest.raises(PartnerUnavailable, match="order.executions: missing"):
        client.submit(share_order())


# --- cancel ---


def test_cancel_an_open_order(fake, client):
    client.submit(share_order())

    state = client.cancel("ord-1")

    assert state.status == PartnerStatus.CANCELLED
    assert fake.orders["ord-1"]["status"] == "cancelled"


def test_cancel_too_late_returns_the_executed_state(fake, client):
    client.submit(share_order())
    fake.execute("ord-1", quantity="12", price="17500")

    state = client.cancel("ord-1")

    assert state.status == PartnerStatus.EXECUTED
    assert len(state.executions) == 1


def test_cancel_an_unknown_order(fake, client):
    assert client.cancel("never-sent").status == PartnerStatus.UNKNOWN


def test_a_refused_cancellation(fake, client):
    fake.answer_next(422, {"detail": "cancellations closed after the cut-off"})

    with pytest.raises(PartnerRefused, match="cut-off"):
        client.cancel("ord-1")


# --- positions ---


def test_positions_from_the_settled_executions(fake, client):
    client.submit(share_order("ord-1", account="ACC-1"))
    client.submit(share_order("ord-2", account="ACC-1", side=OrderSide.SELL, quantity=20_000))
    client.submit(fund_order("ord-3", account="ACC-2"))
    monday = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    fake.execute("ord-1", quantity="12", price="17500", executed_at=monday, settle_days=3)
    fake.execute("ord-2", quantity="2", price="17600", executed_at=monday, settle_days=3)
    fake.execute(
        "ord-3", quantity="2.3757", price="10523.1200", executed_at=monday, settle_on=date(2026, 3, 2)
    )

    assert client.positions(date(2026, 3, 4)) == [
        PositionLine(account="ACC-2", product_code=FUND, quantity=23_757, as_of=date(2026, 3, 4))
    ]
    assert client.positions(date(2026, 3, 5)) == [
        PositionLine(account="ACC-1", product_code=SHARE, quantity=100_000, as_of=date(2026, 3, 5)),
        PositionLine(account="ACC-2", product_code=FUND, quantity=23_757, as_of=date(2026, 3, 5)),
    ]
    assert fake.calls("GET", "/v1/positions")[0].query == {"date": "2026-03-04"}


def test_positions_file_as_the_partner_sends_it(fake, client):
    fake.set_positions(date(2026, 3, 2), [("ACC-1", FUND, "0.0001"), ("ACC-2", SHARE, "0")])

    assert client.positions(date(2026, 3, 2)) == [
        PositionLine(account="ACC-1", product_code=FUND, quantity=1, as_of=date(2026, 3, 2)),
        PositionLine(account="ACC-2", product_code=SHARE, quantity=0, as_of=date(2026, 3, 2)),
    ]
    assert client.positions(date(2026, 3, 3)) == []


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, {"as_of": "2026-03-01", "positions": []}),  # another day
        (200, {"positions": []}),
        (200, {"as_of": "2026-03-02"}),
        (
            200,
            {
                "as_of": "2026-03-02",
                "positions": [{"account": "A", "instrument": FUND, "quantity": "1.00001"}],
            },
        ),
        (200, {"as_of": "2026-03-02", "positions": [{"account": "", "instrument": FUND, "quantity": "1"}]}),
        (200, {"as_of": "2026-03-02", "positions": [{"account": "A", "quantity": "1"}]}),
        (404, {"detail": "not yet produced"}),
    ],
)
def test_a_malformed_or_missing_positions_file_is_unavailable(fake, client, status, body):
    fake.answer_next(status, body)

    with pytest.raises(PartnerUnavailable):
        client.positions(date(2026, 3, 2))


# --- callbacks ---


def test_a_signed_callback_names_its_order(fake, client):
    client.submit(share_order())
    callback = fake.callback("ord-1")

    assert client.verify_callback(callback.body, callback.headers) == "ord-1"


def test_the_callback_header_is_found_whatever_its_case(fake, client):
    callback = fake.callback("ord-1", "order.executed")
    header = callback.headers[signing.SIGNATURE_HEADER]

    assert client.verify_callback(callback.body, {"x-partner-signature": header}) == "ord-1"
    assert client.verify_callback(callback.body, {"HTTP_X_PARTNER_SIGNATURE": header}) == "ord-1"


def _refused(client, body, headers, match):
    with pytest.raises(BadCallback, match=match):
        client.verify_callback(body, headers)


def test_a_callback_signed_with_another_secret_is_refused(fake, client):
    callback = fake.callback("ord-1", secret="whsec_someone_else")
    _refused(client, callback.body, callback.headers, "bad signature")


def test_a_tampered_callback_is_refused(fake, client):
    callback = fake.callback("ord-1")
    _refused(client, callback.body.replace(b"ord-1", b"ord-2"), callback.headers, "bad signature")


def test_an_unsigned_callback_is_refused(fake, client):
    callback = fake.callback("ord-1")
    _refused(client, callback.body, {"Content-Type": "application/json"}, "no X-Partner-Signature")


@pytest.mark.parametrize(
    "header",
    ["garbage", "t=,v1=00", "t=abc,v1=" + "0" * 64, "t=1700000000", "v1=" + "0" * 64, "t=١٢,v1=" + "0" * 64],
)
def test_a_malformed_signature_header_is_refused(client, header):
    _refused(client, b"{}", {signing.SIGNATURE_HEADER: header}, "malformed signature header")


def test_a_v1_that_is_not_hex_is_refused(client):
    _refused(client, b"{}", {signing.SIGNATURE_HEADER: f"t={int(time.time())},v1=é"}, "bad signature")


def test_an_old_callback_is_refused(fake, client, settings):
    settings.INVEST_CALLBACK_TOLERANCE_SECONDS = 300
    old = fake.callback("ord-1", t=int(time.time()) - 3_600)
    _refused(client, old.body, old.headers, "ago, more than 300 s")


def test_a_callback_from_the_future_is_refused(fake, client, settings):
    settings.INVEST_CALLBACK_TOLERANCE_SECONDS = 300
    future = fake.callback("ord-1", t=int(time.time()) + 3_600)
    _refused(client, future.body, future.headers, "in the future")


def test_the_tolerance_is_the_settings(fake, client, settings):
    settings.INVEST_CALLBACK_TOLERANCE_SECONDS = 7_200
    old = fake.callback("ord-1", t=int(time.time()) - 3_600)

    assert client.verify_callback(old.body, old.headers) == "ord-1"


def test_one_matching_v1_is_enough_while_a_secret_is_rotated(fake, client):
    callback = fake.callback("ord-1")
    t = int(time.time())
    header = f"t={t},v1={signing.signature('old-secret', callback.body, t)},v1={signing.signature(CALLBACK_SECRET, callback.body, t)}"

    assert client.verify_callback(callback.body, {signing.SIGNATURE_HEADER: header}) == "ord-1"


@pytest.mark.parametrize(
    "body", [b"not json", b"[]", b'{"event": "order.executed"}', b'{"client_order_id": 7}']
)
def test_a_signed_callback_without_an_order_is_refused(client, body):
    _refused(
        client,
        body,
        {signing.SIGNATURE_HEADER: signing.sign(CALLBACK_SECRET, body)},
        "malformed callback body",
    )


def test_no_callback_secret_accepts_nothing(fake):
    client = HttpPartner(fake.base_url, fake.api_key, "", timeout=1)
    body = b'{"client_order_id": "ord-1"}'

    _refused(client, body, {signing.SIGNATURE_HEADER: signing.sign("", body)}, "no callback secret")


# --- the factory ---


def test_partner_client_for_an_http_partner(fake, settings):
    settings.INVEST_PARTNER_TIMEOUT_SECONDS = 4.5
    client = partner_client(partner_row(fake))

    assert isinstance(client, HttpPartner)
    assert isinstance(client, PartnerClient)
    assert client.timeout == 4.5
    assert client.submit(share_order()).status == PartnerStatus.RECEIVED
    assert fake.api_key not in repr(client)


def test_the_sandbox_is_refused_when_not_allowed(settings):
    settings.INVEST_ALLOW_SANDBOX = False

    with pytest.raises(PartnerUnavailable, match="sandbox refused"):
        partner_client(SimpleNamespace(provider="sandbox", base_url="", api_key="", callback_secret=""))


def test_an_unknown_provider_is_unavailable():
    with pytest.raises(PartnerUnavailable, match="unknown partner provider"):
        partner_client(SimpleNamespace(provider="ftp", base_url="", api_key="", callback_secret=""))


# --- the numbers' wire format ---


@hypothesis_settings(max_examples=200)
@given(st.integers(min_value=0, max_value=10**22))
def test_scaled_integers_survive_the_wire(value):
    text = scaled_to_decimal(value, UNIT_SCALE)

    assert decimal_to_scaled(text, UNIT_SCALE) == value
    assert len(text.partition(".")[2]) == 4


@hypothesis_settings(max_examples=200)
@given(
    whole=st.integers(min_value=0, max_value=10**15),
    decimals=st.text(alphabet="0123456789", min_size=0, max_size=4),
    trailing_zeros=st.integers(min_value=0, max_value=3),
)
def test_decimal_strings_with_four_decimals_are_exact(whole, decimals, trailing_zeros):
    fraction = decimals + "0" * trailing_zeros
    text = f"{whole}.{fraction}" if fraction else str(whole)

    scaled = decimal_to_scaled(text, PRICE_SCALE)

    assert scaled == whole * PRICE_SCALE + int((decimals or "0").ljust(4, "0"))
    assert decimal_to_scaled(scaled_to_decimal(scaled, PRICE_SCALE), PRICE_SCALE) == scaled


@hypothesis_settings(max_examples=200)
@given(
    whole=st.integers(min_value=0, max_value=10**6),
    decimals=st.text(alphabet="0123456789", min_size=4, max_size=8),
    last=st.sampled_from("123456789"),
)
def test_a_fifth_decimal_is_refused(whole, decimals, last):
    with pytest.raises(ValueError, match="more than 4 decimals"):
        decimal_to_scaled(f"{whole}.{decimals}{last}", UNIT_SCALE)


@hypothesis_settings(max_examples=200)
@given(st.text(max_size=12))
def test_any_text_is_a_number_or_a_value_error(text):
    try:
        value = decimal_to_scaled(text, UNIT_SCALE)
    except ValueError:
        return
    assert type(value) is int and value >= 0


@pytest.mark.parametrize("value", [-1, True, 1.5, "1", None])
def test_only_non_negative_integers_are_written(value):
    with pytest.raises(ValueError):
        scaled_to_decimal(value, UNIT_SCALE)


@pytest.mark.parametrize("text", ["2026-3-2", "2026-03-02T00:00", "20260302", "2026-02-29", None])
def test_dates_are_exactly_yyyy_mm_dd(text):
    with pytest.raises(ValueError):
        parse_date(text)
