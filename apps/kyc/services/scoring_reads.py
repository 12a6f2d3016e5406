"""Set-based read of users' KYC tiers (scoring's features: one query for any number; on
PostgreSQL the ids as one array parameter, elsewhere the ORM)."""

from __future__ import annotations

from uuid import UUID

from django.db import connection

from ..models import KycProfile

_TIERS_SQL = """
SELECT u.public_id, k.tier
  FROM identity_user u
  JOIN kyc_kycprofile k ON k.user_id = u.id
 WHERE u.public_id = ANY(%s::uuid[])
"""


def tiers_of(user_ids) -> dict[UUID, int]:
    """{user public id: tier}; a user without a profile is tier 0 (a verified phone)."""
    ids = list({u if isinstance(u, UUID) else UUID(str(u)) for u in user_ids})
    tiers = {u: 0 for u in ids}
    if not ids:
        return tiers
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_TIERS_SQL, [_uuid_array(ids)])
            tiers.update(cursor.fetchall())
    else:
        tiers.update(_tiers_orm(ids))
    return tiers


def _tiers_orm(ids: list[UUID]) -> dict[UUID, int]:
    """{user public id: tier} of the users with a profile, through the ORM (SQLite)."""
    return dict(KycProfile.objects.filter(user__public_id__in=ids).values_list("user__public_id", "tier"))


def _uuid_array(ids) -> str:
    """The ids as one PostgreSQL array literal (the parameter of `= ANY(%s::uuid[])`): one
    string to send, not thousands of values for the driver to adapt one by one."""
    return "{" + ",".join(str(u) for u in ids) + "}"
