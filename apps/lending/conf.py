"""Lending's settings, beat entries and OpenAPI enum names. Read by `apps.core.conf.assemble`
before Django starts (no models here). Each part appends its own block."""

import environ

env = environ.Env()

BEAT_SCHEDULE: dict = {}

# The usury ceiling per country (annual TEG, basis points): a product whose TEG is above it
# cannot be saved, an offer above it is never made. Part 1 (products) documents the figure.
LENDING_USURY_CEILING_BPS: dict = {}

# How long an approved offer waits for the borrower's acceptance.
LENDING_OFFER_DAYS = env.int("LENDING_OFFER_DAYS", default=7)


def production_problems(settings: dict) -> list[str]:
    return []


# --- Delinquency: the nightly run (billing, aging, late fees, reminders, handover to recovery,
# provisions), the bucket that hands a loan to recovery, the provision rate per bucket ---
from celery.schedules import crontab as _delinquency_crontab  # noqa: E402

BEAT_SCHEDULE["lending.delinquency_nightly"] = {
    "task": "lending.delinquency_nightly",
    "schedule": _delinquency_crontab(hour=1, minute=30),
}

# A loan reaching this bucket (or a worse one) is handed to recovery, once.
LENDING_RECOVERY_BUCKET = env.str("LENDING_RECOVERY_BUCKET", default="61-90")

# The allowance for losses: the share (basis points) of what each bucket owes, kept on
# `lending.provisions`; the nightly run posts the change. Hokwe's own rates (short loans:
# provisioned early, in full past 90 days); set them to the regulator's where it is stricter.
LENDING_PROVISION_BPS = {
    "current": env.int("LENDING_PROVISION_CURRENT_BPS", default=100),
    "1-30": env.int("LENDING_PROVISION_1_30_BPS", default=1_000),
    "31-60": env.int("LENDING_PROVISION_31_60_BPS", default=2_500),
    "61-90": env.int("LENDING_PROVISION_61_90_BPS", default=5_000),
    "90+": env.int("LENDING_PROVISION_90_PLUS_BPS", default=10_000),
}


# --- the borrower's surfaces: OpenAPI enum names (choice sets sharing a field name) ---
OPENAPI_ENUMS = {
    **globals().get("OPENAPI_ENUMS", {}),
    "LendingLoanStatusEnum": "apps.lending.rest.serializers_loans.STATUSES",
}


# --- repayments ---
# The organization repayment pay links are paid to (Hokwe's loan book, a platform organization).
LENDING_LENDER_NAME = env.str("LENDING_LENDER_NAME", default="Hokwe Crédit")
LENDING_LENDER_COUNTRY = env.str("LENDING_LENDER_COUNTRY", default="BJ")
# The daily auto-debit of what is due from the borrowers' wallets (after the nightly billing).
from celery.schedules import crontab as _autodebit_crontab  # noqa: E402

BEAT_SCHEDULE["lending.autodebit"] = {
    "task": "lending.autodebit",
    "schedule": _autodebit_crontab(hour=7, minute=0),
}


# --- landlord advances (« Avance sur loyers »): the limit from the rents under management ---
# An owner organization may be advanced this many months of its average monthly net rent
# collected over the last 12 months, never above the net rent its active leases should bring
# over as many months ahead, less what its open advances owe.
LENDING_ADVANCE_MONTHS_OF_RENT = env.int("LENDING_ADVANCE_MONTHS_OF_RENT", default=3)
# At least this many of the last 12 months with rent collected through Hokwe...
LENDING_ADVANCE_MIN_MONTHS = env.int("LENDING_ADVANCE_MIN_MONTHS", default=6)
# ...and at least this share of the rent billed over them collected (basis points).
LENDING_ADVANCE_MIN_COLLECTION_BPS = env.int("LENDING_ADVANCE_MIN_COLLECTION_BPS", default=7_500)
# What is due on the advances is repaid from the owners' balance before every payout, and by
# this daily run as soon as rents come in.
from celery.schedules import crontab as _advance_crontab  # noqa: E402

BEAT_SCHEDULE["lending.advance_rents"] = {
    "task": "lending.advance_rents",
    "schedule": _advance_crontab(hour=7, minute=30),
}


# --- loan products: the usury ceiling per country (annual TEG, basis points) ---
# UEMOA: the Council of Ministers of the UMOA sets the « taux de l'usure » for the whole Union
# (uniform law on usury, Décision n° CM/UMOA/009/06/2013). Since 1 January 2014: 15 % for
# banks, 24 % for microfinance institutions (SFD), credit institutions and every other lender;
# by its decision of 29 December 2025 (in force 1 June 2026) the banks' ceiling is 14 % and
# the 24 % is kept for the others (BCEAO communiqué of the 4th ordinary session of 2025).
# Hokwe lends as a non-bank: 24 % in every UEMOA country. Override with the environment, e.g.
# LENDING_USURY_CEILING_BPS='{"SN": 2200}' (merged over these; a country absent has no
# ceiling and its products are refused).
_UEMOA_COUNTRIES = ("BJ", "BF", "CI", "GW", "ML", "NE", "SN", "TG")
LENDING_USURY_CEILING_BPS.update({country: 2_400 for country in _UEMOA_COUNTRIES})
LENDING_USURY_CEILING_BPS.update(
    {
        str(country).upper(): int(bps)
        for country, bps in env.json("LENDING_USURY_CEILING_BPS", default={}).items()
    }
)


# --- the lifecycle: offers expire hourly; accepted loans not yet paid out are retried ---
from celery.schedules import crontab as _lifecycle_crontab  # noqa: E402

BEAT_SCHEDULE["lending.expire_offers"] = {
    "task": "lending.expire_offers",
    "schedule": _lifecycle_crontab(minute=5),
}
BEAT_SCHEDULE["lending.disburse_pending"] = {
    "task": "lending.disburse_pending",
    "schedule": _lifecycle_crontab(minute="*/10"),
}


# --- emergency fund: the daily run (withdrawals whose notice has run, automatic savings) ---
from celery.schedules import crontab as _fund_crontab  # noqa: E402

BEAT_SCHEDULE["lending.fund_daily"] = {
    "task": "lending.fund_daily",
    "schedule": _fund_crontab(hour=7, minute=20),
}

# the fund's withdrawal rule shares its field name with HokweSplit's: drf-spectacular names
# neither set well unless both are named (the wallet names its own in apps/wallet/conf.py)
OPENAPI_ENUMS = {
    **globals().get("OPENAPI_ENUMS", {}),
    "LendingFundWithdrawalRuleEnum": "apps.lending.rest.serializers_fund.RULES",
}
