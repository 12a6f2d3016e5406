"""Scoring's Celery tasks (each part appends its block)."""

from celery import shared_task


# --- bureau reporting (S3): the monthly positive-data report ---


@shared_task(name="scoring.bureau_monthly")
def bureau_monthly() -> list[str]:
    """The month before, to every provider of SCORING_BUREAU_PROVIDERS (docs/scoring.md)."""
    from .services import bureau

    return [f"{e.provider} {e.period}: {e.status} ({e.records})" for e in bureau.report_previous_month()]
