"""Set-based reads of tenants' recovery history for scoring (the rent score's features):
cases opened and how they closed, promises kept and broken. Two queries, whatever the
number of users: on PostgreSQL one SQL text each with the ids as one array parameter (the
users found on their public ids' unique index, no IN list of thousands of UUIDs), elsewhere
the ORM."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db import connection
from django.db.models import Count, F, Q

from ..contracts import CaseOutcome, CaseStatus, PromiseStatus
from ..models import Case, Promise


@dataclass(frozen=True)
class TenantRecovery:
    """A tenant's recovery cases counted, every organization."""

    opened: int = 0  # cases ever opened
    paid: int = 0  # closed because the debt was paid
    settled: int = 0  # closed by an arrangement outside Hokwe
    written_off: int = 0  # closed with the dues written off
    open_now: int = 0  # not closed yet
    promises_kept: int = 0
    promises_broken: int = 0


def tenant_recovery(user_ids) -> dict[UUID, TenantRecovery]:
    """Every user's cases and promises counted (users without any are absent)."""
    ids = list({u if isinstance(u, UUID) else UUID(str(u)) for u in user_ids})
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        return _recovery_sql(ids)
    return _recovery_orm(ids)


def _recovery_orm(ids: list[UUID]) -> dict[UUID, TenantRecovery]:
    """The same counts through the ORM (SQLite, the embedded default)."""
    cases = (
        Case.objects.filter(tenant__public_id__in=ids)
        .values(uid=F("tenant__public_id"))
        .annotate(
            opened=Count("id"),
            paid=Count("id", filter=Q(status=CaseStatus.CLOSED, outcome=CaseOutcome.PAID)),
            settled=Count("id", filter=Q(status=CaseStatus.CLOSED, outcome=CaseOutcome.SETTLED)),
            written_off=Count("id", filter=Q(status=CaseStatus.CLOSED, outcome=CaseOutcome.WRITTEN_OFF)),
            open_now=Count("id", filter=~Q(status=CaseStatus.CLOSED)),
        )
        .order_by()
    )
    counted = {row.pop("uid"): row for row in cases}
    promises = (
        Promise.objects.filter(case__tenant__public_id__in=ids)
        .values(uid=F("case__tenant__public_id"))
        .annotate(
            promises_kept=Count("id", filter=Q(status=PromiseStatus.KEPT)),
            promises_broken=Count("id", filter=Q(status=PromiseStatus.BROKEN)),
        )
        .order_by()
    )
    for row in promises:
        counted.setdefault(row.pop("uid"), {}).update(row)
    return {user: TenantRecovery(**values) for user, values in counted.items()}


_CASES_SQL = """
SELECT u.public_id,
       COUNT(*),
       COUNT(*) FILTER (WHERE c.status = %(closed)s AND c.outcome = %(paid)s),
       COUNT(*) FILTER (WHERE c.status = %(closed)s AND c.outcome = %(settled)s),
       COUNT(*) FILTER (WHERE c.status = %(closed)s AND c.outcome = %(written_off)s),
       COUNT(*) FILTER (WHERE c.status <> %(closed)s)
  FROM identity_user u
  JOIN recovery_case c ON c.tenant_id = u.id
 WHERE u.public_id = ANY(%(ids)s::uuid[])
 GROUP BY u.public_id
"""

_PROMISES_SQL = """
SELECT u.public_id,
       COUNT(*) FILTER (WHERE p.status = %(kept)s),
       COUNT(*) FILTER (WHERE p.status = %(broken)s)
  FROM identity_user u
  JOIN recovery_case c ON c.tenant_id = u.id
  JOIN recovery_promise p ON p.case_id = c.id
 WHERE u.public_id = ANY(%(ids)s::uuid[])
 GROUP BY u.public_id
"""


def _recovery_sql(ids: list[UUID]) -> dict[UUID, TenantRecovery]:
    params = {
        "ids": _uuid_array(ids),
        "closed": str(CaseStatus.CLOSED),
        "paid": str(CaseOutcome.PAID),
        "settled": str(CaseOutcome.SETTLED),
        "written_off": str(CaseOutcome.WRITTEN_OFF),
        "kept": str(PromiseStatus.KEPT),
        "broken": str(PromiseStatus.BROKEN),
    }
    counted: dict[UUID, dict] = {}
    with connection.cursor() as cursor:
        cursor.execute(_CASES_SQL, params)
        for user, opened, paid, settled, written_off, open_now in cursor.fetchall():
            counted[user] = {
                "opened": opened,
                "paid": paid,
                "settled": settled,
                "written_off": written_off,
                "open_now": open_now,
            }
        cursor.execute(_PROMISES_SQL, params)
        for user, kept, broken in cursor.fetchall():
            counted.setdefault(user, {}).update(promises_kept=kept, promises_broken=broken)
    return {user: TenantRecovery(**values) for user, values in counted.items()}


def _uuid_array(ids) -> str:
    """The ids as one PostgreSQL array literal (the parameter of `= ANY(%s::uuid[])`): one
    string to send, not thousands of values for the driver to adapt one by one."""
    return "{" + ",".join(str(u) for u in ids) + "}"
