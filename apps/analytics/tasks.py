"""Celery tasks: load ids, call a service; idempotent."""

from celery import shared_task


@shared_task(name="analytics.nightly")
def nightly(day: str | None = None) -> dict:
    """Yesterday's snapshots and drift check (or `day`'s, ISO)."""
    from datetime import date, timedelta

    from django.utils import timezone

    from .services.nightly import check_drift, prune_applied, reconcile_ledger, snapshot_day

    target = date.fromisoformat(day) if day else timezone.localdate() - timedelta(days=1)
    return {
        "day": target.isoformat(),
        "snapshots": snapshot_day(target),
        "drifts": check_drift(target),
        "ledger_drifts": reconcile_ledger(target),
        "pruned": prune_applied(),
    }


@shared_task(name="analytics.scheduled_reports")
def scheduled_reports(day: str | None = None) -> dict:
    """E-mail the scheduled reports whose period has ended (each once)."""
    from datetime import date

    from .services.subscriptions import scheduled_reports_send

    return scheduled_reports_send(today=date.fromisoformat(day) if day else None)


# --- product analytics: partitions, export (docs/analytics.md, « Product analytics ») ---
import celery as _celery  # noqa: E402 - this part's own import, beside the others'


@_celery.shared_task(name="analytics.product_partitions")
def product_partitions() -> dict:
    """Next months' partitions of the events' table created, expired ones dropped."""
    from .services.product import partitions_maintain

    return partitions_maintain()


@_celery.shared_task(
    bind=True,
    name="analytics.product_export",
    max_retries=5,
    default_retry_delay=120,
)
def product_export(self) -> dict:
    """The events not sent yet, to PostHog or Matomo (ANALYTICS_EXPORT_PROVIDER). A tool
    that is away is tried again later with backoff; one that refuses the batch is not (the
    error is on the cursor, in the admin, and the next beat run tries again)."""
    from .providers.base import ExportError
    from .services.export import events_export

    try:
        return events_export()
    except ExportError as exc:
        if exc.retryable:
            raise self.retry(exc=exc) from exc
        return {"error": str(exc)}
