"""Ads' settings, beat entries, task routes, throttle rates and OpenAPI enum names.

Read by apps.core.conf.assemble before Django starts: no models, no Django settings here.
Each part appends its own block under a `# --- <part> ---` comment."""

from apps.core.conf import env

BEAT_SCHEDULE: dict = {}


# --- advertising: delivery, beacons, charging ---
# Where campaign state, budgets and counters live while delivering: "redis" (a Lua script
# decides and decrements atomically), "db" (PostgreSQL/SQLite rows under a lock: the embedded
# default and the benchmark's baseline), or "" (redis when the cache is Redis, else db).
ADS_DELIVERY_STORE = env("ADS_DELIVERY_STORE", default="")
# Even pacing: by a moment of the day a campaign may have spent its daily budget × the
# fraction of the day gone, plus one interval of slack.
ADS_PACING_INTERVAL_SECONDS = env.int("ADS_PACING_INTERVAL_SECONDS", default=300)
# An impression's beacon may be sent this long after the ad was delivered.
ADS_BEACON_TTL_SECONDS = env.int("ADS_BEACON_TTL_SECONDS", default=3600)
# One viewer's impressions (clicks) of one campaign count once per window.
ADS_DEDUP_WINDOW_SECONDS = env.int("ADS_DEDUP_WINDOW_SECONDS", default=1800)
# A viewer sending more beacons than this per minute is a robot: nothing of theirs counts.
ADS_VIEWER_BEACONS_PER_MINUTE = env.int("ADS_VIEWER_BEACONS_PER_MINUTE", default=60)
# User agents never counted (case-insensitive substrings); an empty user agent is not counted.
ADS_BOT_USER_AGENTS = env.list(
    "ADS_BOT_USER_AGENTS",
    default=[
        "bot", "crawl", "spider", "slurp", "headless", "phantomjs", "python-requests", "python-httpx",
        "curl/", "wget/", "go-http-client", "java/", "okhttp/2", "scrapy", "facebookexternalhit",
        "lighthouse", "pingdom", "uptime", "monitor",
    ],
)
# Conversions (an inquiry, a booked visit, an application) go to the last click within these days.
ADS_ATTRIBUTION_DAYS = env.int("ADS_ATTRIBUTION_DAYS", default=7)
# Sponsored listings shown at the top of a market search page.
ADS_MARKET_SLOTS = env.int("ADS_MARKET_SLOTS", default=2)
# Smallest bids and top-up (minor units of XOF).
ADS_MIN_CPM = env.int("ADS_MIN_CPM", default=500)
ADS_MIN_CPC = env.int("ADS_MIN_CPC", default=25)
ADS_MIN_TOPUP = env.int("ADS_MIN_TOPUP", default=1_000)
ADS_MAX_TOPUP = env.int("ADS_MAX_TOPUP", default=5_000_000)
# Banners: at most this many bytes and pixels on a side.
ADS_IMAGE_MAX_BYTES = env.int("ADS_IMAGE_MAX_BYTES", default=512 * 1024)
ADS_IMAGE_MAX_SIDE = env.int("ADS_IMAGE_MAX_SIDE", default=2400)
# Words that send a creative to staff with a flag (compared without accents or case).
ADS_FLAGGED_WORDS = env.list(
    "ADS_FLAGGED_WORDS",
    default=["western union", "moneygram", "paiement avant visite", "garanti 100", "sans visite", "crypto"],
)
# Hokwe's organization that receives top-ups and ad revenue (created on first use).
ADS_ORGANIZATION_NAME = env("ADS_ORGANIZATION_NAME", default="Hokwe Ads")

BEAT_SCHEDULE["ads.sync"] = {"task": "ads.sync", "schedule": 60.0}
OPENAPI_ENUMS = {
    **globals().get("OPENAPI_ENUMS", {}),
    "AdsPricingEnum": "apps.ads.contracts.Pricing",
    "AdsPlacementEnum": "apps.ads.contracts.Placement",
}
