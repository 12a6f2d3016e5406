"""A local market data service speaking GET /v1/quotes (apps/invest/providers/market_data.py),
served by pytest-httpserver under "/market" by default:

    GET /v1/quotes?date=YYYY-MM-DD  (Authorization: Bearer <key>)
        200 {"date": "YYYY-MM-DD", "quotes": [{"instrument": str, "price": decimal}]}
        400 problem (no or bad date), 401 problem (wrong key)

A day without quotes answers an empty list. A test drives it:

    fake.set_quotes(day, {"CI0000000001": "10523.1200", "SNTS": "17500"})
    fake.outage("500" | "timeout" | "")
    fake.answer_next(200, {"date": "2026-03-02", "quotes": "nope"})   # one canned answer
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date

import pytest
from werkzeug.wrappers import Request, Response

from apps.invest.providers.market_data import HttpMarketData

from .fake_partner import DATE, FakeServer, json_response, problem

MARKET_KEY = "mk_test_invest_market"


class FakeMarket(FakeServer):
    def __init__(self, *, api_key: str = MARKET_KEY):
        super().__init__(api_key=api_key)
        self.quotes: dict[date, dict[str, str]] = {}

    def set_quotes(self, on: date, prices: Mapping[str, str]) -> None:
        """The quotes of `on`: instrument -> price (decimal string, served as given)."""
        self.quotes[on] = dict(prices)

    def route(self, request: Request, path: str) -> Response:
        if path.rstrip("/") != "/v1/quotes":
            return problem(404, "Not Found", f"no route {path}")
        if request.method != "GET":
            return problem(405, "Method Not Allowed")
        text = request.args.get("date", "")
        try:
            on = date.fromisoformat(text) if DATE.fullmatch(text) else None
        except ValueError:
            on = None
        if on is None:
            return problem(400, "Bad Request", "date=YYYY-MM-DD is required")
        prices = self.quotes.get(on, {})
        return json_response(
            {
                "date": on.isoformat(),
                "quotes": [{"instrument": code, "price": price} for code, price in prices.items()],
            }
        )


@contextmanager
def serve_market(httpserver, *, prefix: str = "/market", **kwargs) -> Iterator[FakeMarket]:
    """A FakeMarket installed on `httpserver` (pytest-httpserver), released at the end."""
    fake = FakeMarket(**kwargs)
    fake.install(httpserver, prefix)
    try:
        yield fake
    finally:
        fake.release()


def http_market_data(fake: FakeMarket, *, timeout: float = 2.0) -> HttpMarketData:
    return HttpMarketData(fake.base_url, fake.api_key, timeout=timeout)


@pytest.fixture
def fake_market(httpserver) -> Iterator[FakeMarket]:
    with serve_market(httpserver) as fake:
        yield fake
