"""A user's tier follows from their approved, unexpired submissions; it is recomputed (never
incremented) so approvals, expiries and closures can happen in any order."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.core.audit import AuditCategory, audit_record
from apps.core.outbox import publish

from ..contracts import SubmissionStatus as S
from ..contracts import Tier
from ..events import KycTierChanged
from ..models import KycProfile, Submission
from ..workflow import OPEN


def _entitled_tier(user_id: int, profile: KycProfile) -> int:
    if profile.closed_at is not None:
        return Tier.PHONE
    today = timezone.localdate()
    tiers = [
        tier
        for tier, expiry in Submission.objects.filter(
            user_id=user_id, subject="individual", status=S.APPROVED
        ).values_list("target_tier", "id_expiry_date")
        if expiry is None or expiry >= today
    ]
    return max(tiers, default=Tier.PHONE)


@transaction.atomic
def profile_recompute(*, user, reason: str) -> KycProfile:
    """Set the user's tier from their decisions; publish KycTierChanged when it moved."""
    profile, _created = KycProfile.objects.select_for_update().get_or_create(user_id=user.pk)
    old = profile.tier
    new = _entitled_tier(user.pk, profile)
    if new != old:
        profile.tier = new
        profile.save(update_fields=["tier", "updated_at"])
        publish(KycTierChanged(user_public_id=str(user.public_id), old_tier=old, new_tier=new, reason=reason))
        audit_record(
            action="kyc.tier.changed",
            category=AuditCategory.KYC,
            actor=None,
            target_type="identity.User",
            target_id=user.public_id,
            before={"tier": old},
            after={"tier": new},
            reason=reason,
        )
    return profile


@transaction.atomic
def profile_mark_closed(*, user) -> KycProfile:
    """identity closed the account: open submissions are cancelled, the tier drops to 0 and
    the retention clock of the documents starts (services.documents.documents_purge_due)."""
    profile, _created = KycProfile.objects.select_for_update().get_or_create(user_id=user.pk)
    if profile.closed_at is None:
        profile.closed_at = timezone.now()
        profile.save(update_fields=["closed_at", "updated_at"])
    Submission.objects.filter(user_id=user.pk, subject="individual", status__in=list(OPEN)).update(
        status=S.CANCELLED, updated_at=timezone.now()
    )
    return profile_recompute(user=user, reason="closed")
