"""A local investment partner speaking the Partner API (apps/invest/providers/http_partner.py),
served by pytest-httpserver under a path prefix ("/partner" by default).

    POST /v1/orders                       201 order | 409 known key | 401 | 400/422 problem
    GET  /v1/orders/{client_order_id}     200 order | 404
    POST /v1/orders/{client_order_id}/cancel   200 order | 404 | 409 too late
    GET  /v1/positions?date=YYYY-MM-DD    200 {"as_of", "positions"}

It checks what a real partner would: the bearer key, Idempotency-Key == client_order_id,
the body's fields and number formats (a bad request gets a 422 problem naming the field).
Orders live in memory; `orders[id]` is the wire JSON served as is, so a test may corrupt it.

A test drives it:

    fake.execute(id, quantity="12.3456", price="10523.1200", fees=250, settle_days=3)
    fake.execute(id, quantity="1", price="10000", partial=True)   # partially_executed
    fake.reject(id, "compte titres non ouvert")
    fake.outage("500" | "timeout" | "lost_answer" | "")      # "" ends it (and releases)
    fake.answer_next(422, {"detail": "solde insuffisant"})    # one canned answer
    fake.set_positions(day, [("ACC-1", "CI0000000001", "12.3456")])
    cb = fake.callback(id)   # cb.body, cb.headers: signed, ready to POST to our endpoint

"timeout" hangs every request before it is processed; "lost_answer" processes it (the order
exists) and then hangs the answer. Both wait on a threading.Event, released by
`outage("")`, `release()` or the fixture's teardown, so no test sleeps longer than its
client's timeout.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from werkzeug.wrappers import Request, Response

from apps.invest.providers import signing
from apps.invest.providers.http_partner import HttpPartner

API_KEY = "pk_test_invest_partner"
CALLBACK_SECRET = "whsec_test_invest_partner"
HANG_LIMIT_SECONDS = 10.0  # a hung request gives up by itself after this (a safety net)
ORDER_FIELDS = (
    "client_order_id",
    "account",
    "instrument",
    "side",
    "amount",
    "quantity",
    "limit_price",
    "nav_date",
)
SIDES = {"subscribe": 1, "buy": 1, "redeem": -1, "sell": -1}
DECIMAL = re.compile(r"[0-9]+(\.[0-9]{1,4})?")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str  # without the prefix
    query: dict
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass(frozen=True)
class Callback:
    body: bytes
    headers: dict[str, str]


def problem(status: int, title: str, detail: str = "") -> Response:
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    return Response(json.dumps(body), status=status, content_type="application/problem+json")


def json_response(body, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


class FakeServer:
    """What both fakes share: the key check, outages, canned answers and the request log."""

    def __init__(self, *, api_key: str):
        self.api_key = api_key
        self.prefix = ""
        self.base_url = ""
        self.requests: list[Recorded] = []
        self.mode = ""
        self._canned: deque[Response] = deque()
        self._released = threading.Event()
        self._released.set()
        self.lock = threading.RLock()

    def install(self, httpserver, prefix: str) -> None:
        self.prefix = prefix.rstrip("/")
        self.base_url = httpserver.url_for(self.prefix)
        pattern = re.compile("^" + re.escape(self.prefix) + "/.*$")
        httpserver.expect_request(pattern).respond_with_handler(self.handle)

    def outage(self, mode: str) -> None:
        """Start or end an outage. Modes: "500" (every request answers 500), "timeout"
        (every request hangs unanswered), "lost_answer" (requests are processed, then their
        answer hangs), "" (normal again; hung requests are released)."""
        if mode not in ("", "500", "timeout", "lost_answer"):
            raise ValueError(mode)
        self.mode = mode
        if mode in ("timeout", "lost_answer"):
            self._released.clear()
        else:
            self._released.set()

    def release(self) -> None:
        """Let hung requests finish (their client gave up long ago)."""
        self._released.set()

    def answer_next(
        self, status: int, body=None, *, raw: bytes | str | None = None, content_type: str = ""
    ) -> None:
        """Answer the next request with this, whatever it asks (after outages, before the key
        check). `body` is sent as JSON; `raw` as is."""
        if raw is None:
            content = json.dumps(body)
            content_type = content_type or (
                "application/problem+json" if status >= 400 else "application/json"
            )
        else:
            content = raw
        self._canned.append(Response(content, status=status, content_type=content_type or "text/plain"))

    def calls(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def handle(self, request: Request) -> Response:
        path = request.path[len(self.prefix) :]
        with self.lock:
            self.requests.append(
                Recorded(request.method, path, dict(request.args), dict(request.headers), request.get_data())
            )
        if self.mode == "timeout":
            self._released.wait(HANG_LIMIT_SECONDS)
            return problem(504, "Gateway Timeout")
        if self.mode == "500":
            return Response("<html>Internal Server Error</html>", status=500, content_type="text/html")
        if self._canned:
            return self._canned.popleft()
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return problem(401, "Unauthorized", "invalid API key")
        with self.lock:
            response = self.route(request, path)
        if self.mode == "lost_answer":
            self._released.wait(HANG_LIMIT_SECONDS)
        return response

    def route(self, request: Request, path: str) -> Response:
        raise NotImplementedError


def _check_order(body) -> str:
    """What is wrong with a POST /v1/orders body ("" when nothing)."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    if sorted(body) != sorted(ORDER_FIELDS):
        return f"fields must be exactly {', '.join(ORDER_FIELDS)}"
    for name in ("client_order_id", "account", "instrument"):
        if not isinstance(body[name], str) or not body[name]:
            return f"{name}: a non-empty string is required"
    if body["side"] not in SIDES:
        return f"side: unknown {body['side']!r}"
    amount = body["amount"]
    if amount is not None and (type(amount) is not int or amount <= 0):
        return "amount: a positive integer of XOF or null"
    for name in ("quantity", "limit_price"):
        value = body[name]
        if value is not None and (not isinstance(value, str) or not DECIMAL.fullmatch(value)):
            return f"{name}: a decimal string with at most 4 decimals or null"
    if body["nav_date"] is not None and (
        not isinstance(body["nav_date"], str) or not DATE.fullmatch(body["nav_date"])
    ):
        return "nav_date: YYYY-MM-DD or null"
    if amount is None and body["quantity"] is None:
        return "amount or quantity is required"
    return ""


def _business_days_after(day: date, n: int) -> date:
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


class FakePartner(FakeServer):
    def __init__(self, *, api_key: str = API_KEY, callback_secret: str = CALLBACK_SECRET):
        super().__init__(api_key=api_key)
        self.callback_secret = callback_secret
        self.orders: dict[str, dict] = {}  # client_order_id -> the order state served (wire JSON)
        self.received: dict[str, dict] = {}  # client_order_id -> the body first submitted
        self.position_files: dict[date, list[dict]] = {}
        self._refs = itertools.count(1)
        self._executions = itertools.count(1)

    # --- what a test decides ---

    def execute(
        self,
        client_order_id: str,
        *,
        quantity: str,
        price: str,
        amount: int | None = None,
        fees: int = 0,
        executed_at: datetime | None = None,
        settle_on: date | None = None,
        settle_days: int = 0,
        partial: bool = False,
        execution_id: str | None = None,
    ) -> dict:
        """A fill: `amount` defaults to quantity x price rounded down, `settle_on` to
        `settle_days` business days after the execution. The order becomes "executed", or
        "partially_executed" with partial=True. Returns the execution (wire JSON)."""
        with self.lock:
            order = self.orders[client_order_id]
            assert order["status"] in ("received", "partially_executed"), order["status"]
            executed_at = executed_at or datetime.now(UTC).replace(microsecond=0)
            execution = {
                "execution_id": execution_id or f"EX-{next(self._executions):06d}",
                "quantity": quantity,
                "price": price,
                "amount": int(Decimal(quantity) * Decimal(price)) if amount is None else amount,
                "fees": fees,
                "executed_at": executed_at.isoformat(),
                "settle_on": (settle_on or _business_days_after(executed_at.date(), settle_days)).isoformat(),
            }
            order["executions"].append(execution)
            order["status"] = "partially_executed" if partial else "executed"
            return execution

    def reject(self, client_order_id: str, reason: str) -> None:
        with self.lock:
            order = self.orders[client_order_id]
            assert order["status"] == "received", order["status"]
            order.update(status="rejected", reason=reason)

    def set_positions(self, on: date, lines: Iterable[tuple[str, str, str]]) -> None:
        """The positions file of `on`: (account, instrument, quantity) lines. Without one, the
        file is computed from the executions settled on or before that day."""
        self.position_files[on] = [{"account": a, "instrument": i, "quantity": q} for a, i, q in lines]

    def callback(
        self,
        client_order_id: str,
        event: str | None = None,
        *,
        t: int | None = None,
        secret: str | None = None,
    ) -> Callback:
        """A signed callback (event "order.<status>" by default), for the test to POST."""
        order = self.orders.get(client_order_id, {"status": "received"})
        body = json.dumps(
            {"client_order_id": client_order_id, "event": event or f"order.{order['status']}"}
        ).encode()
        header = signing.sign(self.callback_secret if secret is None else secret, body, t)
        return Callback(
            body=body, headers={"Content-Type": "application/json", signing.SIGNATURE_HEADER: header}
        )

    @property
    def submissions(self) -> list[Recorded]:
        return self.calls("POST", "/v1/orders")

    # --- the API ---

    def route(self, request: Request, path: str) -> Response:
        parts = path.strip("/").split("/")
        if parts == ["v1", "orders"]:
            return self._submit(request) if request.method == "POST" else problem(405, "Method Not Allowed")
        if len(parts) == 3 and parts[:2] == ["v1", "orders"]:
            return self._status(parts[2]) if request.method == "GET" else problem(405, "Method Not Allowed")
        if len(parts) == 4 and parts[:2] == ["v1", "orders"] and parts[3] == "cancel":
            return self._cancel(parts[2]) if request.method == "POST" else problem(405, "Method Not Allowed")
        if parts == ["v1", "positions"]:
            return self._positions(request) if request.method == "GET" else problem(405, "Method Not Allowed")
        return problem(404, "Not Found", f"no route {path}")

    def _submit(self, request: Request) -> Response:
        key = request.headers.get("Idempotency-Key", "")
        try:
            body = json.loads(request.get_data())
        except ValueError:
            return problem(400, "Bad Request", "the body is not JSON")
        wrong = _check_order(body)
        if wrong:
            return problem(422, "Unprocessable Content", wrong)
        if key != body["client_order_id"]:
            return problem(400, "Bad Request", "Idempotency-Key must equal client_order_id")
        if key in self.received:
            if self.received[key] != body:
                return problem(422, "Unprocessable Content", "Idempotency-Key reused with a different order")
            return problem(409, "Conflict", f"order {key} already received")
        self.received[key] = body
        self.orders[key] = {
            "client_order_id": key,
            "partner_ref": f"PRT-{next(self._refs):06d}",
            "status": "received",
            "reason": None,
            "executions": [],
        }
        return json_response(self.orders[key], 201)

    def _status(self, client_order_id: str) -> Response:
        order = self.orders.get(client_order_id)
        if order is None:
            return problem(404, "Not Found", f"no order {client_order_id}")
        return json_response(order)

    def _cancel(self, client_order_id: str) -> Response:
        order = self.orders.get(client_order_id)
        if order is None:
            return problem(404, "Not Found", f"no order {client_order_id}")
        if order["status"] == "cancelled":
            return json_response(order)
        if order["status"] not in ("received", "partially_executed"):
            return problem(409, "Conflict", f"the order is {order['status']}")
        order.update(status="cancelled", reason="cancelled at the client's request")
        return json_response(order)

    def _positions(self, request: Request) -> Response:
        text = request.args.get("date", "")
        try:
            on = date.fromisoformat(text) if DATE.fullmatch(text) else None
        except ValueError:
            on = None
        if on is None:
            return problem(400, "Bad Request", "date=YYYY-MM-DD is required")
        lines = self.position_files.get(on)
        if lines is None:
            lines = self._settled_positions(on)
        return json_response({"as_of": on.isoformat(), "positions": copy.deepcopy(lines)})

    def _settled_positions(self, on: date) -> list[dict]:
        totals: dict[tuple[str, str], Decimal] = {}
        for client_order_id, order in self.orders.items():
            sent = self.received[client_order_id]
            for execution in order["executions"]:
                if date.fromisoformat(execution["settle_on"]) <= on:
                    key = (sent["account"], sent["instrument"])
                    totals[key] = totals.get(key, Decimal(0)) + SIDES[sent["side"]] * Decimal(
                        execution["quantity"]
                    )
        return [
            {"account": account, "instrument": instrument, "quantity": f"{quantity:.4f}"}
            for (account, instrument), quantity in sorted(totals.items())
            if quantity
        ]


# --- factories and the fixture ---


@contextmanager
def serve_partner(httpserver, *, prefix: str = "/partner", **kwargs) -> Iterator[FakePartner]:
    """A FakePartner installed on `httpserver` (pytest-httpserver), released at the end."""
    fake = FakePartner(**kwargs)
    fake.install(httpserver, prefix)
    try:
        yield fake
    finally:
        fake.release()


def partner_row(fake: FakePartner, **overrides) -> SimpleNamespace:
    """What partner_client() reads from a Partner row, pointing at `fake`."""
    values = {
        "provider": "http",
        "base_url": fake.base_url,
        "api_key": fake.api_key,
        "callback_secret": fake.callback_secret,
    }
    return SimpleNamespace(**{**values, **overrides})


def http_partner(fake: FakePartner, *, timeout: float = 2.0) -> HttpPartner:
    return HttpPartner(fake.base_url, fake.api_key, fake.callback_secret, timeout=timeout)


@pytest.fixture
def fake_partner(httpserver) -> Iterator[FakePartner]:
    with serve_partner(httpserver) as fake:
        yield fake
