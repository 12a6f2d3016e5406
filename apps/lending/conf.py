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
