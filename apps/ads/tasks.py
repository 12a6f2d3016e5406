"""Celery tasks: load ids, call a service; idempotent. Each part appends its own."""

from celery import shared_task

# --- advertising ---


@shared_task(name="ads.sync")
def sync() -> dict:
    """Counters of the delivery store into PostgreSQL, charges to the ledger, spent and past
    campaigns stopped (every minute)."""
    from .services.charging import sync as run

    return run()


# --- creators: a video's transcoding, an acceptance's follow-up, the daily run ---


@shared_task(name="ads.deliverable_transcode")
def deliverable_transcode(deliverable_id: int) -> str:
    """ffmpeg: the web MP4 and the poster of a video deliverable; a failure is recorded."""
    from .services.creators import deliverable_transcode as run

    item = run(deliverable_id)
    return item.status if item is not None else "missing"


@shared_task(name="ads.creator_job_settle")
def creator_job_settle(job_id: int) -> str:
    """After an acceptance: approved photos onto the listing, the creator's payout requested."""
    from .services.creators import job_settle

    job = job_settle(job_id)
    return job.status if job is not None else "missing"


@shared_task(name="ads.creator_shares")
def creator_shares() -> dict:
    """Daily (beat): yesterday's revenue shares, pending payouts, stuck conversions."""
    from .services.creators import creators_daily

    return creators_daily()
