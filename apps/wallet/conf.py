"""The wallet's settings (wallet, Cotis'Hokwe, HokweSplit, safeguarding). Read by
`apps.core.conf.assemble` before Django starts (no models here). Each part appends its block."""

import environ

env = environ.Env()

BEAT_SCHEDULE: dict = {}


def production_problems(settings: dict) -> list[str]:
    return []


# --- safeguarding: the daily report (one per day and currency; idempotent per day) ---
from celery.schedules import crontab  # noqa: E402

BEAT_SCHEDULE["wallet.safeguarding_daily"] = {
    "task": "wallet.safeguarding_daily",
    "schedule": crontab(hour=23, minute=50),
}


# --- HokweSplit: the daily run (auto-debits, MoMo requests, shortfall alerts, due dates) ---
from celery.schedules import crontab as _split_crontab  # noqa: E402

WALLET_SPLIT_STREAK_LENGTH = env.int("WALLET_SPLIT_STREAK_LENGTH", default=4)  # on time in a row
WALLET_SPLIT_SHORTFALL_ALERT_DAYS = env.int("WALLET_SPLIT_SHORTFALL_ALERT_DAYS", default=3)
WALLET_SPLIT_EARLY_WITHDRAWAL_FEE_BPS = env.int("WALLET_SPLIT_EARLY_WITHDRAWAL_FEE_BPS", default=200)  # 2 %
WALLET_SPLIT_BATCH = env.int("WALLET_SPLIT_BATCH", default=5000)  # auto-debits per ledger batch
BEAT_SCHEDULE["wallet.split_daily"] = {
    "task": "wallet.split_daily",
    "schedule": _split_crontab(hour=6, minute=15),
}


# --- Cotis'Hokwe: the tontines' daily run (auto-debits, lateness, round close, payouts) ---
from celery.schedules import crontab as _tontine_crontab  # noqa: E402

WALLET_TONTINE_MAX_COMMISSION_BPS = env.int("WALLET_TONTINE_MAX_COMMISSION_BPS", default=300)  # 3 % cap
WALLET_TONTINE_MAX_DISCOUNT_BPS = env.int("WALLET_TONTINE_MAX_DISCOUNT_BPS", default=3000)  # a bid: 30 % max
WALLET_TONTINE_MAX_GRACE_DAYS = env.int("WALLET_TONTINE_MAX_GRACE_DAYS", default=7)
WALLET_TONTINE_BATCH = env.int("WALLET_TONTINE_BATCH", default=1000)  # groups per transaction
BEAT_SCHEDULE["wallet.tontine_daily"] = {
    "task": "wallet.tontine_daily",
    "schedule": _tontine_crontab(hour=6, minute=30),
}


# --- P2P transfers: step-up threshold, held money's claim period, the beat returning it ---
from celery.schedules import crontab as _p2p_crontab  # noqa: E402

WALLET_P2P_STEP_UP_ABOVE = env.int("WALLET_P2P_STEP_UP_ABOVE", default=50_000)  # minor units
# a rent paid from the wallet above this asks identity's step-up (page, REST and GraphQL alike)
WALLET_RENT_STEP_UP_ABOVE = env.int("WALLET_RENT_STEP_UP_ABOVE", default=50_000)  # minor units
WALLET_P2P_CLAIM_DAYS = env.int("WALLET_P2P_CLAIM_DAYS", default=7)  # a number with no account
WALLET_P2P_PREVIEW_TTL_SECONDS = env.int("WALLET_P2P_PREVIEW_TTL_SECONDS", default=600)
WALLET_P2P_SIGNUP_URL = env("WALLET_P2P_SIGNUP_URL", default="https://hokwe.com/app")  # the invitation SMS
BEAT_SCHEDULE["wallet.p2p_settle_held"] = {
    "task": "wallet.p2p_settle_held",
    "schedule": _p2p_crontab(minute=20),  # hourly
}
# a preview says whether a number has an account: limited per user (no directory harvesting)
THROTTLE_RATES: dict = globals().get("THROTTLE_RATES", {})
THROTTLE_RATES["wallet.p2p_preview"] = env("THROTTLE_WALLET_P2P_PREVIEW", default="30/min")


# --- wallet core: the e-money issuer, top-up fee, dormancy, statements ---
from celery.schedules import crontab as _core_crontab  # noqa: E402

# Top-ups are payment intents paid to Hokwe's own e-money issuer organization (created on first
# use by identity.platform_organization), credited to the user's wallet.
WALLET_ISSUER_NAME = env("WALLET_ISSUER_NAME", default="Hokwe Monnaie électronique")
WALLET_ISSUER_COUNTRY = env("WALLET_ISSUER_COUNTRY", default="BJ")
WALLET_TOPUP_FEE_BASIS_POINTS = env.int("WALLET_TOPUP_FEE_BASIS_POINTS", default=0)  # free top-ups
WALLET_TOPUP_FEE_FIXED = env.int("WALLET_TOPUP_FEE_FIXED", default=0)
WALLET_WITHDRAWAL_MIN = env.int("WALLET_WITHDRAWAL_MIN", default=500)  # minor units
WALLET_DORMANT_AFTER_DAYS = env.int("WALLET_DORMANT_AFTER_DAYS", default=365)
WALLET_STATEMENT_MAX_LINES = env.int("WALLET_STATEMENT_MAX_LINES", default=5000)  # CSV / PDF
BEAT_SCHEDULE["wallet.dormancy_daily"] = {
    "task": "wallet.dormancy_daily",
    "schedule": _core_crontab(hour=3, minute=40),
}

# OpenAPI enum names for choice sets that share a field name across the parts
OPENAPI_ENUMS = {
    "WalletSplitFrequencyEnum": "apps.wallet.contracts.SPLIT_FREQUENCIES",
    "WalletTontineFrequencyEnum": "apps.wallet.contracts.TONTINE_FREQUENCIES",
    # a HokweSplit plan's `withdrawal_rule` (lending's emergency fund has another)
    "WalletSplitWithdrawalRuleEnum": "apps.wallet.rest.serializers_split.WITHDRAWAL_RULES",
}
