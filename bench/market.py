"""HokweSearch benchmark (issue 23): the search over 1,000,000 listings, against a sequential
scan of the same queries in the same run, and the saved-search alert run.

    .venv/bin/python bench/market.py                               # starts its own PostgreSQL + Redis
    DATABASE_URL=postgres://u@h:p/x REDIS_URL=redis://h:p/0 .venv/bin/python bench/market.py
    .venv/bin/python bench/market.py --listings 100000 --runs 100 --saved 20000   # quicker

With DATABASE_URL it creates (and drops) its own database `hokwe_bench_market` on that server.
What it measures, in one process:

  data       --listings listings across Benin's and Côte d'Ivoire's cities (real neighbourhood
             names, positions jittered around them, French titles and descriptions), written by
             one INSERT … SELECT generate_series (the search indexes of migrations 0004 on dropped
             before and built after, as a restore would), then ANALYZE
  radius     services.search.search: a point in a neighbourhood, 1–5 km, a text (a misspelt
             neighbourhood, «appartement meublé», …) and filters (price, rooms, purpose), sorted
             by relevance or distance; --runs runs with varied parameters: p50/p95 in ms
  bounds     the map's bounds around a city (2–8 km wide), purpose and price, newest first
  facets     services.search.facets of the radius queries (one GROUPING SETS statement)
  seqscan    the same queries with enable_indexscan/enable_bitmapscan off (--seq runs each):
             the baseline; ratio = seqscan p50 / index p50
  alerts     services.saved.alerts_run over --saved saved searches (5 per user, criteria from a
             pool of a few hundred) after a day of new listings: seconds, searches/s, messages;
             as in production its messages are queued on Redis for the workers (the beat task
             ends there), then one solo Celery worker delivers them: the delivery's own figure
  plans      EXPLAIN (ANALYZE) of one query of each kind: which indexes were used
The machine's load average is printed with the figures; results go to var/bench-market.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

BENCH_DB = "hokwe_bench_market"
VERBOSE = False  # main() prints as it goes; the smoke test stays quiet
QUEUED = False  # main() queues the alert messages for a worker; the smoke test delivers in-process

# city, country, centre (lat, lng), weight, neighbourhoods (name, north/east offset in degrees)
PLACES = [
    (
        "Cotonou",
        "BJ",
        (6.3703, 2.3912),
        6,
        [
            ("Fidjrossè", (-0.013, -0.028)),
            ("Akpakpa", (0.000, 0.035)),
            ("Cadjèhoun", (-0.012, -0.012)),
            ("Gbégamey", (0.005, -0.010)),
            ("Haie Vive", (-0.010, -0.016)),
            ("Zogbo", (0.018, -0.015)),
            ("Agla", (0.025, -0.030)),
            ("Ganhi", (-0.015, 0.040)),
            ("Jéricho", (0.010, 0.010)),
            ("Vodjè", (0.002, -0.003)),
            ("Ménontin", (0.022, -0.022)),
            ("Sainte-Rita", (0.012, 0.002)),
        ],
    ),
    (
        "Abomey-Calavi",
        "BJ",
        (6.4485, 2.3557),
        3,
        [
            ("Godomey", (-0.030, 0.000)),
            ("Togba", (0.010, -0.030)),
            ("Akassato", (0.060, 0.000)),
            ("Zogbadjè", (-0.005, 0.005)),
            ("Tankpè", (0.010, 0.015)),
            ("Cocotomey", (-0.040, -0.010)),
        ],
    ),
    (
        "Porto-Novo",
        "BJ",
        (6.4969, 2.6289),
        2,
        [
            ("Ouando", (0.015, 0.000)),
            ("Djègan-Daho", (-0.010, 0.010)),
            ("Tokpota", (0.005, -0.012)),
            ("Avakpa", (-0.005, 0.005)),
            ("Houinmè", (0.020, 0.015)),
        ],
    ),
    (
        "Parakou",
        "BJ",
        (9.3372, 2.6303),
        1,
        [
            ("Banikanni", (0.010, 0.012)),
            ("Titirou", (-0.012, -0.010)),
            ("Zongo", (0.003, 0.000)),
            ("Albarika", (-0.005, 0.010)),
            ("Ganou", (0.015, -0.015)),
        ],
    ),
    (
        "Ouidah",
        "BJ",
        (6.3631, 2.0851),
        1,
        [
            ("Tové", (0.004, 0.004)),
            ("Kpassè", (-0.004, 0.002)),
            ("Docomè", (0.006, -0.006)),
            ("Ahouandji", (-0.010, -0.008)),
        ],
    ),
    ("Bohicon", "BJ", (7.1782, 2.0667), 1, [("Zakpo", (0.005, 0.005)), ("Sodohomè", (-0.010, 0.000))]),
    (
        "Natitingou",
        "BJ",
        (10.3042, 1.3796),
        1,
        [("Yokossi", (0.005, 0.004)), ("Bérécingou", (-0.006, 0.000))],
    ),
    (
        "Abidjan",
        "CI",
        (5.3600, -4.0083),
        6,
        [
            ("Cocody", (0.000, 0.020)),
            ("Yopougon", (0.000, -0.070)),
            ("Marcory", (-0.050, 0.030)),
            ("Plateau", (-0.040, 0.000)),
            ("Treichville", (-0.055, 0.005)),
            ("Koumassi", (-0.060, 0.060)),
            ("Riviera", (0.010, 0.060)),
            ("Angré", (0.040, 0.040)),
            ("Abobo", (0.070, 0.000)),
            ("Adjamé", (0.000, -0.010)),
            ("Port-Bouët", (-0.100, 0.050)),
            ("Deux-Plateaux", (0.020, 0.010)),
        ],
    ),
    (
        "Bouaké",
        "CI",
        (7.6906, -5.0303),
        2,
        [
            ("Koko", (0.010, 0.005)),
            ("Air France", (-0.010, 0.010)),
            ("Dar-es-Salam", (0.020, -0.010)),
            ("Belleville", (-0.005, -0.012)),
            ("Nimbo", (-0.020, 0.000)),
        ],
    ),
    (
        "Yamoussoukro",
        "CI",
        (6.8276, -5.2893),
        1,
        [
            ("Habitat", (0.006, 0.006)),
            ("Dioulakro", (-0.006, 0.004)),
            ("Morofé", (0.012, -0.010)),
            ("Kokrenou", (-0.012, -0.006)),
        ],
    ),
    (
        "San-Pédro",
        "CI",
        (4.7485, -6.6363),
        1,
        [
            ("Bardot", (0.010, -0.010)),
            ("Séwéké", (-0.005, 0.010)),
            ("Lac", (0.000, 0.000)),
            ("Balmer", (0.008, 0.012)),
        ],
    ),
    ("Daloa", "CI", (6.8774, -6.4502), 1, [("Lobia", (0.005, 0.005)), ("Tazibouo", (-0.008, 0.006))]),
    ("Korhogo", "CI", (9.4580, -5.6296), 1, [("Soba", (0.006, 0.000)), ("Petit-Paris", (-0.006, 0.006))]),
]
KINDS = [  # code, French label, typical monthly rent, weight
    ("entrer_coucher", "Entrer-coucher", 15_000, 2),
    ("chambre_salon", "Chambre salon", 35_000, 3),
    ("studio", "Studio", 60_000, 3),
    ("apartment", "Appartement", 150_000, 4),
    ("villa", "Villa", 450_000, 2),
    ("house", "Maison", 250_000, 1),
    ("shop", "Boutique", 80_000, 1),
    ("office", "Bureau", 200_000, 1),
    ("land", "Parcelle", 5_000_000, 1),
]
PHRASES = [
    "Carrelé, plafonné, eau courante.",
    "Compteur électrique personnel, forage dans la cour.",
    "Proche du goudron et des écoles.",
    "Quartier calme et sécurisé, gardien jour et nuit.",
    "Cuisine équipée, douche moderne, placards.",
    "Grande cour, parking pour deux voitures.",
    "Climatisé, balcon avec vue.",
    "À deux minutes du marché et de la pharmacie.",
    "Toilettes internes, véranda, portail automatique.",
    "Meublé avec goût, wifi disponible.",
]
TEXTS = [
    "appartement meublé",
    "studio",
    "villa piscine",
    "chambre salon",
    "maison calme",
    "climatisé",
    "boutique",
]


def _places() -> list[tuple]:
    rows = []
    for city, country, (lat, lng), weight, hoods in PLACES:
        for name, (dlat, dlng) in hoods:
            for _ in range(weight):
                rows.append((city, country, name, lat + dlat, lng + dlng))
    return rows


def _kinds() -> list[tuple]:
    return [k for k in KINDS for _ in range(k[3])]


def _typo(word: str, rng: random.Random) -> str:
    """A plausible misspelling: an accent dropped, a letter doubled or left out."""
    plain = word.lower().replace("è", "e").replace("é", "e")
    if len(plain) < 6:
        return plain
    i = rng.randrange(2, len(plain) - 2)
    return plain[:i] + plain[i + 1 :] if rng.random() < 0.5 else plain[:i] + plain[i] + plain[i:]


# --- data -------------------------------------------------------------------------------------


def generate(listings: int, *, rebuild_indexes: bool = False, seed: float = 0.42) -> dict:
    """Writes the listings (one INSERT … SELECT) and an owner; returns timings."""
    from django.db import connection

    from apps.identity.models import User

    owner = User.objects.create(
        phone="+22901" + str(90_000_000 + random.randrange(9_000_000)), full_name="Bench"
    )
    places, kinds = _places(), _kinds()
    out = {}
    with connection.cursor() as cursor:
        if rebuild_indexes:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'market_listing' "
                "AND indexname LIKE 'market_listing_s_%%'"
            )
            dropped = [row[0] for row in cursor.fetchall()]
            for name in dropped:
                cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            "CREATE TEMP TABLE bench_place (idx int, city text, country text, nb text, lat float8, lng float8)"
        )
        cursor.executemany(
            "INSERT INTO bench_place VALUES (%s, %s, %s, %s, %s, %s)",
            [(i, *p) for i, p in enumerate(places)],
        )
        cursor.execute("CREATE TEMP TABLE bench_kind (idx int, code text, label text, rent bigint)")
        cursor.executemany(
            "INSERT INTO bench_kind VALUES (%s, %s, %s, %s)",
            [(i, k[0], k[1], k[2]) for i, k in enumerate(kinds)],
        )
        cursor.execute("SELECT setseed(%s)", [seed])
        started = time.perf_counter()
        cursor.execute(
            """
            INSERT INTO market_listing (
              public_id, created_at, updated_at, owner_id, verified, purpose, kind, title, description,
              rooms, area_m2, furnished, water, own_meter, parking, air_conditioning, security,
              price, charges, currency, deposit_months, advance_months, agency_fee, country, city,
              neighbourhood, address, latitude, longitude, available_from, status, status_changed_at,
              published_at, flags, search_text, photo_count, cover)
            SELECT gen_random_uuid(), t.published, t.published, %(owner)s, t.r1 < 0.4, t.purpose, k.code,
              k.label || ' ' || t.rooms || ' pièces à ' || p.nb, t.description,
              t.rooms, 20 + t.rooms * 15, t.r2 < 0.25, t.r3 < 0.8, t.r4 < 0.6, t.r5 < 0.3, t.r6 < 0.25,
              t.r7 < 0.35,
              GREATEST(500, round(k.rent * CASE WHEN t.purpose = 'sale' THEN 120 ELSE 1 END
                * (0.6 + t.r8 * 0.9) / 500) * 500)::bigint,
              CASE WHEN t.r9 < 0.5 THEN 5000 ELSE 0 END, 'XOF', 2, 3, 0, p.country, p.city, p.nb,
              'Rue ' || (t.i %% 400) || ', ' || p.nb,
              p.lat + (t.r10 - 0.5) * 0.02, p.lng + (t.r11 - 0.5) * 0.02,
              CASE WHEN t.r12 < 0.2 THEN (now() + (t.r12 * 300) * interval '1 day')::date END,
              t.status, t.published, t.published, '[]'::jsonb,
              lower(public.unaccent(k.label || ' ' || t.rooms || ' pieces a ' || p.nb || ' ' || t.description
                || ' ' || p.city || ' ' || p.nb || ' rue ' || (t.i %% 400))),
              0, ''
            FROM (
              SELECT i, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
                random() AS r6, random() AS r7, random() AS r8, random() AS r9, random() AS r10,
                random() AS r11, random() AS r12,
                1 + floor(random() * 5)::int AS rooms,
                CASE WHEN random() < 0.1 THEN 'sale' ELSE 'rent' END AS purpose,
                CASE WHEN random() < 0.85 THEN 'published' WHEN random() < 0.4 THEN 'reserved'
                  WHEN random() < 0.5 THEN 'let' ELSE 'withdrawn' END AS status,
                now() - random() * interval '180 days' AS published,
                (%(phrases)s::text[])[1 + floor(random() * %(np)s)::int] || ' '
                  || (%(phrases)s::text[])[1 + floor(random() * %(np)s)::int] AS description,
                floor(random() * %(nplaces)s)::int AS place, floor(random() * %(nkinds)s)::int AS kind
              FROM generate_series(1, %(n)s) AS i
            ) AS t
            JOIN bench_place p ON p.idx = t.place
            JOIN bench_kind k ON k.idx = t.kind
            """,
            {
                "owner": owner.pk,
                "phrases": PHRASES,
                "np": len(PHRASES),
                "nplaces": len(places),
                "nkinds": len(kinds),
                "n": listings,
            },
        )
        out["insert_s"] = round(time.perf_counter() - started, 1)
        if rebuild_indexes:
            started = time.perf_counter()
            cursor.execute("SET maintenance_work_mem = '256MB'")
            _create_search_indexes(cursor)
            out["indexes_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        cursor.execute("ANALYZE market_listing")
        out["analyze_s"] = round(time.perf_counter() - started, 1)
        cursor.execute("SELECT count(*) FROM market_listing WHERE status IN ('published', 'reserved')")
        out["visible"] = cursor.fetchone()[0]
    out["listings"] = listings
    return out


def _create_search_indexes(cursor) -> None:
    """The search indexes as market's migrations from 0004 on leave them (each with a CREATE; a
    later one drops some an earlier one made), built plainly (not CONCURRENTLY: nobody writes
    meanwhile, as in a restore)."""
    import importlib
    import re

    names = sorted(
        p.stem for p in (ROOT / "apps" / "market" / "migrations").glob("0*.py") if p.stem >= "0004"
    )
    steps = [importlib.import_module(f"apps.market.migrations.{name}") for name in names]
    steps = [step for step in steps if hasattr(step, "CREATE")]
    dropped = {name for step in steps for name in getattr(step, "DROPPED_INDEXES", ())}
    for step in steps:
        for statement in step.CREATE.split(";"):
            made = re.search(r"CREATE INDEX (?:CONCURRENTLY )?IF NOT EXISTS (\w+)", statement)
            if not statement.strip() or re.search(r"\bDROP INDEX\b", statement):
                continue
            if made is not None and made.group(1) in dropped:
                continue
            cursor.execute(statement.replace(" CONCURRENTLY", ""))


# --- queries ----------------------------------------------------------------------------------


def _radius_query(rng: random.Random) -> dict:
    city, country, nb, lat, lng = rng.choice(_places())
    criteria = {
        "latitude": lat + rng.uniform(-0.005, 0.005),
        "longitude": lng + rng.uniform(-0.005, 0.005),
        "radius_m": rng.choice([1000, 2000, 3000, 5000]),
        "text": rng.choice([_typo(nb, rng), nb, *TEXTS]),
        "sort": rng.choice(["relevance", "distance"]),
        "purpose": "rent",
    }
    if rng.random() < 0.6:
        criteria["price_max"] = rng.choice([50_000, 100_000, 200_000, 500_000])
    if rng.random() < 0.4:
        criteria["rooms_min"] = rng.choice([2, 3])
    if rng.random() < 0.2:
        criteria["amenities"] = "water"
    return criteria


def _bounds_query(rng: random.Random) -> dict:
    _city, _country, _nb, lat, lng = rng.choice(_places())
    half = rng.uniform(0.01, 0.035)
    criteria = {
        "bounds": f"{lat - half},{lng - half},{lat + half},{lng + half}",
        "purpose": "rent",
        "sort": rng.choice(["newest", "price"]),
    }
    if rng.random() < 0.5:
        criteria["price_max"] = rng.choice([100_000, 300_000])
    return criteria


def _pct(values: list[float]) -> dict:
    ordered = sorted(values)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "n": len(ordered),
    }


def _time(fn, queries) -> list[float]:
    from apps.market.services import search

    times = []
    for criteria in queries:
        q = search.clean_query(criteria)
        started = time.perf_counter()
        fn(q)
        times.append(time.perf_counter() - started)
    return times


def _sequential(enabled: bool) -> None:
    from django.db import connection

    value = "off" if enabled else "on"
    with connection.cursor() as cursor:
        cursor.execute(f"SET enable_indexscan = {value}")
        cursor.execute(f"SET enable_bitmapscan = {value}")


def _plan(criteria: dict, kind: str) -> list[str]:
    """EXPLAIN (ANALYZE) of a query as the backend writes it (its statement captured)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.market.services import search

    q = search.clean_query(criteria)
    with CaptureQueriesContext(connection) as captured:
        (search.facets if kind == "facets" else search.search)(q)
    # the page (or the facets) statement: the longest one (not the SET, the EXISTS probes, the count)
    statement = max((c["sql"] for c in captured.captured_queries), key=len)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + statement)
        return [row[0] for row in cursor.fetchall()]


def measure(listings: int, runs: int, seq_runs: int, saved: int, *, rebuild_indexes=False, seed=7) -> dict:
    from django.db import connection

    rng = random.Random(seed)
    out: dict = {
        "load_before": os.getloadavg()[0],
        "data": generate(listings, rebuild_indexes=rebuild_indexes),
    }
    from apps.market.services import search

    radius = [_radius_query(rng) for _ in range(runs)]
    bounds = [_bounds_query(rng) for _ in range(runs)]
    _time(search.search, radius[:5])  # warm the caches a little
    out["radius"] = _pct(_time(search.search, radius))
    out["bounds"] = _pct(_time(search.search, bounds))
    out["facets"] = _pct(_time(search.facets, radius))
    _sequential(True)
    try:
        out["seq_radius"] = _pct(_time(search.search, radius[:seq_runs]))
        out["seq_bounds"] = _pct(_time(search.search, bounds[:seq_runs]))
        out["seq_facets"] = _pct(_time(search.facets, radius[:seq_runs]))
    finally:
        _sequential(False)
    for name in ("radius", "bounds", "facets"):
        out[f"ratio_{name}"] = round(out[f"seq_{name}"]["p50_ms"] / max(out[name]["p50_ms"], 0.001), 1)
    out["plans"] = {
        "radius": _plan(radius[0], "search"),
        "bounds": _plan(bounds[0], "search"),
        "facets": _plan(radius[0], "facets"),
    }
    with connection.cursor() as cursor:
        cursor.execute("RESET pg_trgm.word_similarity_threshold")
    out["load_after"] = os.getloadavg()[0]
    report_search(out)
    out["alerts"] = alerts(saved, rng)
    out["load_after_alerts"] = os.getloadavg()[0]
    return out


def alerts(saved: int, rng: random.Random) -> dict:
    """--saved saved searches (5 per user) from a pool of criteria, alerted up to a day ago;
    then one alert run."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from apps.identity.models import User
    from apps.market.services import saved as saved_service
    from apps.market.services import search

    users = max(1, saved // 5)
    base = 90_000_000 + rng.randrange(1_000_000)
    User.objects.bulk_create(
        [User(phone=f"+22901{base + i}", full_name=f"Chercheur {i}") for i in range(users)], batch_size=5000
    )
    pool = []
    for _ in range(max(1, min(400, saved // 50))):
        criteria = (
            _radius_query(rng) if rng.random() < 0.5 else {"city": rng.choice(PLACES)[0], "purpose": "rent"}
        )
        criteria.pop("sort", None)
        pool.append(json.dumps(search.query_to_json(search.clean_query(criteria))))
    now = timezone.now()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO market_savedsearch (public_id, created_at, updated_at, user_id, name, query, channel,
              active, alerted_up_to, last_alert_count)
            SELECT gen_random_uuid(), %(now)s, %(now)s, u.id, 'Recherche ' || g.n,
              ((%(pool)s::text[])[1 + (u.id * 7 + g.n * 13) %% %(npool)s])::jsonb,
              (ARRAY['sms', 'email', 'push'])[1 + (u.id + g.n) %% 3], true, %(since)s, 0
            FROM (SELECT id FROM identity_user WHERE phone LIKE '+22901%%' AND full_name LIKE 'Chercheur %%'
                  ORDER BY id LIMIT %(users)s) AS u
            CROSS JOIN generate_series(1, 5) AS g(n)
            LIMIT %(saved)s
            """,
            {
                "now": now,
                "pool": pool,
                "npool": len(pool),
                "since": now - timedelta(days=1),
                "users": users,
                "saved": saved,
            },
        )
    setup_s = time.perf_counter() - started
    started = time.perf_counter()
    stats = saved_service.alerts_run(now=now)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    rerun = saved_service.alerts_run(now=now)
    rerun_s = time.perf_counter() - started
    return {
        "saved": saved,
        "distinct_criteria": len(set(pool)),
        "setup_s": round(setup_s, 1),
        "seconds": round(seconds, 2),
        "per_s": round(saved / seconds) if seconds else None,
        "stats": stats,
        "rerun_messages": rerun["messages"],
        "rerun_s": round(rerun_s, 2),
        "delivery": drain() if QUEUED else None,
    }


def queue_on_workers() -> None:
    """The alert run as production runs it: its messages are queued on Redis for the workers
    (the test settings the bench starts from deliver them in-process, inside the run), and no
    quiet hours, so that every one is due now."""
    global QUEUED
    from django.conf import settings

    from hokwe.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    settings.NOTIFICATIONS_QUIET_HOURS = "off"
    settings.SMS_BACKEND = "console"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    app.connection_for_write().default_channel.client.flushdb()
    QUEUED = True


def drain() -> dict:
    """After the run: one real Celery worker (solo pool, the bulk queue) delivers what the run
    queued, through the console SMS provider, the in-memory e-mail backend and the in-app inbox
    (push has no device here: it is recorded as such). The workers' throughput, not the run's."""
    import contextlib
    import tempfile

    from celery.contrib.testing.worker import start_worker
    from django.db.models import Count

    from apps.notifications.models import Message
    from hokwe.celery import app

    pending = Message.objects.filter(status=Message.Status.QUEUED)
    queued = pending.count()
    started = time.perf_counter()
    with tempfile.TemporaryFile("w") as sink, contextlib.redirect_stdout(sink):
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=30, queues=["notifications.bulk"]
        ):
            deadline = time.monotonic() + 3600
            while time.monotonic() < deadline and pending.exists():
                time.sleep(0.5)
    seconds = time.perf_counter() - started
    by_status = {
        f"{channel} {status}": n
        for channel, status, n in Message.objects.values_list("channel", "status")
        .annotate(n=Count("id"))
        .order_by("channel", "status")
    }
    return {
        "queued": queued,
        "seconds": round(seconds, 1),
        "per_s": round(queued / seconds) if seconds else None,
        "by_status": by_status,
    }


def main() -> int:
    from _services import django_bench_database, peak_rss_mib

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listings", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200, help="runs of each query kind (varied parameters)")
    parser.add_argument("--seq", type=int, default=20, help="runs of each query kind as a sequential scan")
    parser.add_argument("--saved", type=int, default=100_000, help="saved searches of the alert run")
    parser.add_argument("--keep", action="store_true", help="keep the database (for EXPLAIN by hand)")
    args = parser.parse_args()
    global VERBOSE
    VERBOSE = True

    with django_bench_database("hokwe-bench-market-", BENCH_DB, keep=args.keep):
        queue_on_workers()
        out = measure(args.listings, args.runs, args.seq, args.saved, rebuild_indexes=True)
        out["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}
        out["peak_rss_mib"] = peak_rss_mib()
        report_alerts(out)
        target = ROOT / "var" / "bench-market.json"
        target.parent.mkdir(exist_ok=True)
        target.write_text(json.dumps(out, indent=2, default=str))
        return 0


def report_search(out: dict) -> None:
    """The search figures, printed as soon as they are known (the alert run comes after)."""
    if not VERBOSE:
        return
    data = out["data"]
    print(
        f"listings {data['listings']:,} ({data['visible']:,} online): insert {data['insert_s']} s, "
        f"indexes {data.get('indexes_s', '-')} s, analyze {data['analyze_s']} s"
    )
    print(f"load average {out['load_before']:.1f} before, {out['load_after']:.1f} after")
    for name in ("radius", "bounds", "facets"):
        idx, seq = out[name], out[f"seq_{name}"]
        print(
            f"{name:7} p50 {idx['p50_ms']:8.1f} ms  p95 {idx['p95_ms']:8.1f} ms  (n={idx['n']})   "
            f"seq scan p50 {seq['p50_ms']:9.1f} ms p95 {seq['p95_ms']:9.1f} ms (n={seq['n']})  "
            f"x{out[f'ratio_{name}']}"
        )
    for name, lines in out["plans"].items():
        print(f"--- plan: {name}")
        print("\n".join(lines[:40]))
    sys.stdout.flush()


def report_alerts(out: dict) -> None:
    a = out["alerts"]
    s = a["stats"]
    print(
        f"alerts  {a['saved']:,} saved searches ({a['distinct_criteria']} distinct criteria): {a['seconds']} s "
        f"(searches {s['search_s']} s, send_many {s['send_s']} s), {s['queries']} searches run, "
        f"{s['messages']:,} messages, {s['listings']:,} listings; re-run {a['rerun_messages']} messages in "
        f"{a['rerun_s']} s; load after {out['load_after_alerts']:.1f}"
    )
    if a["delivery"]:
        d = a["delivery"]
        print(
            f"delivery  one solo worker: the {d['queued']:,} queued messages in {d['seconds']} s = "
            f"{d['per_s']}/s; messages by channel and status {d['by_status']}"
        )


if __name__ == "__main__":
    sys.exit(main())
