"""Billing's settings, beat entries, task routes, throttle rates and OpenAPI enum names.
Read by apps.core.conf.assemble before Django starts (no models here). Each part appends
its own block."""

import environ

env = environ.Env()

BEAT_SCHEDULE: dict = {}

# TVA per country (basis points), printed per line and in total on every invoice. The
# standard rates of the UEMOA states (Benin: Code général des impôts, art. 228: 18 %).
BILLING_TVA_BPS: dict = {
    "BJ": env.int("BILLING_TVA_BJ_BPS", default=1_800),
    "CI": env.int("BILLING_TVA_CI_BPS", default=1_800),
    "SN": env.int("BILLING_TVA_SN_BPS", default=1_800),
    "TG": env.int("BILLING_TVA_TG_BPS", default=1_800),
    "BF": env.int("BILLING_TVA_BF_BPS", default=1_800),
    "ML": env.int("BILLING_TVA_ML_BPS", default=1_800),
    "NE": env.int("BILLING_TVA_NE_BPS", default=1_900),
}

# The Hokwe entity that bills in each country (what the invoice PDF prints as the seller).
BILLING_SELLER: dict = {
    "BJ": {
        "name": env.str("BILLING_SELLER_BJ_NAME", default="Hokwe SAS"),
        "tax_id": env.str("BILLING_SELLER_BJ_IFU", default="3202600000000"),
        "rccm": env.str("BILLING_SELLER_BJ_RCCM", default="RB/COT/26 B 00000"),
        "address": env.str("BILLING_SELLER_BJ_ADDRESS", default="Cotonou, Bénin"),
        "email": env.str("BILLING_SELLER_BJ_EMAIL", default="facturation@hokwe.com"),
    },
    "CI": {
        "name": env.str("BILLING_SELLER_CI_NAME", default="Hokwe Côte d'Ivoire SARL"),
        "tax_id": env.str("BILLING_SELLER_CI_NCC", default="2600000 A"),
        "rccm": env.str("BILLING_SELLER_CI_RCCM", default="CI-ABJ-2026-B-00000"),
        "address": env.str("BILLING_SELLER_CI_ADDRESS", default="Abidjan, Côte d'Ivoire"),
        "email": env.str("BILLING_SELLER_CI_EMAIL", default="facturation@hokwe.com"),
    },
}

# Days between an invoice's finalization and its due date.
BILLING_PAYMENT_TERMS_DAYS = env.int("BILLING_PAYMENT_TERMS_DAYS", default=7)


# --- metering and the billing run ---
from celery.schedules import crontab as _run_crontab  # noqa: E402

# The outbox events metered into usage counters (a billable metric names one of them, with
# its filters): a handler is registered for each at start-up.
BILLING_METERED_EVENTS: list = env.list("BILLING_METERED_EVENTS", default=["notifications.MessageSent"])
# Subscriptions invoiced and rolled per transaction by the billing run.
BILLING_RUN_CHUNK = env.int("BILLING_RUN_CHUNK", default=500)

BEAT_SCHEDULE["billing.run"] = {"task": "billing.run", "schedule": _run_crontab(hour=6, minute=5)}


# --- surfaces: the names of the REST choice sets in the OpenAPI schema (their field names,
# kind, status, method, collide with other modules') ---
OPENAPI_ENUMS = {
    **globals().get("OPENAPI_ENUMS", {}),
    "BillingSubscriptionStatusEnum": "apps.billing.rest.serializers.SUBSCRIPTION_STATUSES",
    "BillingInvoiceStatusEnum": "apps.billing.rest.serializers.INVOICE_STATUSES",
    "BillingInvoiceKindEnum": "apps.billing.rest.serializers.INVOICE_KINDS",
    "BillingLineKindEnum": "apps.billing.rest.serializers.LINE_KINDS",
    "BillingPriceKindEnum": "apps.billing.rest.serializers.PRICE_KINDS",
    "BillingCreditNoteReasonEnum": "apps.billing.rest.serializers.CREDIT_NOTE_REASONS",
    "BillingPaymentMethodEnum": "apps.billing.rest.serializers.PAYMENT_METHODS",
    "BillingChosenMethodEnum": "apps.billing.rest.serializers.CHOSEN_METHODS",
    "BillingChangeTimingEnum": "apps.billing.rest.serializers.TIMINGS",
}


# --- catalog ---
# What an organization without a live subscription may do (every organization before its
# first plan, so existing organizations keep working): a bool enables a feature, an int is a
# limit, None is no limit. A plan version's entitlements override these key by key, and its
# add-ons add to them (docs/billing.md, "Entitlements").
BILLING_DEFAULT_ENTITLEMENTS: dict = {
    "estate.units": None,
    "estate.new_leases": True,
    "recovery.sms_campaigns": True,
}
# Refused while the account is restricted (dunning) or its subscription paused. Never rent
# collection, payments, data access or exports: they are not features.
BILLING_RESTRICTED_FEATURES: list = ["estate.new_leases", "recovery.sms_campaigns"]
# How long an organization's entitlements stay cached (dropped at once on
# SubscriptionChanged, AccountRestricted and AccountRestored).
BILLING_ENTITLEMENTS_CACHE_SECONDS = env.int("BILLING_ENTITLEMENTS_CACHE_SECONDS", default=300)


# --- PDF and payment ---
# The platform organization invoice payments are made to (Hokwe's own billing: created on
# first use, like lending's loan book), and the currencies it takes.
BILLING_ORGANIZATION_NAME = env.str("BILLING_ORGANIZATION_NAME", default="Hokwe Facturation")
BILLING_ORGANIZATION_COUNTRY = env.str("BILLING_ORGANIZATION_COUNTRY", default="BJ")
# Bank details printed on the invoice PDF for a payment by transfer (per country; empty: the
# PDF offers the pay link only).
BILLING_BANK_DETAILS: dict = {
    "BJ": env.str("BILLING_BANK_DETAILS_BJ", default=""),
    "CI": env.str("BILLING_BANK_DETAILS_CI", default=""),
}

# The environment variables that set each seller's identity (what the prod check names).
_SELLER_ENV = {
    ("BJ", "tax_id"): "BILLING_SELLER_BJ_IFU",
    ("BJ", "rccm"): "BILLING_SELLER_BJ_RCCM",
    ("CI", "tax_id"): "BILLING_SELLER_CI_NCC",
    ("CI", "rccm"): "BILLING_SELLER_CI_RCCM",
}


def _seller_placeholder(value: str) -> bool:
    """Empty, the shipped default (a number whose last digits are all zeros: « 3202600000000 »,
    « RB/COT/26 B 00000 ») or deploy/env.example's « replace-with-… »."""
    import re

    value = (value or "").strip()
    return not value or value.lower().startswith("replace") or re.search(r"0{5,}\D*$", value) is not None


def _seller_problems(settings: dict) -> list[str]:
    """An invoice is a legal document: production refuses to print a placeholder IFU or RCCM
    of a Hokwe seller."""
    problems = []
    for country, seller in sorted((settings.get("BILLING_SELLER") or {}).items()):
        for key in ("tax_id", "rccm"):
            if _seller_placeholder(str(seller.get(key, ""))):
                name = _SELLER_ENV.get((country, key), f"BILLING_SELLER_{country}")
                problems.append(f"{name} is a placeholder: the invoices' seller needs its real identity")
    return problems


def production_problems(settings: dict) -> list[str]:
    return _seller_problems(settings)


# --- dunning ---
from celery.schedules import crontab as _dunning_crontab  # noqa: E402

# Days after an unpaid invoice's due date before restricted features are refused.
BILLING_GRACE_DAYS = env.int("BILLING_GRACE_DAYS", default=14)
# The ladder of an overdue invoice: (days after the due date, step). A retry pushes a new
# payment to the saved mobile-money number, a reminder sends the pay link by SMS and e-mail,
# the restriction refuses the restricted features (never rent collection, data or exports).
BILLING_DUNNING_LADDER: list = [
    (1, "retry"),
    (1, "reminder"),
    (3, "retry"),
    (3, "reminder"),
    (7, "retry"),
    (7, "reminder"),
    (BILLING_GRACE_DAYS, "restrict"),
]
# Days before a trial's end when its customer is told (the daily dunning run sends it).
BILLING_TRIAL_NOTICE_DAYS = env.int("BILLING_TRIAL_NOTICE_DAYS", default=3)

BEAT_SCHEDULE["billing.dunning_run"] = {
    "task": "billing.dunning_run",
    "schedule": _dunning_crontab(hour=8, minute=15),
}
