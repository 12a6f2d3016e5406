"""Scoring's settings (score, screening, valuation, bureau). Read by
`apps.core.conf.assemble` before Django starts (no models here). Each part appends its block."""

import environ

env = environ.Env()

BEAT_SCHEDULE: dict = {}


def production_problems(settings: dict) -> list[str]:
    return []
