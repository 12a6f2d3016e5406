"""Celery tasks (beat schedules in settings.CELERY_BEAT_SCHEDULE). Idempotent."""

from celery import shared_task

from .services import documents, providers, submissions


@shared_task(name="kyc.expire_documents")
def expire_documents() -> int:
    """Approved verifications whose ID document expired -> expired, tier lowered."""
    return submissions.submissions_expire_due()


@shared_task(name="kyc.purge_closed_accounts")
def purge_closed_accounts() -> int:
    """Documents of accounts closed more than KYC_RETENTION_DAYS ago are destroyed."""
    return documents.documents_purge_due()


@shared_task(name="kyc.refresh_provider_checks")
def refresh_provider_checks() -> int:
    """Results of provider checks whose callback never came."""
    return providers.provider_checks_refresh()
