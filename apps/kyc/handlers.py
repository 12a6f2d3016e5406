"""Reactions to events: identity closing an account (retention clock, tier 0) and kyc's own
submissions (start the provider check after commit, retried by the outbox)."""

from apps.core.events import on
from apps.identity.events import UserClosed

from .events import KycSubmissionSubmitted
from .services import profiles
from .services.providers import provider_check_start


@on(UserClosed)
def start_retention_clock(event: UserClosed, *, event_id: str) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(public_id=event.user_public_id).first()
    if user is not None:
        profiles.profile_mark_closed(user=user)


@on(KycSubmissionSubmitted)
def send_to_provider(event: KycSubmissionSubmitted, *, event_id: str) -> None:
    if event.subject == "individual":
        provider_check_start(submission_public_id=event.submission_public_id)
