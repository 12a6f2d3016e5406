"""Payments' settings: providers, routing, fees, payouts, schedules.

Read by `apps.core.conf.assemble` into the settings before Django starts (no models here).
docs/payments.md lists every variable."""

from celery.schedules import crontab

from apps.core.conf import env

PAYMENT_PROVIDERS = env.list("PAYMENT_PROVIDERS", default=["sandbox"])
# Routing: "method:country=provider;…" (country * = any). Unrouted methods use the first
# online provider of PAYMENT_PROVIDERS. Organizations override it in the admin.
PAYMENT_ROUTES = env("PAYMENT_ROUTES", default="")
PAYMENT_PAYOUT_PROVIDER = env("PAYMENT_PAYOUT_PROVIDER", default="sandbox")
PAYMENT_INTENT_TTL_HOURS = env.int("PAYMENT_INTENT_TTL_HOURS", default=72)
PAYMENT_FEE_BASIS_POINTS = env.int("PAYMENT_FEE_BASIS_POINTS", default=0)  # default fee rule
PAYMENT_FEE_FIXED = env.int("PAYMENT_FEE_FIXED", default=0)  # minor units
PAYMENT_HTTP_TIMEOUT_SECONDS = env.float("PAYMENT_HTTP_TIMEOUT_SECONDS", default=10.0)
PAYMENT_STALE_PENDING_MINUTES = env.int("PAYMENT_STALE_PENDING_MINUTES", default=30)
PAYMENT_PUBLIC_BASE_URL = env("PAYMENT_PUBLIC_BASE_URL", default="")  # pay links in SMS
# Public host names -> their pages (apps/core/hosts.py): the tenants' pay pages, the
# embeddable checkout widget, the merchants' point of sale.
HOSTS = {
    "pay.hokwepay.me": "/pay/",
    "checkout.hokwepay.me": "/checkout/",
    "marchand.hokwepay.me": "/merchant/",
}
PAYMENT_CONFIG_KEY = env("PAYMENT_CONFIG_KEY", default="")  # encrypts provider keys stored in the DB
PAYOUT_MIN_AMOUNT = env.int("PAYOUT_MIN_AMOUNT", default=5000)  # scheduled payouts, minor units
# The largest single payment from an outside instrument (mobile money, card, bank transfer,
# cash), per country ("*" = any) and currency, in minor units: Hokwe's anti-fraud / AML cap
# (apps/payments/limits.py). Not the BCEAO e-money limits: those (kyc's tiers, KYC_LIMITS)
# bound wallet balances and wallet movements only. EUR: 5 000 000 FCFA at the fixed peg.
PAYMENT_MAX_AMOUNT = env.json(
    "PAYMENT_MAX_AMOUNT",
    default={"*": {"XOF": 5_000_000, "XAF": 5_000_000, "EUR": 762_245}},
)
# live: https://api.kkiapay.me
KKIAPAY_BASE_URL = env("KKIAPAY_BASE_URL", default="https://api-sandbox.kkiapay.me")
KKIAPAY_SANDBOX = env.bool("KKIAPAY_SANDBOX", default=True)  # the widget's sandbox flag
KKIAPAY_PUBLIC_KEY = env("KKIAPAY_PUBLIC_KEY", default="")
KKIAPAY_PRIVATE_KEY = env("KKIAPAY_PRIVATE_KEY", default="")
KKIAPAY_SECRET_KEY = env("KKIAPAY_SECRET_KEY", default="")
KKIAPAY_WEBHOOK_SECRET = env("KKIAPAY_WEBHOOK_SECRET", default="")
KKIAPAY_WIDGET_URL = env("KKIAPAY_WIDGET_URL", default="https://cdn.kkiapay.me/k.js")
# live: https://live-api.fedapay.com/v1
FEDAPAY_BASE_URL = env("FEDAPAY_BASE_URL", default="https://sandbox-api.fedapay.com/v1")
FEDAPAY_SECRET_KEY = env("FEDAPAY_SECRET_KEY", default="")
FEDAPAY_WEBHOOK_SECRET = env("FEDAPAY_WEBHOOK_SECRET", default="")
FEDAPAY_WEBHOOK_TOLERANCE_SECONDS = env.int("FEDAPAY_WEBHOOK_TOLERANCE_SECONDS", default=300)
# --- MTN MoMo Open API (providers/mtn_momo.py; docs/payments.md "MTN MoMo") ----------------
# Provider "mtn_momo": pushes (Collection), payouts (Disbursement), the account holder's name
# of a payout number. Without an API user the lookup is not made (the sandbox answers it in dev).
MTN_MOMO_BASE_URL = env("MTN_MOMO_BASE_URL", default="https://sandbox.momodeveloper.mtn.com")
MTN_MOMO_API_USER = env("MTN_MOMO_API_USER", default="")
MTN_MOMO_API_KEY = env("MTN_MOMO_API_KEY", default="")
# The Disbursement product's subscription key (the lookup's and payouts'); the name kept from
# when only the lookup existed. MTN_MOMO_DISBURSEMENT_SUBSCRIPTION_KEY, when set, wins.
MTN_MOMO_SUBSCRIPTION_KEY = env("MTN_MOMO_SUBSCRIPTION_KEY", default="")
MTN_MOMO_DISBURSEMENT_SUBSCRIPTION_KEY = env("MTN_MOMO_DISBURSEMENT_SUBSCRIPTION_KEY", default="")
MTN_MOMO_COLLECTION_SUBSCRIPTION_KEY = env("MTN_MOMO_COLLECTION_SUBSCRIPTION_KEY", default="")
# MTN may issue an API user per product: the Collection one, when it is not MTN_MOMO_API_USER.
MTN_MOMO_COLLECTION_API_USER = env("MTN_MOMO_COLLECTION_API_USER", default="")
MTN_MOMO_COLLECTION_API_KEY = env("MTN_MOMO_COLLECTION_API_KEY", default="")
MTN_MOMO_TARGET_ENVIRONMENT = env("MTN_MOMO_TARGET_ENVIRONMENT", default="sandbox")  # live: mtnbenin…
# X-Callback-Url; "" → PAYMENT_PUBLIC_BASE_URL + /api/v1/payments/webhooks/mtn_momo (or none).
# Its host must be the one registered with MTN (providerCallbackHost / the partner portal).
MTN_MOMO_CALLBACK_URL = env("MTN_MOMO_CALLBACK_URL", default="")
# The one currency MTN moves for this account: MTN's sandbox takes EUR only; Benin: XOF.
MTN_MOMO_CURRENCY = env(
    "MTN_MOMO_CURRENCY", default="EUR" if MTN_MOMO_TARGET_ENVIRONMENT == "sandbox" else "XOF"
)


def _mtn_momo_problems(settings: dict) -> list[str]:
    """MTN MoMo enabled in production with the sandbox's values or without its keys."""
    used = "mtn_momo" in settings["PAYMENT_PROVIDERS"] or settings["PAYMENT_PAYOUT_PROVIDER"] == "mtn_momo"
    if not used and not settings.get("MTN_MOMO_API_USER"):
        return []
    problems = []
    if settings.get("MTN_MOMO_TARGET_ENVIRONMENT", "sandbox") == "sandbox":
        problems.append("MTN_MOMO_TARGET_ENVIRONMENT must be MTN's live environment (mtnbenin…), not sandbox")
    if "sandbox" in settings.get("MTN_MOMO_BASE_URL", ""):
        problems.append("MTN_MOMO_BASE_URL must be MTN's production URL, not the sandbox's")
    if settings.get("MTN_MOMO_CURRENCY") == "EUR":
        problems.append("MTN_MOMO_CURRENCY is EUR, the sandbox's currency")
    if used and not (settings.get("MTN_MOMO_API_USER") and settings.get("MTN_MOMO_API_KEY")):
        problems.append("MTN_MOMO_API_USER and MTN_MOMO_API_KEY are required when MTN MoMo is used")
    if "mtn_momo" in settings["PAYMENT_PROVIDERS"] and not settings.get(
        "MTN_MOMO_COLLECTION_SUBSCRIPTION_KEY"
    ):
        problems.append("MTN_MOMO_COLLECTION_SUBSCRIPTION_KEY is required when mtn_momo collects")
    if settings["PAYMENT_PAYOUT_PROVIDER"] == "mtn_momo" and not (
        settings.get("MTN_MOMO_DISBURSEMENT_SUBSCRIPTION_KEY") or settings.get("MTN_MOMO_SUBSCRIPTION_KEY")
    ):
        problems.append("MTN_MOMO_DISBURSEMENT_SUBSCRIPTION_KEY is required when mtn_momo pays out")
    callback = settings.get("MTN_MOMO_CALLBACK_URL", "")
    if callback and not callback.startswith("https://"):
        problems.append("MTN_MOMO_CALLBACK_URL must be https in production (MTN refuses http there)")
    return problems


# --- end of MTN MoMo ----------------------------------------------------------------------------
# The sandbox's account holders for demo numbers ({"+229…": "Given Family"}, JSON).
SANDBOX_ACCOUNT_HOLDERS = env.json("SANDBOX_ACCOUNT_HOLDERS", default={})
# Suspense (services/suspense.py): applying or refunding more than this (minor units of the
# item's currency) needs a second finance staff member's approval (four eyes).
PAYMENT_SUSPENSE_FOUR_EYES_ABOVE = env.int("PAYMENT_SUSPENSE_FOUR_EYES_ABOVE", default=500_000)
# Settlement statement files (services/settlements.py): a provider's column names, JSON
# {"<provider>": {"reference": "...", "amount": "...", ...}}, over the built-in mappings.
PAYMENT_SETTLEMENT_COLUMNS = env.json("PAYMENT_SETTLEMENT_COLUMNS", default={})

THROTTLE_RATES = {
    "payments.create": env("THROTTLE_PAYMENT_CREATE", default="20/min"),  # per user, or per IP
    "pages.pay": env("THROTTLE_PAY_PAGES", default="60/min"),  # /pay/, /checkout/, /r/ per IP
}
# The gateway's limits on the public pay pages (path regex, methods, scope, key).
THROTTLE_RULES = [
    (r"^/(pay|checkout)/", ("POST",), "payments.create", "client"),
    (r"^/(pay|checkout|r)/", ("GET", "POST"), "pages.pay", "ip"),
]
BEAT_SCHEDULE = {
    "payments.expire_intents": {"task": "payments.expire_intents", "schedule": 300.0},
    "payments.settle_stale_pending": {"task": "payments.settle_stale_pending", "schedule": 600.0},
    "payments.reconcile_daily": {"task": "payments.reconcile_daily", "schedule": crontab(hour=2, minute=30)},
    "payments.poll_payouts": {"task": "payments.poll_payouts", "schedule": 300.0},
    "payments.recover_provider_calls": {"task": "payments.recover_provider_calls", "schedule": 300.0},
    "payments.scheduled_payouts": {
        "task": "payments.scheduled_payouts",
        "schedule": crontab(hour=6, minute=0),
    },
    # FedaPay's settled (transferred) transactions of the days before, imported once
    "payments.import_settlements": {
        "task": "payments.import_settlements",
        "schedule": crontab(hour=4, minute=15),
    },
    # suspense refunds paid by a payout to the payer: sent, polled, posted or voided
    "payments.suspense_payouts": {"task": "payments.suspense_payouts", "schedule": 300.0},
}


def production_problems(settings: dict) -> list[str]:
    problems = _mtn_momo_problems(settings)
    if "sandbox" in settings["PAYMENT_PROVIDERS"]:
        return ["PAYMENT_PROVIDERS must not include the sandbox provider", *problems]
    return problems
