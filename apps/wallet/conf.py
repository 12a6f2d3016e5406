"""The wallet's settings (wallet, Cotis'Hokwe, HokweSplit, safeguarding). Read by
`apps.core.conf.assemble` before Django starts (no models here). Each part appends its block."""

import environ

env = environ.Env()

BEAT_SCHEDULE: dict = {}


def production_problems(settings: dict) -> list[str]:
    return []


# --- safeguarding (W6): the daily report (one per day and currency; idempotent per day) ---
from celery.schedules import crontab  # noqa: E402

BEAT_SCHEDULE["wallet.safeguarding_daily"] = {
    "task": "wallet.safeguarding_daily",
    "schedule": crontab(hour=23, minute=50),
}
