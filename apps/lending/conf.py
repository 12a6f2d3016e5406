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
