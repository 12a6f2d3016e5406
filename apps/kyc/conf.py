"""KYC and business verification settings: keys, files, providers, limits.

Read by `apps.core.conf.assemble` into the settings before Django starts (no models here).
docs/kyc.md lists every variable."""

from apps.core.conf import env

# The master keys of the documents' encryption are the platform's HOKWE_MASTER_KEYS
# (hokwe/settings/base.py, apps/core/crypto.py); the KYC_MASTER_KEYS variable still sets them.
KYC_PROVIDER = env("KYC_PROVIDER", default="manual")  # manual | smile_id | onfido
KYC_STORAGE_ALIAS = env("KYC_STORAGE_ALIAS", default="default")  # a key of STORAGES
KYC_MAX_UPLOAD_BYTES = env.int("KYC_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
KYC_MAX_IMAGE_PIXELS = env.int("KYC_MAX_IMAGE_PIXELS", default=40_000_000)  # decompression-bomb guard
KYC_IMAGE_MAX_SIDE = env.int("KYC_IMAGE_MAX_SIDE", default=3000)  # re-encoded images are scaled down to this
KYC_SIGNED_URL_TTL_SECONDS = env.int("KYC_SIGNED_URL_TTL_SECONDS", default=300)
KYC_RETENTION_DAYS = env.int("KYC_RETENTION_DAYS", default=3650)  # after account closure (AML: 10 years)
KYC_DEFAULT_COUNTRY = env("KYC_DEFAULT_COUNTRY", default="BJ")  # when a phone number has no region
KYC_HTTP_TIMEOUT_SECONDS = env.float("KYC_HTTP_TIMEOUT_SECONDS", default=15.0)
KYC_CALLBACK_TOLERANCE_SECONDS = env.int("KYC_CALLBACK_TOLERANCE_SECONDS", default=3600)
# Limits per country ("*" = any) and tier, in minor units; compliance staff override them in
# the admin (TierLimit). BCEAO instruction n°008-05-2015 art. 31: an identified client holds
# at most 2 000 000 FCFA and reloads at most 10 000 000 FCFA a month (tier 2 below); tiers 0
# and 1 are Hokwe's own, lower, risk-based limits.
KYC_LIMITS = env.json(
    "KYC_LIMITS",
    default={
        "*": {
            "currency": "XOF",
            "0": {
                "max_balance": 200_000,
                "monthly_inflow": 500_000,
                "single_transaction": 100_000,
                "daily_outflow": 100_000,
            },
            "1": {
                "max_balance": 1_000_000,
                "monthly_inflow": 5_000_000,
                "single_transaction": 500_000,
                "daily_outflow": 500_000,
            },
            "2": {
                "max_balance": 2_000_000,
                "monthly_inflow": 10_000_000,
                "single_transaction": 2_000_000,
                "daily_outflow": 2_000_000,
            },
        }
    },
)
# live: https://api.smileidentity.com/v1
SMILE_ID_BASE_URL = env("SMILE_ID_BASE_URL", default="https://testapi.smileidentity.com/v1")
SMILE_ID_PARTNER_ID = env("SMILE_ID_PARTNER_ID", default="")
SMILE_ID_API_KEY = env("SMILE_ID_API_KEY", default="")
SMILE_ID_CALLBACK_URL = env("SMILE_ID_CALLBACK_URL", default="")  # https://…/api/v1/kyc/callbacks/smile-id
ONFIDO_BASE_URL = env("ONFIDO_BASE_URL", default="https://api.eu.onfido.com/v3.6")  # or api.us / api.ca
ONFIDO_API_TOKEN = env("ONFIDO_API_TOKEN", default="")
ONFIDO_WEBHOOK_TOKEN = env("ONFIDO_WEBHOOK_TOKEN", default="")

BEAT_SCHEDULE = {
    "kyc.expire_documents": {"task": "kyc.expire_documents", "schedule": 86400.0},
    "kyc.purge_closed_accounts": {"task": "kyc.purge_closed_accounts", "schedule": 86400.0},
    "kyc.refresh_provider_checks": {"task": "kyc.refresh_provider_checks", "schedule": 900.0},
}


def production_problems(settings: dict) -> list[str]:
    problems = []  # the master keys: hokwe/settings/prod.py (HOKWE_MASTER_KEYS)
    provider = settings["KYC_PROVIDER"]
    if provider == "smile_id" and not (
        settings["SMILE_ID_PARTNER_ID"] and settings["SMILE_ID_API_KEY"] and settings["SMILE_ID_CALLBACK_URL"]
    ):
        problems.append(
            "KYC_PROVIDER=smile_id needs SMILE_ID_PARTNER_ID, SMILE_ID_API_KEY and SMILE_ID_CALLBACK_URL"
        )
    if provider == "onfido" and not (settings["ONFIDO_API_TOKEN"] and settings["ONFIDO_WEBHOOK_TOKEN"]):
        problems.append("KYC_PROVIDER=onfido needs ONFIDO_API_TOKEN and ONFIDO_WEBHOOK_TOKEN")
    return problems


# --- transaction monitoring (AML): docs/kyc.md "Transaction monitoring" -------------------------
# Rules evaluated when payments hands a transaction over (after commit). Amounts in minor units
# per currency ("*" for any currency without its own entry; a rule without an entry for the
# currency is skipped). Windows in hours. severity: low | medium | high. Validated by
# `manage.py check` (kyc.E010).
KYC_MONITORING_ENABLED = env.bool("KYC_MONITORING_ENABLED", default=True)
KYC_MONITORING_RULES = env.json(
    "KYC_MONITORING_RULES",
    default={
        # more than max_count transactions paid by one payer within window_hours
        "velocity": {"enabled": True, "max_count": 10, "window_hours": 24, "severity": "medium"},
        # one transaction at or above the threshold
        "large_amount": {"enabled": True, "thresholds": {"XOF": 5_000_000}, "severity": "high"},
        # at least min_count payments by one payer within window_hours, each within margin_percent
        # under a cap (a reporting threshold or a limit), together above that cap
        "structuring": {
            "enabled": True,
            "caps": {"XOF": [2_000_000, 5_000_000]},
            "margin_percent": 10,
            "min_count": 3,
            "window_hours": 72,
            "severity": "high",
        },
        # more than max_payers distinct payer phones into one organization account within window_hours
        "many_payers": {"enabled": True, "max_payers": 30, "window_hours": 24, "severity": "medium"},
        # a payout after collections from at least min_new_payers payers first seen less than
        # new_payer_days ago, within window_hours before the payout
        "payout_after_collections": {
            "enabled": True,
            "min_new_payers": 10,
            "new_payer_days": 30,
            "window_hours": 48,
            "severity": "high",
        },
    },
)
