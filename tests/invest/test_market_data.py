"""Market data: the CSV file and the HTTP source (against tests/invest/fake_market.py), and
the factory. No database."""

from __future__ import annotations

from datetime import date

import pytest

from apps.invest.contracts import Quote
from apps.invest.providers import (
    FileMarketData,
    HttpMarketData,
    MarketDataSource,
    MarketDataUnavailable,
    market_data_source,
)
from tests.invest.fake_market import MARKET_KEY, http_market_data, serve_market

DAY = date(2026, 3, 2)
FUND, SHARE = "CI0000000001", "SNTS"


@pytest.fixture
def market(httpserver):
    with serve_market(httpserver) as fake:
        yield fake


def write(tmp_path, text: str, *, encoding="utf-8", name="quotes.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- the file ---


def test_the_file_gives_the_quotes_of_the_day_asked(tmp_path):
    path = write(
        tmp_path,
        "code,date,price\n"
        "CI0000000001,2026-02-27,10519.0004\n"
        "\n"
        "CI0000000001,2026-03-02,10523.12\n"
        "   \n"
        "SNTS, 2026-03-02 , 17500\n"
        "BOAB,2026-03-03,6890\n",
    )

    quotes = FileMarketData(path).quotes(DAY)

    assert quotes == [
        Quote(product_code=FUND, on=DAY, price=105_231_200),
        Quote(product_code=SHARE, on=DAY, price=175_000_000),
    ]
    assert FileMarketData(path).quotes(date(2026, 2, 27)) == [Quote(FUND, date(2026, 2, 27), 105_190_004)]
    assert FileMarketData(path).quotes(date(2026, 3, 1)) == []  # exactly that day, never an earlier one


def test_a_spreadsheets_file_is_read(tmp_path):
    """Excel writes a BOM, CRLF line ends and sometimes quotes and upper-case headers."""
    path = write(tmp_path, '\ufeffCode,Date,Price\r\n"SNTS","2026-03-02","17500.5"\r\n\r\n')

    assert FileMarketData(path).quotes(DAY) == [Quote(SHARE, DAY, 175_005_000)]


def test_the_same_price_twice_is_one_quote(tmp_path):
    path = write(tmp_path, "code,date,price\nSNTS,2026-03-02,17500\nSNTS,2026-03-02,17500.0000\n")

    assert FileMarketData(path).quotes(DAY) == [Quote(SHARE, DAY, 175_000_000)]


def test_a_header_only_file_has_no_quotes(tmp_path):
    assert FileMarketData(write(tmp_path, "code,date,price\n")).quotes(DAY) == []


BAD_FILES = {
    "five decimals": ("code,date,price\nSNTS,2026-03-02,17500\nCI0000000001,2026-03-02,10523.12345\n", 3),
    "a comma decimal": ('code,date,price\n\nSNTS,2026-03-02,"17500,5"\n', 3),
    "negative": ("code,date,price\nSNTS,2026-03-02,-17500\n", 2),
    "zero": ("code,date,price\nSNTS,2026-03-02,0\n", 2),
    "not a number": ("code,date,price\nSNTS,2026-03-02,n/a\n", 2),
    "a float's exponent": ("code,date,price\nSNTS,2026-03-02,1.75e4\n", 2),
    "a French date": ("code,date,price\nSNTS,02/03/2026,17500\n", 2),
    "an impossible date": ("code,date,price\nSNTS,2026-02-30,17500\n", 2),
    "a missing price": ("code,date,price\nSNTS,2026-03-02\n", 2),
    "an extra field": ("code,date,price\nSNTS,2026-03-02,17500,XOF\n", 2),
    "no code": ("code,date,price\n,2026-03-02,17500\n", 2),
    "two prices for a day": ("code,date,price\nSNTS,2026-03-02,17500\nSNTS,2026-03-02,17600\n", 3),
    "a bad line on another day": ("code,date,price\nSNTS,2026-03-02,17500\nSNTS,2026-03-03,abc\n", 3),
    "the wrong header": ("ticker,day,close\nSNTS,2026-03-02,17500\n", 1),
    "no header": ("SNTS,2026-03-02,17500\n", 1),
    "an unclosed quote": ('code,date,price\nSNTS,2026-03-02,"17500\n', 2),
}


@pytest.mark.parametrize(("text", "line"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_line_is_named(tmp_path, text, line):
    with pytest.raises(MarketDataUnavailable, match=rf"quotes\.csv line {line}: "):
        FileMarketData(write(tmp_path, text)).quotes(DAY)


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = write(
        tmp_path, "code,date,price\nSNTS,2026-03-02,17500\nCÔTE,2026-03-02,100\n", encoding="latin-1"
    )

    with pytest.raises(MarketDataUnavailable, match="quotes.csv line 3: not UTF-8"):
        FileMarketData(path).quotes(DAY)


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(MarketDataUnavailable, match="empty"):
        FileMarketData(write(tmp_path, "\n\n")).quotes(DAY)


def test_a_missing_file_is_unavailable(tmp_path):
    with pytest.raises(MarketDataUnavailable, match="cannot be read"):
        FileMarketData(tmp_path / "absent.csv").quotes(DAY)


# --- over HTTP ---


def test_quotes_over_http(market):
    market.set_quotes(DAY, {FUND: "10523.1200", SHARE: "17500"})
    market.set_quotes(date(2026, 3, 3), {SHARE: "17600"})

    quotes = http_market_data(market).quotes(DAY)

    assert quotes == [Quote(FUND, DAY, 105_231_200), Quote(SHARE, DAY, 175_000_000)]
    (asked,) = market.requests
    assert asked.path == "/v1/quotes"
    assert asked.query == {"date": "2026-03-02"}
    assert asked.headers["Authorization"] == f"Bearer {MARKET_KEY}"
    assert asked.headers["User-Agent"].endswith("(invest-market-data)")


def test_a_day_without_quotes(market):
    assert http_market_data(market).quotes(DAY) == []


@pytest.mark.parametrize("outage", ["500", "timeout"])
def test_an_outage_is_unavailable(market, outage):
    market.outage(outage)

    with pytest.raises(MarketDataUnavailable):
        http_market_data(market, timeout=0.3).quotes(DAY)


def test_a_wrong_key_is_unavailable(market):
    with pytest.raises(MarketDataUnavailable, match="HTTP 401 on quotes: invalid API key"):
        HttpMarketData(market.base_url, "mk_wrong", timeout=2).quotes(DAY)


def test_an_unreachable_service_is_unavailable(unused_tcp_port):
    with pytest.raises(MarketDataUnavailable, match="ConnectError"):
        HttpMarketData(f"http://127.0.0.1:{unused_tcp_port}", "k", timeout=0.5).quotes(DAY)


MALFORMED = {
    "not JSON": (200, None),
    "another day": (200, {"date": "2026-03-01", "quotes": []}),
    "no date": (200, {"quotes": []}),
    "no quotes": (200, {"date": "2026-03-02"}),
    "quotes not a list": (200, {"date": "2026-03-02", "quotes": {SHARE: "17500"}}),
    "five decimals": (200, {"date": "2026-03-02", "quotes": [{"instrument": SHARE, "price": "17500.00001"}]}),
    "a float": (200, {"date": "2026-03-02", "quotes": [{"instrument": SHARE, "price": 17500.5}]}),
    "zero": (200, {"date": "2026-03-02", "quotes": [{"instrument": SHARE, "price": "0"}]}),
    "no instrument": (200, {"date": "2026-03-02", "quotes": [{"price": "17500"}]}),
    "two prices": (
        200,
        {
            "date": "2026-03-02",
            "quotes": [{"instrument": SHARE, "price": "17500"}, {"instrument": SHARE, "price": "17600"}],
        },
    ),
    "a 404": (404, {"detail": "no such endpoint"}),
}


@pytest.mark.parametrize(("status", "body"), MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_answer_is_unavailable(market, status, body):
    if body is None:
        market.answer_next(status, raw="<html>quotes</html>", content_type="text/html")
    else:
        market.answer_next(status, body)

    with pytest.raises(MarketDataUnavailable):
        http_market_data(market).quotes(DAY)


# --- the factory ---


def test_the_file_source_from_the_settings(settings, tmp_path):
    path = write(tmp_path, "code,date,price\nSNTS,2026-03-02,17500\n")
    settings.INVEST_MARKET_DATA = "file"
    settings.INVEST_MARKET_DATA_PATH = str(path)

    source = market_data_source()

    assert isinstance(source, FileMarketData)
    assert isinstance(source, MarketDataSource)
    assert source.quotes(DAY) == [Quote(SHARE, DAY, 175_000_000)]


def test_the_http_source_from_the_settings(settings, market):
    market.set_quotes(DAY, {SHARE: "17500"})
    settings.INVEST_MARKET_DATA = " HTTP "
    settings.INVEST_MARKET_DATA_URL = market.base_url
    settings.INVEST_MARKET_DATA_KEY = MARKET_KEY

    source = market_data_source()

    assert isinstance(source, HttpMarketData)
    assert source.quotes(DAY) == [Quote(SHARE, DAY, 175_000_000)]
    assert MARKET_KEY not in repr(source)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"INVEST_MARKET_DATA": "sandbox", "INVEST_ALLOW_SANDBOX": False}, "sandbox refused"),
        ({"INVEST_MARKET_DATA": "file", "INVEST_MARKET_DATA_PATH": ""}, "INVEST_MARKET_DATA_PATH"),
        ({"INVEST_MARKET_DATA": "http", "INVEST_MARKET_DATA_URL": ""}, "INVEST_MARKET_DATA_URL"),
        ({"INVEST_MARKET_DATA": "bloomberg"}, "unknown INVEST_MARKET_DATA"),
    ],
)
def test_a_source_that_cannot_be_used_is_unavailable(settings, values, message):
    for name, value in values.items():
        setattr(settings, name, value)

    with pytest.raises(MarketDataUnavailable, match=message):
        market_data_source()
