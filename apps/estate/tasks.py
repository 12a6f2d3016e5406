"""Celery tasks: call a service; idempotent (safe to run twice)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="estate.month_end")
def month_end(period: str | None = None) -> dict:
    """Next month's dues for every active lease (beat: the 25th). Idempotent."""
    from datetime import date

    from .services import month_end_run

    result = month_end_run(period=date.fromisoformat(period) if period else None)
    return {"period": result.period.isoformat(), "leases": result.leases, "created": result.created}


@shared_task(name="estate.refresh_dues")
def refresh_dues() -> dict:
    """Daily: statuses follow the calendar; late fees are added."""
    from .services import dues_refresh

    return dues_refresh()
