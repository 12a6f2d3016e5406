"""Provider checks: started after a submission commits (kyc's handler of
KycSubmissionSubmitted), results applied from verified callbacks or a periodic refresh —
always as read from the provider's own API."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import providers, selectors
from ..contracts import SubmissionStatus
from ..models import ProviderCallback, Submission
from ..providers.base import (
    CallbackRejected,
    CheckRequest,
    CheckResult,
    Outcome,
    ProviderDocument,
    ProviderError,
)
from ..providers.smile_id import Unsupported
from ..workflow import DECIDABLE
from .documents import document_plaintext
from .submissions import SUBMISSION_STATES, submission_decide_by_provider

logger = logging.getLogger("hokwe.kyc.providers")
S = SubmissionStatus


def _request(submission: Submission) -> CheckRequest:
    documents = tuple(
        ProviderDocument(kind=d.kind, side=d.side, content_type=d.content_type, content=document_plaintext(d))
        for d in submission.documents.filter(purged_at=None, director=None).order_by("created_at")
    )
    return CheckRequest(
        reference=submission.public_id.hex,
        user_reference=submission.user.public_id.hex,
        target_tier=submission.target_tier,
        country=submission.nationality or selectors.country_of_user(submission.user),
        first_name=submission.first_name,
        last_name=submission.last_name,
        date_of_birth=submission.date_of_birth.isoformat() if submission.date_of_birth else "",
        id_number=submission.id_number,
        documents=documents,
    )


def provider_check_start(*, submission_public_id: str, provider_name: str | None = None) -> Submission | None:
    """Send a submitted identity verification to the configured provider (no-op for KYB,
    for the manual provider, or when already sent). Raises ProviderError to be retried."""
    submission = Submission.objects.select_related("user").filter(public_id=submission_public_id).first()
    if (
        submission is None
        or submission.is_business
        or submission.status != S.SUBMITTED
        or submission.provider_reference
    ):
        return submission
    provider = providers.get(provider_name)
    try:
        started = provider.start_check(_request(submission))
        name = provider.name
    except Unsupported as exc:
        started, name = providers.get("manual").start_check(_request(submission)), "manual"
        logger.info(
            "kyc_provider_unsupported", extra={"submission": str(submission.public_id), "why": str(exc)}
        )
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.status != S.SUBMITTED or submission.provider_reference:
            return submission
        submission.provider = name
        submission.provider_reference = started.reference[:100]
        submission.provider_summary = started.summary[:300]
        if name != "manual":
            SUBMISSION_STATES.check(submission.status, S.IN_REVIEW)
            submission.status = S.IN_REVIEW
        submission.save()
    return submission


def result_apply(*, provider_name: str, result: CheckResult) -> Submission | None:
    """Record a provider's result; a clear result approves a level needing one approval,
    anything else waits for staff (the provider's verdict is shown in the review)."""
    if result.outcome == Outcome.PENDING:
        return None
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update()
            .filter(provider=provider_name, provider_reference=result.reference)
            .first()
        )
        if submission is None or submission.status not in DECIDABLE:
            return submission
        submission.provider_outcome = str(result.outcome)
        submission.provider_summary = result.summary[:300]
        submission.provider_checked_at = timezone.now()
        submission.save()
        if result.outcome == Outcome.CLEAR:
            submission = submission_decide_by_provider(submission=submission)
    return submission


def provider_callback_receive(*, provider_name: str, body: bytes, headers) -> str:
    """-> "applied" | "replayed" | "pending" | "ignored". Raises CallbackRejected (forged)
    or ProviderError (could not confirm: the provider retries the callback)."""
    if provider_name not in ("smile_id", "onfido"):
        raise CallbackRejected("unknown provider")
    try:
        provider = providers.get(provider_name)
    except ProviderError:
        raise CallbackRejected("provider not configured") from None
    event = provider.verify_callback(body=body, headers=headers)
    try:
        with transaction.atomic():
            ProviderCallback.objects.create(
                provider=provider_name, event_key=event.event_key, reference=event.reference[:100]
            )
    except IntegrityError:
        return "replayed"
    if (
        not event.reference
        or not Submission.objects.filter(provider=provider_name, provider_reference=event.reference).exists()
    ):
        return "ignored"
    try:
        result = provider.fetch_result(event.reference)
    except ProviderError:
        ProviderCallback.objects.filter(provider=provider_name, event_key=event.event_key).delete()
        raise
    if result.outcome == Outcome.PENDING:
        return "pending"
    result_apply(provider_name=provider_name, result=result)
    return "applied"


def provider_checks_refresh(*, older_than_minutes: int = 10, limit: int = 100) -> int:
    """Fetch results of checks still waiting (a lost callback must not block a user)."""
    due = Submission.objects.filter(
        status=S.IN_REVIEW,
        provider__in=["smile_id", "onfido"],
        provider_outcome="",
        updated_at__lt=timezone.now() - timedelta(minutes=older_than_minutes),
    ).values_list("provider", "provider_reference")[:limit]
    applied = 0
    for provider_name, reference in due:
        try:
            result = providers.get(provider_name).fetch_result(reference)
        except ProviderError:
            logger.warning("kyc_provider_refresh_failed", extra={"provider": provider_name}, exc_info=True)
            continue
        if result_apply(provider_name=provider_name, result=result) is not None:
            applied += 1
    return applied
