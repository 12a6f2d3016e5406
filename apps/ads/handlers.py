"""Reactions to other modules' events (`@on(Event)`), thin: they call services. Each part
appends its own under `# --- <part> ---`."""

from apps.core.events import on
from apps.market.events import ApplicationSubmitted, VisitBooked
from apps.payments.events import PaymentFailed, PaymentSucceeded

from .events import CampaignBudgetSpent

# --- advertising ---


@on(PaymentSucceeded)
def topup_paid(event: PaymentSucceeded, *, event_id: str) -> None:
    """A paid top-up: the ad balance (credited by payments) may be spent, once per intent."""
    from .services.topups import PURPOSE_TOPUP
    from .services.topups import topup_paid as paid

    if event.purpose_type == PURPOSE_TOPUP:
        paid(intent_id=event.intent_id, amount=event.amount - event.fee_amount)


@on(PaymentFailed)
def topup_failed(event: PaymentFailed, *, event_id: str) -> None:
    from .services.topups import PURPOSE_TOPUP
    from .services.topups import topup_failed as failed

    if event.purpose_type == PURPOSE_TOPUP:
        failed(intent_id=event.intent_id)


@on(VisitBooked)
def visit_conversion(event: VisitBooked, *, event_id: str) -> None:
    """A booked visit of a listing the seeker reached through an ad's click: a conversion."""
    from .services.conversions import attribute

    attribute(kind="visit", listing=event.listing_id, user=event.seeker_id, source=event_id)


@on(ApplicationSubmitted)
def application_conversion(event: ApplicationSubmitted, *, event_id: str) -> None:
    from .services.conversions import attribute

    attribute(kind="application", listing=event.listing_id, user=event.applicant_id, source=event_id)


# --- creators: a creator's payout confirmed or failed (payments) ---
from apps.payments.events import PayoutCompleted  # noqa: E402


@on(PayoutCompleted)
def creator_payout_completed(event: PayoutCompleted, *, event_id: str) -> None:
    from .services.creators import payout_completed

    payout_completed(payout_id=event.payout_id, status=event.status)


@on(CampaignBudgetSpent)
def budget_spent_notice(event: CampaignBudgetSpent, *, event_id: str) -> None:
    """Tell the advertiser's managers (or the independent advertiser) that a campaign stopped."""
    from .services.notices import budget_spent

    budget_spent(campaign_id=event.campaign_id)
