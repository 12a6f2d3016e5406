"""HttpPartner: a licensed partner (SGI for BRVM shares, SGO for funds) reached over the
Partner API below. One client per Partner row (`base_url`, `api_key`, `callback_secret`).

Partner API, version 1
======================

Every request carries `Authorization: Bearer <api key>` and `Accept: application/json`;
bodies are JSON (UTF-8). Paths are relative to the partner's base URL.

Numbers: cash is an integer of XOF (JSON number, no fraction). Quantities (fund units,
shares) and prices (NAVs, prices per unit, XOF) are decimal strings: ASCII digits, optionally
a point and decimals, at most 4 significant decimals, no sign or exponent ("12.3456",
"10523.1200", "5"). Dates are "YYYY-MM-DD"; times are ISO 8601 with an offset
("2026-03-02T10:15:00+00:00").

Errors are RFC 9457 problem details ({"type", "title", "status", "detail"}); `detail` is the
reason shown to operators.

POST /v1/orders - place an order
    Header `Idempotency-Key: <client_order_id>` (the same value as in the body).
    Body: {"client_order_id": str, "account": str (the investor's account at the partner),
           "instrument": str (ISIN, or the BRVM ticker), "side": "subscribe"|"redeem"|"buy"|"sell",
           "amount": int XOF | null, "quantity": decimal | null, "limit_price": decimal | null,
           "nav_date": "YYYY-MM-DD" | null}
    200 or 201: the order state (below), usually "received".
    409: an order with this client_order_id was already received; the client reads its
         state with GET /v1/orders/{client_order_id}. (Sending again is always safe.)
    400, 422 and any other 4xx but those below: the order is refused; `detail` says why.
    401, 403 (our key), 404 (wrong base URL), 408, 425, 429 and 5xx: not a refusal, the
         client tries again later with the same client_order_id.

GET /v1/orders/{client_order_id} - an order's state
    200: {"client_order_id": str, "partner_ref": str, "status": "received" |
          "partially_executed" | "executed" | "rejected" | "cancelled",
          "reason": str | null (why rejected or cancelled),
          "executions": [{"execution_id": str (unique at the partner), "quantity": decimal,
                          "price": decimal (XOF per unit), "amount": int XOF (gross),
                          "fees": int XOF, "executed_at": time with offset,
                          "settle_on": "YYYY-MM-DD"}]}
         Every execution so far, always all of them (the client recognises those it already
         has by execution_id).
    404: the partner does not know this client_order_id.

POST /v1/orders/{client_order_id}/cancel - ask to cancel (empty body)
    200: the order state after the request ("cancelled", or its state when too late).
    404: unknown order. 409: too late to cancel (the client reads the state). Other 4xx:
    the cancellation is refused (`detail`).

GET /v1/positions?date=YYYY-MM-DD - the positions file of that day (after settlement)
    200: {"as_of": "YYYY-MM-DD" (the date asked),
          "positions": [{"account": str, "instrument": str, "quantity": decimal}]}

Callbacks: the partner POSTs to our callback URL when an order changes:
    Header `X-Partner-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"
    keyed with the callback secret>`; body {"client_order_id": str, "event": str}.
    A callback signed more than INVEST_CALLBACK_TOLERANCE_SECONDS ago (or ahead) is refused.
    Any 2xx acknowledges it. The body is only a hint: we then GET the order's state.

The client: a 5xx, a timeout, a connection error, a redirect or an answer that is not the
documented JSON (a missing field, a quantity with 5 decimals, a float where an integer is
due...) raises PartnerUnavailable; a refusal raises PartnerRefused(detail).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from datetime import date, datetime
from urllib.parse import quote

import httpx
from django.conf import settings

from apps.core.http import http_client

from ..contracts import (
    PRICE_SCALE,
    UNIT_SCALE,
    PartnerExecution,
    PartnerOrderRequest,
    PartnerOrderState,
    PartnerStatus,
    PositionLine,
)
from . import signing
from .base import (
    BadCallback,
    PartnerRefused,
    PartnerUnavailable,
    decimal_to_scaled,
    parse_date,
    scaled_to_decimal,
)

SERVICE = "invest-partner"
# 4xx answers to a submission that are not the partner refusing the order (our credentials,
# our URL, rate limits): the order stays "sent" and is tried again.
NOT_A_REFUSAL = frozenset({401, 403, 404, 407, 408, 421, 425, 429})
REASON_MAX = 300  # Order.reason
REFERENCE_MAX = 64  # Order.partner_ref, Execution.execution_id
WIRE_STATUSES = frozenset(PartnerStatus) - {PartnerStatus.UNKNOWN}


def call(
    *,
    service: str,
    base_url: str,
    api_key: str,
    timeout: float,
    method: str,
    path: str,
    unavailable: type[Exception],
    **kwargs,
) -> httpx.Response:
    """One request through apps.core.http; transport failures, 5xx and redirects raise
    `unavailable`. Other answers are returned for the caller to read."""
    if not base_url:
        raise unavailable(f"{service}: no base URL configured")
    headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
    try:
        with http_client(service=service, base_url=base_url, timeout=timeout, headers=headers) as http:
            response = http.request(method, path, **kwargs)
    except httpx.TimeoutException as exc:
        raise unavailable(f"{service}: timeout on {method} {path}") from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise unavailable(f"{service}: {type(exc).__name__} on {method} {path}: {exc}") from exc
    if response.status_code >= 500 or 300 <= response.status_code < 400:
        raise unavailable(f"{service}: HTTP {response.status_code} on {method} {path}")
    return response


def read_json(response: httpx.Response):
    """The answer's JSON; ValueError when it is not JSON."""
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        raise ValueError("not JSON")


def problem_detail(response: httpx.Response) -> str:
    """The `detail` (or `title`) of a problem-details answer, else "HTTP <status>"."""
    try:
        data = read_json(response)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("detail", "title"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()[:REASON_MAX]
    return f"HTTP {response.status_code}"


# --- reading answers: each helper raises ValueError("<where>: <what>") ---


def field(data: object, key: str, where: str):
    if not isinstance(data, dict):
        raise ValueError(f"{where}: not an object")
    if key not in data:
        raise ValueError(f"{where}.{key}: missing")
    return data[key]


def text_field(data: object, key: str, where: str, *, optional: bool = False, max_length: int = 0) -> str:
    value = field(data, key, where)
    if value is None and optional:
        return ""
    if not isinstance(value, str) or (not optional and not value.strip()):
        raise ValueError(f"{where}.{key}: not a non-empty string: {value!r}")
    if max_length and len(value) > max_length:
        raise ValueError(f"{where}.{key}: longer than {max_length} characters")
    return value


def int_field(data: object, key: str, where: str) -> int:
    value = field(data, key, where)
    if type(value) is not int or value < 0:
        raise ValueError(f"{where}.{key}: not a non-negative integer: {value!r}")
    return value


def scaled_field(data: object, key: str, where: str, scale: int, *, positive: bool = False) -> int:
    raw = field(data, key, where)
    try:
        value = decimal_to_scaled(raw, scale)
    except ValueError as exc:
        raise ValueError(f"{where}.{key}: {exc}")
    if positive and value <= 0:
        raise ValueError(f"{where}.{key}: not positive")
    return value


def date_field(data: object, key: str, where: str) -> date:
    raw = field(data, key, where)
    try:
        return parse_date(raw)
    except ValueError as exc:
        raise ValueError(f"{where}.{key}: {exc}")


def datetime_field(data: object, key: str, where: str) -> datetime:
    value = field(data, key, where)
    try:
        if not isinstance(value, str) or "T" not in value:
            raise ValueError
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{where}.{key}: not an ISO 8601 time: {value!r}")
    if parsed.utcoffset() is None:
        raise ValueError(f"{where}.{key}: no UTC offset: {value!r}")
    return parsed


def parse_order_state(data: object, client_order_id: str) -> PartnerOrderState:
    """The documented order state; ValueError when it is not exactly that."""
    answered = text_field(data, "client_order_id", "order")
    if answered != client_order_id:
        raise ValueError(f"order.client_order_id: {answered!r}, asked {client_order_id!r}")
    status = field(data, "status", "order")
    if status not in WIRE_STATUSES:
        raise ValueError(f"order.status: unknown {status!r}")
    executions = field(data, "executions", "order")
    if not isinstance(executions, list):
        raise ValueError("order.executions: not a list")
    parsed, seen = [], set()
    for index, item in enumerate(executions):
        where = f"order.executions[{index}]"
        execution = PartnerExecution(
            execution_id=text_field(item, "execution_id", where, max_length=REFERENCE_MAX),
            quantity=scaled_field(item, "quantity", where, UNIT_SCALE, positive=True),
            price=scaled_field(item, "price", where, PRICE_SCALE, positive=True),
            amount=int_field(item, "amount", where),
            fees=int_field(item, "fees", where),
            executed_at=datetime_field(item, "executed_at", where),
            settle_on=date_field(item, "settle_on", where),
        )
        if execution.execution_id in seen:
            raise ValueError(f"{where}.execution_id: {execution.execution_id!r} twice")
        seen.add(execution.execution_id)
        parsed.append(execution)
    return PartnerOrderState(
        client_order_id=client_order_id,
        status=PartnerStatus(status),
        partner_ref=text_field(data, "partner_ref", "order", optional=True, max_length=REFERENCE_MAX),
        executions=tuple(parsed),
        reason=text_field(data, "reason", "order", optional=True)[:REASON_MAX],
    )


def order_body(order: PartnerOrderRequest) -> dict:
    """The documented JSON body of POST /v1/orders."""
    return {
        "client_order_id": order.client_order_id,
        "account": order.account,
        "instrument": order.product_code,
        "side": str(order.side),
        "amount": order.amount,
        "quantity": None if order.quantity is None else scaled_to_decimal(order.quantity, UNIT_SCALE),
        "limit_price": None
        if order.limit_price is None
        else scaled_to_decimal(order.limit_price, PRICE_SCALE),
        "nav_date": None if order.nav_date is None else order.nav_date.isoformat(),
    }


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    """`name` from request headers, whatever their case (also a WSGI environ's HTTP_ key)."""
    value = headers.get(name)
    if value is not None:
        return value
    wanted = {name.lower(), "http_" + name.lower().replace("-", "_")}
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() in wanted:
            return value
    return None


class HttpPartner:
    """The Partner API client (module docstring). Calls happen outside database transactions."""

    def __init__(self, base_url: str, api_key: str, callback_secret: str, timeout: float | None = None):
        self.base_url = (base_url or "").rstrip("/")
        self.api_key = api_key
        self.callback_secret = callback_secret
        self.timeout = settings.INVEST_PARTNER_TIMEOUT_SECONDS if timeout is None else timeout

    def __repr__(self) -> str:  # never the key or the secret
        return f"HttpPartner({self.base_url!r})"

    def _call(self, method: str, path: str, **kwargs) -> httpx.Response:
        return call(
            service=SERVICE,
            base_url=self.base_url,
            api_key=self.api_key,
            timeout=self.timeout,
            method=method,
            path=path,
            unavailable=PartnerUnavailable,
            **kwargs,
        )

    @staticmethod
    def _order_path(client_order_id: str) -> str:
        if not client_order_id:
            raise ValueError("an empty client_order_id")
        return f"/v1/orders/{quote(client_order_id, safe='')}"

    @staticmethod
    def _state(response: httpx.Response, client_order_id: str) -> PartnerOrderState:
        try:
            return parse_order_state(read_json(response), client_order_id)
        except ValueError as exc:
            raise PartnerUnavailable(f"malformed answer: {exc}")

    # --- PartnerClient ---

    def submit(self, order: PartnerOrderRequest) -> PartnerOrderState:
        response = self._call(
            "POST",
            "/v1/orders",
            json=order_body(order),
            headers={"Idempotency-Key": order.client_order_id},
        )
        code = response.status_code
        if code in (200, 201):
            return self._state(response, order.client_order_id)
        if code == 409:  # already received: its state is the answer
            state = self.status(order.client_order_id)
            if state.status == PartnerStatus.UNKNOWN:
                raise PartnerUnavailable("409 on submit, yet the partner does not know the order")
            return state
        if 400 <= code < 500 and code not in NOT_A_REFUSAL:
            raise PartnerRefused(problem_detail(response))
        raise PartnerUnavailable(f"HTTP {code} on submit: {problem_detail(response)}")

    def status(self, client_order_id: str) -> PartnerOrderState:
        response = self._call("GET", self._order_path(client_order_id))
        if response.status_code == 200:
            return self._state(response, client_order_id)
        if response.status_code == 404:
            return PartnerOrderState(client_order_id=client_order_id, status=PartnerStatus.UNKNOWN)
        raise PartnerUnavailable(f"HTTP {response.status_code} on status: {problem_detail(response)}")

    def cancel(self, client_order_id: str) -> PartnerOrderState:
        response = self._call("POST", self._order_path(client_order_id) + "/cancel")
        code = response.status_code
        if code == 200:
            return self._state(response, client_order_id)
        if code == 404:
            return PartnerOrderState(client_order_id=client_order_id, status=PartnerStatus.UNKNOWN)
        if code == 409:  # too late: the state says what happened
            return self.status(client_order_id)
        if 400 <= code < 500 and code not in NOT_A_REFUSAL:
            raise PartnerRefused(problem_detail(response))
        raise PartnerUnavailable(f"HTTP {code} on cancel: {problem_detail(response)}")

    def positions(self, on: date) -> list[PositionLine]:
        response = self._call("GET", "/v1/positions", params={"date": on.isoformat()})
        if response.status_code != 200:
            raise PartnerUnavailable(f"HTTP {response.status_code} on positions: {problem_detail(response)}")
        try:
            data = read_json(response)
            as_of = date_field(data, "as_of", "positions")
            if as_of != on:
                raise ValueError(f"positions.as_of: {as_of}, asked {on}")
            items = field(data, "positions", "positions")
            if not isinstance(items, list):
                raise ValueError("positions.positions: not a list")
            return [
                PositionLine(
                    account=text_field(item, "account", f"positions[{i}]"),
                    product_code=text_field(item, "instrument", f"positions[{i}]"),
                    quantity=scaled_field(item, "quantity", f"positions[{i}]", UNIT_SCALE),
                    as_of=as_of,
                )
                for i, item in enumerate(items)
            ]
        except ValueError as exc:
            raise PartnerUnavailable(f"malformed answer: {exc}")

    def verify_callback(self, body: bytes, headers: Mapping[str, str]) -> str:
        signing.verify(
            self.callback_secret,
            body,
            header_value(headers, signing.SIGNATURE_HEADER),
            tolerance=settings.INVEST_CALLBACK_TOLERANCE_SECONDS,
            now=time.time(),
        )
        try:
            return text_field(json.loads(body), "client_order_id", "callback", max_length=REFERENCE_MAX)
        except (ValueError, RecursionError) as exc:
            raise BadCallback(f"malformed callback body: {exc}")
