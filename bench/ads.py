"""HokweAds benchmark (issue 26, Performance): the delivery decision and the beacon ingestion
with --campaigns active campaigns (default 10,000), the Redis store against the
PostgreSQL-only store in the same run.

    .venv/bin/python bench/ads.py                      # starts its own PostgreSQL + Redis
    DATABASE_URL=postgres://u@h:p/x REDIS_URL=redis://h:p/0 .venv/bin/python bench/ads.py
    .venv/bin/python bench/ads.py --campaigns 1000 --requests 500   # quicker

With DATABASE_URL it creates (and drops) its own database `hokwe_bench_ads` there. What it
measures, in one process:

  data      --campaigns active campaigns of 500 advertisers (one per 20 campaigns below 10,000) (CPC and CPM, priorities 1-10,
            targeted on one of 20 cities or none, each with a text ad and a banner on the apps'
            home), written in bulk, then loaded into each store (delivery.load's state)
  service   delivery.deliver(AdContext(app.home, a viewer, a city)) — the decision with its
            signed beacons — 500 times one after the other: the service time alone
  deliver   the same paced at --rate requests a second (open loop: a late request's
            wait counts), --requests of them: p50/p99 in ms (target p99 < 10 ms at 500/s),
            for the Redis store then the PostgreSQL-only store; ratio = PostgreSQL p99 / Redis p99
  beacons   delivery.record("i", token) of fresh tokens, same pacing: p50/p99 (target p99 < 5 ms)
  overspend --threads threads click one CPC campaign of a 1,000 FCFA budget at 100 a click
            with 200 tokens: charged must be 1,000 (overspend 0)
Results go to var/bench-ads.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
BENCH_DB = "hokwe_bench_ads"
CITIES = [f"Ville {n}" for n in range(20)]
UA = "Mozilla/5.0 (Linux; Android 13) Chrome/120 Mobile"


def _pct(values: list[float]) -> dict:
    values = sorted(values)
    return {
        "p50_ms": round(statistics.median(values), 3),
        "p99_ms": round(values[max(0, int(len(values) * 0.99) - 1)], 3),
        "max_ms": round(values[-1], 3),
        "runs": len(values),
    }


def generate(n: int) -> list[int]:
    from datetime import date

    from apps.ads.models import Advertiser, Campaign, Creative
    from tests.identity.factories import OrganizationFactory

    rng = random.Random(7)
    orgs = [OrganizationFactory(name=f"Annonceur bench {i}") for i in range(min(500, max(1, n // 20)))]
    advertisers = Advertiser.objects.bulk_create(
        [Advertiser(organization=o, name=o.name, currency="XOF") for o in orgs], batch_size=500
    )
    campaigns = []
    for i in range(n):
        pricing = "cpc" if i % 3 else "cpm"
        campaigns.append(
            Campaign(
                advertiser=advertisers[i % len(advertisers)],
                name=f"Campagne {i}",
                status="active",
                pricing=pricing,
                bid=rng.randint(25, 400) if pricing == "cpc" else rng.randint(500, 5000),
                total_budget=1_000_000,
                daily_budget=None if i % 4 else 100_000,
                starts_on=date.today(),
                priority=rng.randint(1, 10),
                frequency_cap=5,
                placements=["app.home"],
                cities=[] if i % 5 == 0 else [CITIES[i % 20]],
            )
        )
    campaigns = Campaign.objects.bulk_create(campaigns, batch_size=2000)
    Creative.objects.bulk_create(
        [
            Creative(
                campaign=c,
                kind=kind,
                headline=f"Annonce {c.name}",
                link_url="https://annonceur.example/",
                status="approved",
            )
            for c in campaigns
            for kind in ("text",)
        ],
        batch_size=5000,
    )
    return [c.pk for c in campaigns]


def load(store_kind: str, settings, ids: list[int]) -> float:
    from apps.ads.models import Advertiser, Campaign
    from apps.ads.services import delivery

    settings.ADS_DELIVERY_STORE = store_kind
    store = delivery.get_store()
    started = time.perf_counter()
    for adv in Advertiser.objects.all():
        store.set_balance(adv.public_id.hex, 10**12)
    rows = Campaign.objects.filter(pk__in=ids).select_related("advertiser").prefetch_related("creatives")
    for campaign in rows.iterator(chunk_size=2000):
        store.load(delivery.state_of(campaign, list(campaign.creatives.all())))
    return round(time.perf_counter() - started, 1)


def paced(fn, count: int, rate: float) -> list[float]:
    """Call fn(i) count times at `rate` a second; each latency runs from the scheduled
    start (a late call's wait counts), in ms."""
    latencies = []
    interval = 1.0 / rate
    start = time.perf_counter()
    for i in range(count):
        scheduled = start + i * interval
        now = time.perf_counter()
        if now < scheduled:
            time.sleep(scheduled - now)
        fn(i)
        latencies.append((time.perf_counter() - scheduled) * 1000)
    return latencies


def measure_store(store_kind: str, settings, ids: list[int], requests: int, rate: float) -> dict:
    from apps.ads.contracts import AdContext
    from apps.ads.services import delivery

    loaded_s = load(store_kind, settings, ids)
    rng = random.Random(11)
    contexts = [
        AdContext(
            placement="app.home", viewer=f"d:{rng.randrange(100_000)}", city=rng.choice(CITIES), language="fr"
        )
        for _ in range(requests)
    ]
    for ctx in contexts[:50]:  # warm the creative cache and the connections
        delivery.deliver(ctx, count=1)
    tokens: list[str] = []
    empty = [0]

    def deliver(i):
        ads = delivery.deliver(contexts[i], count=1)
        if ads:
            tokens.append(ads[0].impression_url.rsplit("/", 1)[1])
        else:
            empty[0] += 1

    closed = []
    for ctx in contexts[:500]:  # service time alone: one after the other, no pacing
        t0 = time.perf_counter()
        delivery.deliver(ctx, count=1)
        closed.append((time.perf_counter() - t0) * 1000)
    decisions = paced(deliver, requests, rate)
    beacon_count = min(len(tokens), requests)
    beacons = paced(lambda i: delivery.record("i", tokens[i], user_agent=UA), beacon_count, rate)
    return {
        "store": store_kind,
        "load_s": loaded_s,
        "service_time": _pct(closed),
        "deliver": _pct(decisions),
        "no_ad": empty[0],
        "beacons": _pct(beacons),
        "achieved_rate": round(requests / ((requests - 1) / rate + decisions[-1] / 1000), 1),
    }


def overspend(settings, threads: int) -> dict:
    from apps.ads.contracts import AdContext
    from apps.ads.models import Campaign
    from apps.ads.services import charging, delivery
    from tests.fixtures.ads import ads_campaign, ads_world

    settings.ADS_DELIVERY_STORE = "redis"
    store = delivery.get_store()
    store._client().delete(f"{store.prefix}dirty")  # the bench campaigns' counters: not charged here
    world = ads_world(balance=100_000, org_name="Agence overspend")
    campaign = ads_campaign(world, pricing="cpc", bid=100, total_budget=1_000, placements=("market.search",))
    tokens = []
    for n in range(200):
        ads = delivery.deliver(
            AdContext(placement="market.search", viewer=f"u:o{n}", city="Cotonou"), count=1
        )
        if not ads:
            break
        tokens.append(ads[0].click_url.rsplit("/", 1)[1])
    charged = []
    lock = threading.Lock()
    chunks = [tokens[i::threads] for i in range(threads)]

    def run(chunk):
        for token in chunk:
            outcome, _ = delivery.record("c", token, user_agent=UA)
            with lock:
                charged.append(outcome.charge_milli)

    workers = [threading.Thread(target=run, args=(c,)) for c in chunks]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    charging.sync()
    campaign = Campaign.objects.get(pk=campaign.pk)
    return {
        "clicks_sent": len(tokens),
        "budget": campaign.total_budget,
        "charged": campaign.charged,
        "overspend": campaign.charged - campaign.total_budget
        if campaign.charged > campaign.total_budget
        else 0,
        "counted_clicks": campaign.clicks,
        "status": campaign.status,
    }


class _Settings:
    def __setattr__(self, name, value):
        from django.conf import settings

        setattr(settings, name, value)


def main() -> int:
    from _services import django_bench_database, peak_rss_mib

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--campaigns", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=5_000)
    parser.add_argument("--rate", type=float, default=500.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    with django_bench_database("hokwe-bench-ads-", BENCH_DB, keep=args.keep):
        from django.core.cache import cache

        cache.clear()
        settings = _Settings()
        started = time.perf_counter()
        ids = generate(args.campaigns)
        data_s = round(time.perf_counter() - started, 1)
        redis_run = measure_store("redis", settings, ids, args.requests, args.rate)
        db_run = measure_store("db", settings, ids, args.requests, args.rate)
        out = {
            "machine": f"{platform.machine()} · {platform.python_version()}",
            "campaigns": args.campaigns,
            "rate": args.rate,
            "data_s": data_s,
            "redis": redis_run,
            "postgresql": db_run,
            "ratio_p99": round(db_run["deliver"]["p99_ms"] / max(redis_run["deliver"]["p99_ms"], 0.001), 1),
            "ratio_service_p50": round(
                db_run["service_time"]["p50_ms"] / max(redis_run["service_time"]["p50_ms"], 0.001), 1
            ),
            "overspend": overspend(settings, args.threads),
            "peak_rss_mib": peak_rss_mib(),
        }
        print(json.dumps(out, indent=2))
        target = ROOT / "var" / "bench-ads.json"
        target.parent.mkdir(exist_ok=True)
        target.write_text(json.dumps(out, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
