"""Invest's settings, beat entries, task routes, throttle rates and OpenAPI enum names.

Read by apps.core.conf.assemble before Django starts: no models, no Django settings here."""

from celery.schedules import crontab

from apps.core.conf import env

BEAT_SCHEDULE: dict = {}

# --- the partners (SGI for BRVM shares, SGO for funds): one client per partner row, chosen by
# the row's `provider` ("sandbox" or "http"). The embedded default has one labelled sandbox
# partner; production refuses it (production_problems below).
# The HTTP partner API (docs/invest.md « Partner API »): base URL, key and the callback secret
# are per partner row in the admin; these are the transport's limits.
INVEST_PARTNER_TIMEOUT_SECONDS = env.float("INVEST_PARTNER_TIMEOUT_SECONDS", default=10.0)
# A callback signed more than this long ago is refused (replays of old callbacks).
INVEST_CALLBACK_TOLERANCE_SECONDS = env.int("INVEST_CALLBACK_TOLERANCE_SECONDS", default=300)
# Allow the sandbox partner and the sandbox market data (the embedded default and tests).
INVEST_ALLOW_SANDBOX = env.bool("INVEST_ALLOW_SANDBOX", default=True)

# --- market data (NAVs and closing prices): "sandbox" (a deterministic walk from the last
# price, labelled), "file" (a CSV `code,date,price` dropped at INVEST_MARKET_DATA_PATH) or
# "http" (GET <INVEST_MARKET_DATA_URL>/v1/quotes?date=YYYY-MM-DD).
INVEST_MARKET_DATA = env.str("INVEST_MARKET_DATA", default="sandbox")
INVEST_MARKET_DATA_PATH = env.str("INVEST_MARKET_DATA_PATH", default="")
INVEST_MARKET_DATA_URL = env.str("INVEST_MARKET_DATA_URL", default="")
INVEST_MARKET_DATA_KEY = env.str("INVEST_MARKET_DATA_KEY", default="")
INVEST_MARKET_DATA_TIMEOUT_SECONDS = env.float("INVEST_MARKET_DATA_TIMEOUT_SECONDS", default=20.0)

# --- orders ---
# The smallest subscription (« start with 5,000 FCFA »); a product may ask more.
INVEST_MIN_ORDER = env.int("INVEST_MIN_ORDER", default=5_000)
# A subscription or buy holding more than this asks identity's step-up (an SMS code, or the
# app's second factor), as a P2P transfer above WALLET_P2P_STEP_UP_ABOVE does.
INVEST_STEP_UP_ABOVE = env.int("INVEST_STEP_UP_ABOVE", default=100_000)
# The rent-first rule looks this many days ahead for rent dues and HokweSplit instalments.
INVEST_RENT_RESERVE_DAYS = env.int("INVEST_RENT_RESERVE_DAYS", default=35)
# The timezone of cut-off times and NAV dates (the BRVM and the SGOs work on Abidjan time).
INVEST_MARKET_TIMEZONE = env.str("INVEST_MARKET_TIMEZONE", default="Africa/Abidjan")

# --- the daily runs ---
BEAT_SCHEDULE["invest.market_data"] = {"task": "invest.market_data", "schedule": crontab(hour=19, minute=0)}
BEAT_SCHEDULE["invest.poll_orders"] = {"task": "invest.poll_orders", "schedule": crontab(minute="*/15")}
BEAT_SCHEDULE["invest.valuation"] = {"task": "invest.valuation", "schedule": crontab(hour=20, minute=0)}
BEAT_SCHEDULE["invest.settle"] = {"task": "invest.settle", "schedule": crontab(hour=6, minute=0)}
BEAT_SCHEDULE["invest.plans"] = {"task": "invest.plans", "schedule": crontab(hour=8, minute=0)}
BEAT_SCHEDULE["invest.reconcile"] = {"task": "invest.reconcile", "schedule": crontab(hour=7, minute=0)}


def production_problems(settings: dict) -> list[str]:
    problems = []
    if settings.get("INVEST_ALLOW_SANDBOX", True):
        problems.append(
            "INVEST_ALLOW_SANDBOX must be false in production: the sandbox partner executes nothing real"
        )
    source = (settings.get("INVEST_MARKET_DATA") or "sandbox").strip().lower()
    if source == "sandbox":
        problems.append("INVEST_MARKET_DATA must be file or http in production, not the sandbox")
    elif source == "http" and not settings.get("INVEST_MARKET_DATA_URL"):
        problems.append("INVEST_MARKET_DATA_URL is empty: the NAVs and prices come from it")
    elif source == "file" and not settings.get("INVEST_MARKET_DATA_PATH"):
        problems.append("INVEST_MARKET_DATA_PATH is empty: the NAVs and prices come from that file")
    return problems


# --- the app's surfaces: OpenAPI enum names (choice sets sharing a field name) ---
OPENAPI_ENUMS = {
    **globals().get("OPENAPI_ENUMS", {}),
    "InvestProductKindEnum": "apps.invest.rest.serializers.KINDS",
    "InvestOrderSideEnum": "apps.invest.rest.serializers.SIDES",
    "InvestOrderStatusEnum": "apps.invest.rest.serializers.ORDER_STATUSES",
    "InvestPlanStatusEnum": "apps.invest.rest.serializers.PLAN_STATUSES",
    "InvestProfileEnum": "apps.invest.rest.serializers.PROFILES",
    "InvestPartnerKindEnum": "apps.invest.rest.serializers.PARTNER_KINDS",
    # kyc's document side keeps its name: invest's order `side` would otherwise collide with it
    "SideEnum": "apps.kyc.models.Document.Side",
}
