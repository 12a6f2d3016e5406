"""Market data: the NAVs (valeurs liquidatives) and BRVM closing prices of a day.

- FileMarketData(path): a UTF-8 CSV dropped by operations (INVEST_MARKET_DATA_PATH):

      code,date,price
      CI0000000001,2026-03-02,10523.12
      SNTS,2026-03-02,17500

  `code` is the product code (ISIN or ticker), `date` YYYY-MM-DD, `price` a decimal string
  (XOF per unit, at most 4 decimals, positive). Blank lines are skipped; the file may hold
  other days (ignored). Any bad line makes the whole read fail, naming the line.
- HttpMarketData(base_url, key): GET <base_url>/v1/quotes?date=YYYY-MM-DD with
  `Authorization: Bearer <key>` -> 200 {"date": "YYYY-MM-DD",
  "quotes": [{"instrument": str, "price": decimal}]}.

Both return the quotes of exactly the date asked, never an earlier one; every failure raises
MarketDataUnavailable (nothing is half read).
"""

from __future__ import annotations

import csv
import io
import os
from datetime import date
from pathlib import Path

from django.conf import settings

from ..contracts import PRICE_SCALE, Quote
from .base import MarketDataSource, MarketDataUnavailable, decimal_to_scaled, parse_date
from .http_partner import call, date_field, field, problem_detail, read_json, scaled_field, text_field

HEADER = ["code", "date", "price"]
SERVICE = "invest-market-data"


class FileMarketData:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"FileMarketData({str(self.path)!r})"

    def _bad(self, line: int, what: str) -> MarketDataUnavailable:
        return MarketDataUnavailable(f"{self.path.name} line {line}: {what}")

    def quotes(self, on: date) -> list[Quote]:
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise MarketDataUnavailable(f"{self.path}: cannot be read ({exc.strerror or exc})")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise self._bad(raw[: exc.start].count(b"\n") + 1, "not UTF-8")
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            return self._read(reader, on)
        except csv.Error as exc:
            raise self._bad(reader.line_num, f"not CSV ({exc})")

    def _read(self, reader, on: date) -> list[Quote]:
        header_seen = False
        found: dict[str, Quote] = {}
        for row in reader:
            line = reader.line_num
            cells = [cell.strip() for cell in row]
            if not any(cells):
                continue
            if not header_seen:
                if [cell.lower() for cell in cells] != HEADER:
                    raise self._bad(line, f"the header must be {','.join(HEADER)}")
                header_seen = True
                continue
            if len(cells) != len(HEADER):
                raise self._bad(line, f"{len(HEADER)} fields expected, {len(cells)} found")
            code, day, price = cells
            if not code:
                raise self._bad(line, "no code")
            try:
                quoted_on = parse_date(day)
                scaled = decimal_to_scaled(price, PRICE_SCALE)
            except ValueError as exc:
                raise self._bad(line, str(exc))
            if scaled <= 0:
                raise self._bad(line, f"the price must be positive: {price!r}")
            if quoted_on != on:
                continue
            previous = found.get(code)
            if previous is not None and previous.price != scaled:
                raise self._bad(line, f"a second, different price for {code} on {on}")
            found[code] = Quote(product_code=code, on=on, price=scaled)
        if not header_seen:
            raise MarketDataUnavailable(f"{self.path.name}: empty, no header")
        return list(found.values())


class HttpMarketData:
    def __init__(self, base_url: str, key: str, timeout: float | None = None):
        self.base_url = (base_url or "").rstrip("/")
        self.key = key
        self.timeout = settings.INVEST_MARKET_DATA_TIMEOUT_SECONDS if timeout is None else timeout

    def __repr__(self) -> str:  # never the key
        return f"HttpMarketData({self.base_url!r})"

    def quotes(self, on: date) -> list[Quote]:
        response = call(
            service=SERVICE,
            base_url=self.base_url,
            api_key=self.key,
            timeout=self.timeout,
            method="GET",
            path="/v1/quotes",
            params={"date": on.isoformat()},
            unavailable=MarketDataUnavailable,
        )
        if response.status_code != 200:
            raise MarketDataUnavailable(
                f"{SERVICE}: HTTP {response.status_code} on quotes: {problem_detail(response)}"
            )
        try:
            data = read_json(response)
            answered = date_field(data, "date", "quotes")
            if answered != on:
                raise ValueError(f"quotes.date: {answered}, asked {on}")
            items = field(data, "quotes", "quotes")
            if not isinstance(items, list):
                raise ValueError("quotes.quotes: not a list")
            found: dict[str, Quote] = {}
            for index, item in enumerate(items):
                where = f"quotes[{index}]"
                quote = Quote(
                    product_code=text_field(item, "instrument", where),
                    on=on,
                    price=scaled_field(item, "price", where, PRICE_SCALE, positive=True),
                )
                if found.get(quote.product_code, quote).price != quote.price:
                    raise ValueError(f"{where}: a second, different price for {quote.product_code}")
                found[quote.product_code] = quote
            return list(found.values())
        except ValueError as exc:
            raise MarketDataUnavailable(f"malformed answer: {exc}")


def market_data_source() -> MarketDataSource:
    """The source settings.INVEST_MARKET_DATA names: "file", "http" or "sandbox"."""
    kind = (settings.INVEST_MARKET_DATA or "sandbox").strip().lower()
    if kind == "file":
        if not settings.INVEST_MARKET_DATA_PATH:
            raise MarketDataUnavailable("INVEST_MARKET_DATA_PATH is not set")
        return FileMarketData(settings.INVEST_MARKET_DATA_PATH)
    if kind == "http":
        if not settings.INVEST_MARKET_DATA_URL:
            raise MarketDataUnavailable("INVEST_MARKET_DATA_URL is not set")
        return HttpMarketData(settings.INVEST_MARKET_DATA_URL, settings.INVEST_MARKET_DATA_KEY)
    if kind == "sandbox":
        if not settings.INVEST_ALLOW_SANDBOX:
            raise MarketDataUnavailable("sandbox refused")
        from .sandbox import SandboxMarketData

        return SandboxMarketData()
    raise MarketDataUnavailable(f"unknown INVEST_MARKET_DATA {kind!r}")
