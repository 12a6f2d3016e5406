"""Invest's outside systems: the partners (SGI / SGO) and the market data.

    partner_client(partner_row)  -> PartnerClient (HttpPartner, or the sandbox)
    market_data_source()         -> MarketDataSource (settings.INVEST_MARKET_DATA)

base.py holds the protocols and their errors; http_partner.py documents the Partner API.
The sandbox (sandbox.py) is imported only when chosen, and refused unless
settings.INVEST_ALLOW_SANDBOX.
"""

from __future__ import annotations

from django.conf import settings

from .base import (
    BadCallback,
    MarketDataSource,
    MarketDataUnavailable,
    PartnerClient,
    PartnerError,
    PartnerRefused,
    PartnerUnavailable,
)
from .http_partner import HttpPartner
from .market_data import FileMarketData, HttpMarketData, market_data_source

__all__ = [
    "BadCallback",
    "FileMarketData",
    "HttpMarketData",
    "HttpPartner",
    "MarketDataSource",
    "MarketDataUnavailable",
    "PartnerClient",
    "PartnerError",
    "PartnerRefused",
    "PartnerUnavailable",
    "market_data_source",
    "partner_client",
]


def partner_client(partner) -> PartnerClient:
    """The client of a partner row: anything with `provider` ("sandbox" or "http"),
    `base_url`, `api_key` and `callback_secret`."""
    provider = str(partner.provider or "").strip().lower()
    if provider == "http":
        return HttpPartner(partner.base_url, partner.api_key, partner.callback_secret)
    if provider == "sandbox":
        if not settings.INVEST_ALLOW_SANDBOX:
            raise PartnerUnavailable("sandbox refused")
        from .sandbox import SandboxPartner

        return SandboxPartner(partner)
    raise PartnerUnavailable(f"unknown partner provider {provider!r}")
