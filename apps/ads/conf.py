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
        "bot",
        "crawl",
        "spider",
        "slurp",
        "headless",
        "phantomjs",
        "python-requests",
        "python-httpx",
        "curl/",
        "wget/",
        "go-http-client",
        "java/",
        "okhttp/2",
        "scrapy",
        "facebookexternalhit",
        "lighthouse",
        "pingdom",
        "uptime",
        "monitor",
    ],
)
# Conversions (an inquiry, a booked visit, an application) go to the last click within these days.
ADS_ATTRIBUTION_DAYS = env.int("ADS_ATTRIBUTION_DAYS", default=7)
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


# --- creators: HokweCreatorStudio (jobs for photographers, videographers, influencers) ---
# Deliverables: at most this many bytes (a photo; a video, before transcoding). A video upload
# is also bounded by MAX_UPLOAD_BYTES (the whole multipart body) and CLAMD_MAX_BYTES (scanned).
ADS_CREATOR_PHOTO_MAX_BYTES = env.int("ADS_CREATOR_PHOTO_MAX_BYTES", default=8 * 1024 * 1024)
ADS_CREATOR_VIDEO_MAX_BYTES = env.int("ADS_CREATOR_VIDEO_MAX_BYTES", default=9 * 1024 * 1024)
# Videos longer than this are refused at transcoding (the deliverable is marked failed).
ADS_CREATOR_VIDEO_MAX_SECONDS = env.int("ADS_CREATOR_VIDEO_MAX_SECONDS", default=180)
# Debian's ffmpeg/ffprobe (scripts/setup.d/37-ffmpeg.sh, the Dockerfile's runtime stage).
ADS_FFMPEG_PATH = env("ADS_FFMPEG_PATH", default="ffmpeg")
ADS_FFPROBE_PATH = env("ADS_FFPROBE_PATH", default="ffprobe")
ADS_FFMPEG_TIMEOUT_SECONDS = env.int("ADS_FFMPEG_TIMEOUT_SECONDS", default=600)
# The web version's longest side (never enlarged).
ADS_CREATOR_VIDEO_MAX_SIDE = env.int("ADS_CREATOR_VIDEO_MAX_SIDE", default=1280)
# Deliverables per job, and the smallest job price (XOF minor units).
ADS_CREATOR_MAX_DELIVERABLES = env.int("ADS_CREATOR_MAX_DELIVERABLES", default=40)
ADS_CREATOR_MIN_PRICE = env.int("ADS_CREATOR_MIN_PRICE", default=1_000)
# Earnings left on a creator's account (revenue shares, a payout that failed) are paid out by
# the daily run once they reach this amount.
ADS_CREATOR_PAYOUT_MIN = env.int("ADS_CREATOR_PAYOUT_MIN", default=500)
# Where the links in the creators' and agencies' messages point (no trailing slash).
ADS_CREATORS_BASE_URL = env("ADS_CREATORS_BASE_URL", default="https://hokwe.com")

from celery.schedules import crontab as _creators_crontab  # noqa: E402

# yesterday's revenue shares, then the creators' pending payouts (services/creators.py)
BEAT_SCHEDULE["ads.creator_shares"] = {
    "task": "ads.creator_shares",
    "schedule": _creators_crontab(hour=3, minute=20),
}


# --- social: Facebook / Instagram through the Graph API (docs/ads.md, "Social") ---
# The Facebook app Hokwe connects pages with (developers.facebook.com). Without an app id the
# labelled sandbox network answers (the embedded default); prod refuses the sandbox.
ADS_FACEBOOK_APP_ID = env("ADS_FACEBOOK_APP_ID", default="")
ADS_FACEBOOK_APP_SECRET = env("ADS_FACEBOOK_APP_SECRET", default="")
ADS_GRAPH_URL = env("ADS_GRAPH_URL", default="https://graph.facebook.com")
ADS_FACEBOOK_DIALOG_URL = env("ADS_FACEBOOK_DIALOG_URL", default="https://www.facebook.com")
ADS_GRAPH_VERSION = env("ADS_GRAPH_VERSION", default="v21.0")
# "graph", "sandbox", "none" (social advertising switched off: the pages say so), or ""
# (graph when ADS_FACEBOOK_APP_ID is set, else sandbox).
ADS_SOCIAL_NETWORK = env("ADS_SOCIAL_NETWORK", default="")
ADS_SOCIAL_HTTP_TIMEOUT_SECONDS = env.float("ADS_SOCIAL_HTTP_TIMEOUT_SECONDS", default=15.0)
# What the OAuth dialog asks for: list the pages, post on them and on Instagram, read the
# results, create ads on the advertiser's own ad account (boosts).
ADS_SOCIAL_SCOPES = env.list(
    "ADS_SOCIAL_SCOPES",
    default=[
        "pages_show_list",
        "pages_read_engagement",
        "pages_manage_posts",
        "read_insights",
        "instagram_basic",
        "instagram_content_publish",
        "ads_management",
        "business_management",
    ],
)
# A connection link (the OAuth `state`) is valid this long, once.
ADS_SOCIAL_STATE_TTL_SECONDS = env.int("ADS_SOCIAL_STATE_TTL_SECONDS", default=900)
# Where a boost is shown (ISO country codes; housing ads: countries or wide areas only).
ADS_SOCIAL_BOOST_COUNTRIES = env.list("ADS_SOCIAL_BOOST_COUNTRIES", default=["BJ"])
# A network call taken longer ago than this without an answer is given up (the post failed:
# check the page before trying again).
ADS_SOCIAL_STALE_MINUTES = env.int("ADS_SOCIAL_STALE_MINUTES", default=30)
# Results are imported back every few hours, for posts of the last days.
ADS_SOCIAL_IMPORT_DAYS = env.int("ADS_SOCIAL_IMPORT_DAYS", default=30)
BEAT_SCHEDULE["ads.social_import"] = {"task": "ads.social_import", "schedule": 3 * 3600.0}

_social_previous_problems = globals().get("production_problems")


def production_problems(settings: dict) -> list[str]:
    problems = list(_social_previous_problems(settings)) if callable(_social_previous_problems) else []
    network = (settings.get("ADS_SOCIAL_NETWORK") or "").strip().lower()
    if network == "none":
        return problems
    if network == "sandbox" or (not network and not settings.get("ADS_FACEBOOK_APP_ID")):
        problems.append(
            "ADS_SOCIAL_NETWORK must not be the sandbox: set ADS_FACEBOOK_APP_ID and its secret, or none"
        )
    elif not settings.get("ADS_FACEBOOK_APP_SECRET") or not settings.get("ADS_FACEBOOK_APP_ID"):
        problems.append("ADS_FACEBOOK_APP_SECRET is empty: the Graph API needs the app secret")
    return problems


# Absolute base of the beacon and media URLs the API returns (the apps need absolute ones);
# empty: paths.
ADS_PUBLIC_BASE_URL = env("ADS_PUBLIC_BASE_URL", default="")
EARLY_RESPONDERS = ["apps.ads.web.early.impression_beacon"]
THROTTLE_RATES: dict = globals().get("THROTTLE_RATES", {})
THROTTLE_RATES["ads.serve"] = env("THROTTLE_ADS_SERVE", default="600/min")
# The manager site's base, for the links in the messages advertisers receive.
ADS_MANAGER_BASE_URL = env("ADS_MANAGER_BASE_URL", default="https://manager.hokwe.com")
