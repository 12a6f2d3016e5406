"""What invest needs from the outside: a partner (SGI / SGO) that takes orders, and a source of
NAVs and closing prices. Plain Python (no Django): the protocols, their errors and the wire
format of numbers shared by every provider.

Errors and what the caller does with them:
- PartnerUnavailable: timeout, connection error, 5xx, an answer we cannot read. The order
  stays "sent" and is asked again later (submit is idempotent on client_order_id).
- PartnerRefused(reason): the partner refused the submission (4xx). The order is rejected.
- BadCallback: a callback whose signature is missing, wrong, too old or in the future.
- MarketDataUnavailable: the quotes could not be read (the run is retried; nothing is half
  written).

Numbers on the wire are decimal strings ("12.3456"); in invest they are integers scaled by
contracts.UNIT_SCALE / PRICE_SCALE (10,000). `decimal_to_scaled` and `scaled_to_decimal`
convert exactly, never through a float.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Protocol, runtime_checkable

from ..contracts import PartnerOrderRequest, PartnerOrderState, PositionLine, Quote


class PartnerError(Exception):
    """The base of the partner client's errors."""


class PartnerUnavailable(PartnerError):
    """The partner could not be asked or its answer could not be read: try again later."""


class PartnerRefused(PartnerError):
    """The partner refused the order; `reason` is its explanation, as it gave it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class BadCallback(PartnerError):
    """A callback that is not signed by the partner, or signed too long ago."""


class MarketDataUnavailable(Exception):
    """The quotes could not be read (file missing or malformed, service down, bad answer)."""


@runtime_checkable
class PartnerClient(Protocol):
    def submit(self, order: PartnerOrderRequest) -> PartnerOrderState:
        """Send an order. Idempotent at the partner on `order.client_order_id`: sending it
        again returns the state of the order already received."""
        ...

    def status(self, client_order_id: str) -> PartnerOrderState:
        """The order's state with all its executions; PartnerStatus.UNKNOWN when the partner
        does not know it."""
        ...

    def cancel(self, client_order_id: str) -> PartnerOrderState:
        """Ask to cancel; returns the state after the request (an executed order stays
        executed)."""
        ...

    def positions(self, on: date) -> list[PositionLine]:
        """The partner's positions file of `on` (reconciliation)."""
        ...

    def verify_callback(self, body: bytes, headers: Mapping[str, str]) -> str:
        """Check a callback's signature and return the client_order_id it is about. The body
        is never trusted beyond that: the caller asks `status`."""
        ...


@runtime_checkable
class MarketDataSource(Protocol):
    def quotes(self, on: date) -> list[Quote]:
        """The NAVs and closing prices of exactly `on` (none on a day without quotes)."""
        ...


# --- the wire format of numbers and dates ---

_DECIMAL = re.compile(r"[0-9]{1,30}(?:\.[0-9]{1,30})?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _places(scale: int) -> int:
    places = len(str(scale)) - 1
    if scale <= 0 or 10**places != scale:
        raise ValueError(f"the scale must be a power of ten, not {scale!r}")
    return places


def decimal_to_scaled(text: object, scale: int) -> int:
    """A decimal string as an integer: "12.3456" -> 123456 for scale 10,000.

    Refuses (ValueError) anything but a plain non-negative decimal string (no sign, exponent,
    spaces or non-ASCII digits) and a value with more decimals than the scale holds
    ("1.23450" is fine: it is exactly 1.2345)."""
    places = _places(scale)
    if not isinstance(text, str):
        raise ValueError(f"not a decimal string: {text!r}")
    if not _DECIMAL.fullmatch(text):
        raise ValueError(f"not a plain decimal: {text!r}")
    _sign, digits, exponent = Decimal(text).as_tuple()
    if not isinstance(exponent, int):  # NaN, Infinity: the pattern already refuses them
        raise ValueError(f"not a finite decimal: {text!r}")
    coefficient = int("".join(map(str, digits)))
    shift = exponent + places
    if shift >= 0:
        return coefficient * 10**shift
    divisor = 10**-shift
    if coefficient % divisor:
        raise ValueError(f"more than {places} decimals: {text!r}")
    return coefficient // divisor


def scaled_to_decimal(value: int, scale: int) -> str:
    """A scaled integer as a decimal string: 123456 -> "12.3456" for scale 10,000, always
    with all the decimals (50000 -> "5.0000")."""
    places = _places(scale)
    if type(value) is not int or value < 0:
        raise ValueError(f"not a non-negative integer: {value!r}")
    whole, fraction = divmod(value, scale)
    return f"{whole}.{fraction:0{places}d}" if places else str(whole)


def parse_date(text: object) -> date:
    """A date written exactly YYYY-MM-DD (ValueError otherwise)."""
    if not isinstance(text, str) or not _DATE.fullmatch(text):
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a date: {text!r}")
