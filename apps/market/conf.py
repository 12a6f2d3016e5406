"""Market's settings, beat entries, task routes, throttle rates and OpenAPI enum names.

Read by apps.core.conf.assemble before Django starts: no models, no Django settings here."""

from apps.core.conf import env

BEAT_SCHEDULE: dict = {}


# --- listings ---
from celery.schedules import crontab as _listings_crontab  # noqa: E402

# How long a published listing stays online before it expires (the owner publishes it again).
MARKET_LISTING_DAYS = env.int("MARKET_LISTING_DAYS", default=90)
# The KYC tier an independent owner (no organization) needs to offer a listing: 1, an ID
# document verified (kyc.Tier.IDENTITY), the tier lending's products and a landlord's payouts ask.
MARKET_INDEPENDENT_KYC_TIER = env.int("MARKET_INDEPENDENT_KYC_TIER", default=1)
# A listing's GPS must fall inside its country's box: (lat_min, lat_max, lon_min, lon_max),
# each country's land with a small margin. A country without a box is not checked.
MARKET_COUNTRY_BOUNDS = {
    "BJ": (6.1, 12.5, 0.6, 3.9),
    "CI": (4.2, 10.8, -8.7, -2.4),
    "TG": (6.0, 11.2, -0.2, 1.9),
    "SN": (12.2, 16.8, -17.6, -11.3),
    "BF": (9.3, 15.1, -5.6, 2.5),
    "ML": (10.1, 25.1, -12.3, 4.3),
    "NE": (11.6, 23.6, 0.1, 16.1),
    "GW": (10.8, 12.7, -16.8, -13.6),
}
# Words that send a listing to the moderation queue (compared without accents or case).
MARKET_FORBIDDEN_WORDS = env.list(
    "MARKET_FORBIDDEN_WORDS",
    default=[
        "western union",
        "moneygram",
        "paiement avant visite",
        "payer avant la visite",
        "sans visite",
        "interdit aux etrangers",
        "pas d'etrangers",
        "ethnie",
    ],
)
# Price rules: refused above MAX_MEDIAN_RATIO × the area median; flagged outside
# [median / FLAG_RATIO, median × FLAG_RATIO] when no estimator is registered; the median is
# only trusted with MEDIAN_MIN_SAMPLE published listings of the same purpose, kind and city.
MARKET_PRICE_MAX_MEDIAN_RATIO = env.int("MARKET_PRICE_MAX_MEDIAN_RATIO", default=100)
MARKET_PRICE_FLAG_RATIO = env.int("MARKET_PRICE_FLAG_RATIO", default=3)
MARKET_MEDIAN_MIN_SAMPLE = env.int("MARKET_MEDIAN_MIN_SAMPLE", default=3)
# Two photos whose 64-bit dHash differ in at most this many bits are the same photo.
MARKET_PHOTO_HASH_DISTANCE = env.int("MARKET_PHOTO_HASH_DISTANCE", default=6)
MARKET_PHOTO_MAX_BYTES = env.int("MARKET_PHOTO_MAX_BYTES", default=10 * 1024 * 1024)
MARKET_PHOTO_MAX_PIXELS = env.int("MARKET_PHOTO_MAX_PIXELS", default=40_000_000)
MARKET_PHOTOS_PER_LISTING = env.int("MARKET_PHOTOS_PER_LISTING", default=20)

BEAT_SCHEDULE["market.listings_expire"] = {
    "task": "market.listings_expire",
    "schedule": _listings_crontab(hour=2, minute=15),
}


# --- applications and local services ---
MARKET_PROVIDER_MIN_KYC_TIER = env.int("MARKET_PROVIDER_MIN_KYC_TIER", default=1)
MARKET_PROVIDER_MAX_PHOTOS = env.int("MARKET_PROVIDER_MAX_PHOTOS", default=8)
OPENAPI_ENUMS = {
    **globals().get("OPENAPI_ENUMS", {}),
    "MarketTradeEnum": "apps.market.models.providers.Trade",
}


# --- search ---
from celery.schedules import crontab as _search_crontab  # noqa: E402

# A radius is capped at this many metres (a larger one is no longer a "nearby" search).
MARKET_MAX_RADIUS_M = env.int("MARKET_MAX_RADIUS_M", default=50_000)
# A dotted path to a SearchBackend class (services/search.py), e.g. an OpenSearch backend;
# empty: PostgreSQL's on PostgreSQL, the simple one on SQLite.
MARKET_SEARCH_BACKEND = env("MARKET_SEARCH_BACKEND", default="")
# The simple (SQLite) backend reads at most this many candidate rows per query.
MARKET_SIMPLE_SEARCH_SCAN = env.int("MARKET_SIMPLE_SEARCH_SCAN", default=5_000)
# PostgreSQL: sorted by relevance, how many matches are ranked (the nearest around a point, else
# the newest); around a point, how many listings a page walks nearest first before it reads
# every match by the full text and the cells instead (docs/market.md, "How it is built").
MARKET_RELEVANCE_POOL = env.int("MARKET_RELEVANCE_POOL", default=200)
MARKET_SEARCH_WALK_ROWS = env.int("MARKET_SEARCH_WALK_ROWS", default=5_000)
# PostgreSQL: facets are counted exactly up to this many matches (as a sixteenth of them,
# counted first, stands for); up to 4× as many over a quarter of them, beyond over that
# sixteenth, scaled (Facets.exact false, «≈»): at least a quarter of this many sampled
MARKET_FACETS_EXACT_UP_TO = env.int("MARKET_FACETS_EXACT_UP_TO", default=2_000)
# PostgreSQL: the search's and the facets' statements run with this work_mem (SET LOCAL, their
# transaction only): the bitmaps of a common word and of a city's cells stay exact, not lossy
# pages whose every row is checked again (docs/performance.md, "HokweSearch")
MARKET_SEARCH_WORK_MEM = env("MARKET_SEARCH_WORK_MEM", default="32MB")
# Saved-search alerts: listings per message at most, searches per user, the link base.
MARKET_ALERT_MAX_LISTINGS = env.int("MARKET_ALERT_MAX_LISTINGS", default=5)
MARKET_SAVED_SEARCHES_PER_USER = env.int("MARKET_SAVED_SEARCHES_PER_USER", default=20)
MARKET_PUBLIC_BASE_URL = env("MARKET_PUBLIC_BASE_URL", default="https://market.hokwe.com")
# The market website's and the booking web app's host names (apps/core/hosts.py; the gateway
# in deploy/ moves their root the same way).
HOSTS = {"market.hokwe.com": "/market/", "booking.hokwe.com": "/booking/"}
# Recently viewed: kept per user.
MARKET_RECENT_VIEWS_KEPT = env.int("MARKET_RECENT_VIEWS_KEPT", default=50)
BEAT_SCHEDULE["market.search_alerts"] = {
    "task": "market.search_alerts",
    "schedule": _search_crontab(hour=7, minute=0),
}
THROTTLE_RATES: dict = globals().get("THROTTLE_RATES", {})
# the anonymous search API (REST and its GraphQL fields), per IP
THROTTLE_RATES["market.search"] = env("THROTTLE_MARKET_SEARCH", default="60/min")
# the saved searches' alert channels in the OpenAPI schema ("channel" collides with others')
OPENAPI_ENUMS = {
    **globals().get("OPENAPI_ENUMS", {}),
    "MarketSavedSearchChannelEnum": "apps.market.rest.serializers_search.SAVED_SEARCH_CHANNELS",
}


# --- public pages ---
# The map tiles of /market/ (Leaflet): OpenStreetMap's tile server by default; a deployment with
# its own tile server (or a paid one) sets both. Its host is added to the img-src of the pages
# that show a map (web/public.py); empty: maps without tiles (markers only).
MARKET_TILE_URL = env("MARKET_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MARKET_TILE_ATTRIBUTION = env(
    "MARKET_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
# URLs per sitemap page (the protocol's limit is 50,000); above it /market/sitemap.xml is an index
MARKET_SITEMAP_PAGE_SIZE = env.int("MARKET_SITEMAP_PAGE_SIZE", default=50_000)


# --- visits ---
# Links in the visit SMS (the booking web app's address, no trailing slash).
MARKET_BOOKING_BASE_URL = env("MARKET_BOOKING_BASE_URL", default="https://booking.hokwe.com")
# One reminder per visit: the day before (when booked earlier), else about 2 h before.
MARKET_VISIT_REMINDER_DAY_HOURS = env.int("MARKET_VISIT_REMINDER_DAY_HOURS", default=24)
MARKET_VISIT_REMINDER_SHORT_HOURS = env.int("MARKET_VISIT_REMINDER_SHORT_HOURS", default=2)
# How many weeks a weekly series of slots may repeat.
MARKET_VISIT_MAX_REPEAT_WEEKS = env.int("MARKET_VISIT_MAX_REPEAT_WEEKS", default=12)
BEAT_SCHEDULE["market.visit_reminders"] = {"task": "market.visit_reminders", "schedule": 900.0}
THROTTLE_RATES: dict = globals().get("THROTTLE_RATES", {})
# booking a visit: per client (the user, else the IP), on REST, GraphQL and the pages
THROTTLE_RATES["market.book"] = env("THROTTLE_MARKET_BOOK", default="10/h")
# reading or changing a booking by its code (REST, GraphQL), per client
THROTTLE_RATES["market.code"] = env("THROTTLE_MARKET_CODE", default="60/h")
# the booking web app's pages (/booking/…) per IP
THROTTLE_RATES["pages.booking"] = env("THROTTLE_BOOKING_PAGES", default="60/min")
THROTTLE_RULES: list = globals().get("THROTTLE_RULES", [])
THROTTLE_RULES += [(r"^/booking/", ("GET", "POST"), "pages.booking", "ip")]

# the listing kinds' OpenAPI enum (listings' and search's bodies share it)
OPENAPI_ENUMS = {
    **globals().get("OPENAPI_ENUMS", {}),
    "MarketListingKindEnum": "apps.market.contracts.LISTING_KIND_VALUES",
}


# --- search: sponsored listings ---
# Sponsored listings (a registered source's: ads) shown above a search's first page; 0: none.
MARKET_SPONSORED_SLOTS = env.int("MARKET_SPONSORED_SLOTS", default=2)
