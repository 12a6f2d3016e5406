"""The delivery store: where loaded campaigns' budgets, pacing and counters live while ads are
delivered (docs/ads.md, "Delivery"). Two implementations with one behaviour:

- `store_redis.RedisStore`: a Redis hash per campaign and advertiser, a sorted set per
  placement and city, two Lua scripts (pick; count a beacon) that read and decrement
  atomically: concurrent deliveries never overspend;
- `store_db.DbStore`: the same state in tables under row locks: the embedded default (no
  Redis) and the benchmark's PostgreSQL-only baseline.

PostgreSQL stays the record: `charging.sync` copies the counters into CampaignDay, charges
the ledger and marks spent campaigns; `delivery.reload` rebuilds the store from PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.utils import timezone

from .beacons import Beacon


@dataclass(frozen=True)
class CampaignState:
    key: str  # the campaign's public id, hex
    advertiser: str  # the advertiser's public id, hex
    pricing: str
    cost_milli: int  # one impression (cpm) or one click (cpc); 0 for flat
    score: int
    budget_milli: int  # left of the total budget
    daily_milli: int  # 0: no daily budget
    day: str  # the local day spent_day_milli counts
    spent_day_milli: int
    cap: int  # impressions per viewer per day; 0: no cap
    starts_at: int  # unix seconds
    ends_at: int  # unix seconds; 0: open-ended
    placements: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()  # folded; empty: everywhere
    neighbourhoods: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    creatives: dict = field(default_factory=dict)  # placement → tuple of creative keys (hex)
    # the day's counters PostgreSQL already has (imp, clk, spent, flt): a store that lost its
    # data counts on from them, never from zero
    counted: tuple[int, int, int, int] = (0, 0, 0, 0)


@dataclass(frozen=True)
class Pick:
    campaign: str
    creative: str


@dataclass(frozen=True)
class Outcome:
    status: str  # counted | replay | duplicate | rate | unknown
    charge_milli: int = 0


COUNTED = "counted"


def fold(text: str) -> str:
    """A targeting value as stored and compared: trimmed, case-folded, no separator."""
    return (text or "").strip().casefold().replace("|", " ")[:100]


def local_day(now: datetime) -> tuple[str, int]:
    """(the local day as ISO text, seconds since its midnight)."""
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return local.date().isoformat(), int((local - midnight).total_seconds())


def day_end(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)


@cache
def _store_for(kind: str):
    if kind == "redis":
        from .store_redis import RedisStore

        return RedisStore()
    from .store_db import DbStore

    return DbStore()


def store_kind() -> str:
    chosen = settings.ADS_DELIVERY_STORE
    if chosen in ("redis", "db"):
        return chosen
    from django.core.cache import cache as django_cache

    client = getattr(django_cache, "client", None)
    return "redis" if client is not None and hasattr(client, "get_client") else "db"


def get_store():
    return _store_for(store_kind())


__all__ = [
    "COUNTED",
    "Beacon",
    "CampaignState",
    "Outcome",
    "Pick",
    "day_end",
    "fold",
    "get_store",
    "local_day",
]
