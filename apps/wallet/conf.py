"""The wallet's settings (wallet, Cotis'Hokwe, HokweSplit, safeguarding). Read by
`apps.core.conf.assemble` before Django starts (no models here). Each part appends its block."""

import environ

env = environ.Env()

BEAT_SCHEDULE: dict = {}


def production_problems(settings: dict) -> list[str]:
    return []
