"""Set-based read of users' KYC tiers (scoring's features: one query for any number)."""

from __future__ import annotations

from uuid import UUID

from ..models import KycProfile


def tiers_of(user_ids) -> dict[UUID, int]:
    """{user public id: tier}; a user without a profile is tier 0 (a verified phone)."""
    ids = list({UUID(str(u)) for u in user_ids})
    tiers = {u: 0 for u in ids}
    if ids:
        tiers.update(
            KycProfile.objects.filter(user__public_id__in=ids).values_list("user__public_id", "tier")
        )
    return tiers
