"""Scoring's settings (score, screening, valuation, bureau). Read by
`apps.core.conf.assemble` before Django starts (no models here). Each part appends its block."""

import environ

env = environ.Env()

BEAT_SCHEDULE: dict = {}


def production_problems(settings: dict) -> list[str]:
    problems: list[str] = []
    problems += _bureau_problems(settings)
    return problems


# --- tenant screening ---
# The applicant's consent and the report are valid this many days (the report expires then).
SCORING_SCREENING_VALID_DAYS = env.int("SCORING_SCREENING_VALID_DAYS", default=30)
# A request not answered by the applicant within this many days can no longer be consented to.
SCORING_SCREENING_ANSWER_DAYS = env.int("SCORING_SCREENING_ANSWER_DAYS", default=14)
# OpenAPI names of the screening enums (unique across modules)
OPENAPI_ENUMS = globals().get("OPENAPI_ENUMS", {})
OPENAPI_ENUMS["ScoringScreeningStateEnum"] = "apps.scoring.rest.serializers_screening.STATES"
OPENAPI_ENUMS["ScoringScreeningRecommendationEnum"] = (
    "apps.scoring.rest.serializers_screening.RECOMMENDATIONS"
)
OPENAPI_ENUMS["ScoringScreeningDecisionEnum"] = "apps.scoring.rest.serializers_screening.DECISIONS"
BEAT_SCHEDULE["scoring.screening_purge"] = {"task": "scoring.screening_purge", "schedule": 24 * 3600}  # daily


# --- tenant side and bureau: disputes, bureau consent and the monthly positive-data report ---
from celery.schedules import crontab as _bureau_crontab  # noqa: E402

SCORING_DISPUTE_DAYS = env.int("SCORING_DISPUTE_DAYS", default=30)  # staff decide within this
# The providers the monthly report goes to: "file" (signed CSV, stored encrypted), "http"
# (the bureau's API, SCORING_BUREAU_API_URL). Empty (the default, until a data-provider
# agreement with the bureau is signed): no report; consents are still recorded.
SCORING_BUREAU_PROVIDERS = env.list("SCORING_BUREAU_PROVIDERS", default=[])
SCORING_BUREAU_MEMBER_CODE = env("SCORING_BUREAU_MEMBER_CODE", default="HOKWE-DEV")  # our data-provider code
# Ed25519 private key (base64 of the 32-byte seed) signing every export; the bureau checks with
# the public key (manage.py scoring_bureau --public-key prints it). The dev key is refused in prod.
SCORING_BUREAU_DEV_SIGNING_KEY = "ZGV2LW9ubHktaG9rd2UtYnVyZWF1LXNpZ25pbmcta2U="
SCORING_BUREAU_SIGNING_KEY = env("SCORING_BUREAU_SIGNING_KEY", default=SCORING_BUREAU_DEV_SIGNING_KEY)
SCORING_BUREAU_API_URL = env("SCORING_BUREAU_API_URL", default="")
SCORING_BUREAU_API_KEY = env("SCORING_BUREAU_API_KEY", default="")
SCORING_BUREAU_HTTP_TIMEOUT_SECONDS = env.float("SCORING_BUREAU_HTTP_TIMEOUT_SECONDS", default=30.0)
SCORING_BUREAU_CONSENT_VERSION = "2026-12"  # the consent text shown on the page (docs/scoring.md)
OPENAPI_ENUMS = globals().get("OPENAPI_ENUMS", {})
OPENAPI_ENUMS["ScoringDisputeStatusEnum"] = "apps.scoring.rest.serializers_score.DISPUTE_STATUSES"
OPENAPI_ENUMS["ScoringDisputeReasonEnum"] = "apps.scoring.rest.serializers_score.DISPUTE_REASONS"
OPENAPI_ENUMS["ScoringBandEnum"] = "apps.scoring.rest.serializers_score.BANDS"
OPENAPI_ENUMS["ScoringRentLineCodeEnum"] = "apps.scoring.rest.serializers_score.LINE_CODES"
BEAT_SCHEDULE["scoring.bureau_monthly"] = {
    "task": "scoring.bureau_monthly",
    "schedule": _bureau_crontab(day_of_month=5, hour=3, minute=10),  # the month before, once dues settled
}


def _bureau_problems(settings: dict) -> list[str]:
    problems = []
    providers = settings.get("SCORING_BUREAU_PROVIDERS") or []
    if providers and settings.get("SCORING_BUREAU_SIGNING_KEY") == SCORING_BUREAU_DEV_SIGNING_KEY:
        problems.append(
            "SCORING_BUREAU_SIGNING_KEY is the development key: bureau exports would be signed with it"
        )
    if "http" in providers and not (
        settings.get("SCORING_BUREAU_API_URL") and settings.get("SCORING_BUREAU_API_KEY")
    ):
        problems.append("SCORING_BUREAU_PROVIDERS has http but SCORING_BUREAU_API_URL / _API_KEY are not set")
    return problems


# --- HokweValuation: rent and sale price estimates per unit ---
# Comparables: leases agreed within this many months, within this radius (km) of the unit.
SCORING_VALUATION_COMPARABLE_MONTHS = env.int("SCORING_VALUATION_COMPARABLE_MONTHS", default=36)
SCORING_VALUATION_RADIUS_KM = env.float("SCORING_VALUATION_RADIUS_KM", default=3.0)
SCORING_VALUATION_COMPARABLES = env.int("SCORING_VALUATION_COMPARABLES", default=8)  # the k nearest kept
# Rent drift per year, when no model adjusts an older comparable's rent to today.
SCORING_VALUATION_ANNUAL_DRIFT = env.float("SCORING_VALUATION_ANNUAL_DRIFT", default=0.04)
# A model is refused (the previous stays) below this many training rows or above this held-out
# median absolute percentage error.
SCORING_VALUATION_MIN_ROWS = env.int("SCORING_VALUATION_MIN_ROWS", default=200)
SCORING_VALUATION_MAX_MDAPE = env.float("SCORING_VALUATION_MAX_MDAPE", default=0.25)
# Sale price = 12 x monthly rent / gross yield (no sale is recorded on the platform: a
# capitalisation, not a measured estimate). Yields per unit kind, in basis points.
SCORING_VALUATION_GROSS_YIELD_BPS = {
    "entrer_coucher": 1100,
    "chambre_salon": 1000,
    "studio": 950,
    "apartment": 850,
    "villa": 750,
    "shop": 1000,
    "office": 900,
}
SCORING_VALUATION_YIELD_SPREAD_BPS = env.int("SCORING_VALUATION_YIELD_SPREAD_BPS", default=150)


# --- the score's life: the cache, the nightly batch ---
from celery.schedules import crontab as _score_crontab  # noqa: E402

# The latest result per user is cached in Redis this long (the nightly batch refreshes it).
SCORING_CACHE_SECONDS = env.int("SCORING_CACHE_SECONDS", default=26 * 3600)
SCORING_NIGHTLY_CHUNK = env.int("SCORING_NIGHTLY_CHUNK", default=5000)  # users per set-based chunk
BEAT_SCHEDULE["scoring.rescore_all"] = {
    "task": "scoring.rescore_all",
    "schedule": _score_crontab(hour=2, minute=40),  # after the month-end run and recovery's daily run
}
OPENAPI_ENUMS = globals().get("OPENAPI_ENUMS", {})
OPENAPI_ENUMS["ScoringValuationMethodEnum"] = "apps.scoring.contracts.VALUATION_METHODS"


# --- the scorecard: fewer months of rent history than this is a thin file (no number) ---
SCORING_THIN_FILE_MONTHS = env.int("SCORING_THIN_FILE_MONTHS", default=6)
