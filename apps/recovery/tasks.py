"""Celery tasks: call a service; idempotent (safe to run twice)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="recovery.daily")
def daily() -> dict:
    """Hourly (beat): cases follow the arrears, commitments are checked, the ladders run
    (once a day per case and step, outside quiet hours), the aging snapshot is kept."""
    from .services import daily_run

    result = daily_run()
    return {
        "opened": result.sync.opened,
        "closed": result.sync.closed,
        "steps": result.ladder.steps,
        "messages": result.ladder.messages,
        **result.commitments,
    }
