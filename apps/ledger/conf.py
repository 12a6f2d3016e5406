"""Ledger's settings: its schedule.

Read by `apps.core.conf.assemble` into the settings before Django starts (no models here)."""

BEAT_SCHEDULE = {
    "ledger.expire_holds": {"task": "ledger.expire_holds", "schedule": 60.0},
    "ledger.verify": {"task": "ledger.verify", "schedule": 3600.0},
}
