"""Scoring's Celery tasks (each part appends its block)."""

from celery import shared_task

# --- bureau reporting: the monthly positive-data report ---


@shared_task(name="scoring.bureau_monthly")
def bureau_monthly() -> list[str]:
    """The month before, to every provider of SCORING_BUREAU_PROVIDERS (docs/scoring.md)."""
    from .services import bureau

    return [f"{e.provider} {e.period}: {e.status} ({e.records})" for e in bureau.report_previous_month()]


# --- the score's life: one user after an event, everyone nightly ---


@shared_task(
    name="scoring.rescore_for_event",
    autoretry_for=(Exception,),
    retry_backoff=2,
    retry_backoff_max=600,
    max_retries=8,
)
def rescore_for_event(user_ids: list[str], event_id: str, event_name: str) -> int:
    """The users an event touched, rescored once per event (services.scores.rescore_for_event)."""
    from .services import scores

    return scores.rescore_for_event(user_ids, event_id=event_id, event_name=event_name)


@shared_task(name="scoring.rescore_all")
def rescore_all() -> dict:
    """Every tenant's score (beat: nightly, SCORING_NIGHTLY_CHUNK users per chunk)."""
    from django.conf import settings

    from .services import scores

    return scores.rescore_all(chunk=int(getattr(settings, "SCORING_NIGHTLY_CHUNK", 5000)))


# --- tenant screening: reports that can no longer be read keep no personal data ---


@shared_task(name="scoring.screening_purge")
def screening_purge() -> int:
    """Expired or withdrawn screening reports emptied of their snapshot (services.screening)."""
    from .services import screening

    return screening.purge_unreadable()
