"""Set-based reads of users' wallet regularity for scoring (the rent score's features):
Cotis'Hokwe contributions on time, late and defaulted; HokweSplit's best streak; the months
the wallet was used. A few queries (one per source), whatever the number of users; on
PostgreSQL three SQL texts with the ids as one array parameter (the users found on their
public ids' unique index, no IN list of thousands of UUIDs), elsewhere the ORM."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db import connection
from django.db.models import Count, F, Max, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from ..models import (
    P2pTransfer,
    RentPayment,
    SplitInstalment,
    SplitPlan,
    TontineContribution,
    TopUp,
    Withdrawal,
)


@dataclass(frozen=True)
class WalletRegularity:
    tontine_on_time: int = 0  # contributions paid by their round's due date
    tontine_late: int = 0  # paid after it, or still late
    tontine_defaults: int = 0  # rounds closed without the member's contribution
    split_streak_max: int = 0  # HokweSplit: the best run of instalments on time, any plan
    active_months_6: int = 0  # of the last 6 months (this one included), those with wallet use


def _month_index(day) -> int:
    return day.year * 12 + day.month - 1


def wallet_regularity(user_ids, *, today: date) -> dict[UUID, WalletRegularity]:
    """{user public id: WalletRegularity} for users with any wallet, tontine or HokweSplit use."""
    ids = list({u if isinstance(u, UUID) else UUID(str(u)) for u in user_ids})
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        return _regularity_sql(ids, today)
    return _regularity_orm(ids, today)


def _regularity_orm(ids: list[UUID], today: date) -> dict[UUID, WalletRegularity]:
    """The same reads through the ORM (SQLite, the embedded default): one query per source."""
    out: dict[UUID, dict] = defaultdict(dict)
    paid = Q(status=TontineContribution.Status.PAID)
    contributions = (
        TontineContribution.objects.filter(member__user__public_id__in=ids)
        .annotate(paid_day=TruncDate("paid_at"))
        .values(uid=F("member__user__public_id"))
        .annotate(
            tontine_on_time=Count("id", filter=paid & Q(paid_day__lte=F("round__due_date"))),
            tontine_late=Count(
                "id",
                filter=(paid & Q(paid_day__gt=F("round__due_date")))
                | Q(status=TontineContribution.Status.LATE),
            ),
            tontine_defaults=Count("id", filter=Q(status=TontineContribution.Status.DEFAULTED)),
        )
        .order_by()
    )
    for row in contributions:
        out[row.pop("uid")].update(row)
    streaks = (
        SplitPlan.objects.filter(user__public_id__in=ids)
        .values(uid=F("user__public_id"))
        .annotate(split_streak_max=Max("best_streak"))
        .order_by()
    )
    for row in streaks:
        out[row.pop("uid")]["split_streak_max"] = row["split_streak_max"] or 0

    first = _month_index(today) - 5
    since = date(first // 12, first % 12 + 1, 1)
    months: dict[UUID, set[int]] = defaultdict(set)
    sources = [
        TopUp.objects.filter(
            wallet__user__public_id__in=ids, status=TopUp.Status.SUCCEEDED, credited_at__date__gte=since
        ).values_list("wallet__user__public_id", TruncMonth("credited_at")),
        Withdrawal.objects.filter(
            wallet__user__public_id__in=ids, status=Withdrawal.Status.PAID, completed_at__date__gte=since
        ).values_list("wallet__user__public_id", TruncMonth("completed_at")),
        P2pTransfer.objects.filter(
            sender__public_id__in=ids,
            status__in=[P2pTransfer.Status.COMPLETED, P2pTransfer.Status.CLAIMED],
            created_at__date__gte=since,
        ).values_list("sender__public_id", TruncMonth("created_at")),
        RentPayment.objects.filter(actor__public_id__in=ids, created_at__date__gte=since).values_list(
            "actor__public_id", TruncMonth("created_at")
        ),
        TontineContribution.objects.filter(
            member__user__public_id__in=ids, status=TontineContribution.Status.PAID, paid_at__date__gte=since
        ).values_list("member__user__public_id", TruncMonth("paid_at")),
        SplitInstalment.objects.filter(
            plan__user__public_id__in=ids, status=SplitInstalment.Status.PAID, paid_on__gte=since
        ).values_list("plan__user__public_id", TruncMonth("paid_on")),
    ]
    for query in sources:
        for user, month in query.distinct():
            if month is not None:
                months[user].add(_month_index(month))
    for user, seen in months.items():
        out[user]["active_months_6"] = len({m for m in seen if first <= m <= _month_index(today)})
    return {user: WalletRegularity(**values) for user, values in out.items()}


_CONTRIBUTIONS_SQL = """
SELECT u.public_id,
       COUNT(*) FILTER (WHERE c.status = %(paid)s AND (c.paid_at AT TIME ZONE %(tz)s)::date <= r.due_date),
       COUNT(*) FILTER (WHERE (c.status = %(paid)s AND (c.paid_at AT TIME ZONE %(tz)s)::date > r.due_date)
                           OR c.status = %(late)s),
       COUNT(*) FILTER (WHERE c.status = %(defaulted)s)
  FROM identity_user u
  JOIN wallet_tontinemember m ON m.user_id = u.id
  JOIN wallet_tontinecontribution c ON c.member_id = m.id
  JOIN wallet_tontineround r ON r.id = c.round_id
 WHERE u.public_id = ANY(%(ids)s::uuid[])
 GROUP BY u.public_id
"""

_STREAKS_SQL = """
SELECT u.public_id, MAX(p.best_streak)
  FROM identity_user u
  JOIN wallet_splitplan p ON p.user_id = u.id
 WHERE u.public_id = ANY(%(ids)s::uuid[])
 GROUP BY u.public_id
"""

# (user, local month) of each use of the wallet since `since`, every source at once.
_MONTHS_SQL = """
WITH users AS (SELECT u.id, u.public_id FROM identity_user u WHERE u.public_id = ANY(%(ids)s::uuid[])),
used AS (
    SELECT w.user_id, date_trunc('month', t.credited_at AT TIME ZONE %(tz)s)::date AS month
      FROM wallet_wallet w JOIN wallet_topup t ON t.wallet_id = w.id
     WHERE w.user_id IN (SELECT id FROM users) AND t.status = %(succeeded)s
       AND (t.credited_at AT TIME ZONE %(tz)s)::date >= %(since)s
    UNION ALL
    SELECT w.user_id, date_trunc('month', x.completed_at AT TIME ZONE %(tz)s)::date
      FROM wallet_wallet w JOIN wallet_withdrawal x ON x.wallet_id = w.id
     WHERE w.user_id IN (SELECT id FROM users) AND x.status = %(withdrawn)s
       AND (x.completed_at AT TIME ZONE %(tz)s)::date >= %(since)s
    UNION ALL
    SELECT p.sender_id, date_trunc('month', p.created_at AT TIME ZONE %(tz)s)::date
      FROM wallet_p2ptransfer p
     WHERE p.sender_id IN (SELECT id FROM users) AND p.status = ANY(%(sent)s)
       AND (p.created_at AT TIME ZONE %(tz)s)::date >= %(since)s
    UNION ALL
    SELECT r.actor_id, date_trunc('month', r.created_at AT TIME ZONE %(tz)s)::date
      FROM wallet_rentpayment r
     WHERE r.actor_id IN (SELECT id FROM users) AND (r.created_at AT TIME ZONE %(tz)s)::date >= %(since)s
    UNION ALL
    SELECT m.user_id, date_trunc('month', c.paid_at AT TIME ZONE %(tz)s)::date
      FROM wallet_tontinemember m JOIN wallet_tontinecontribution c ON c.member_id = m.id
     WHERE m.user_id IN (SELECT id FROM users) AND c.status = %(paid)s
       AND (c.paid_at AT TIME ZONE %(tz)s)::date >= %(since)s
    UNION ALL
    SELECT p.user_id, date_trunc('month', i.paid_on)::date
      FROM wallet_splitplan p JOIN wallet_splitinstalment i ON i.plan_id = p.id
     WHERE p.user_id IN (SELECT id FROM users) AND i.status = %(instalment_paid)s
       AND i.paid_on >= %(since)s
)
SELECT DISTINCT users.public_id, used.month FROM used JOIN users ON users.id = used.user_id
"""


def _regularity_sql(ids: list[UUID], today: date) -> dict[UUID, WalletRegularity]:
    first = _month_index(today) - 5
    params = {
        "ids": _uuid_array(ids),
        "tz": timezone.get_current_timezone_name(),
        "since": date(first // 12, first % 12 + 1, 1),
        "paid": str(TontineContribution.Status.PAID),
        "late": str(TontineContribution.Status.LATE),
        "defaulted": str(TontineContribution.Status.DEFAULTED),
        "succeeded": str(TopUp.Status.SUCCEEDED),
        "withdrawn": str(Withdrawal.Status.PAID),
        "sent": [str(P2pTransfer.Status.COMPLETED), str(P2pTransfer.Status.CLAIMED)],
        "instalment_paid": str(SplitInstalment.Status.PAID),
    }
    out: dict[UUID, dict] = defaultdict(dict)
    months: dict[UUID, set[int]] = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(_CONTRIBUTIONS_SQL, params)
        for user, on_time, late, defaults in cursor.fetchall():
            out[user].update(tontine_on_time=on_time, tontine_late=late, tontine_defaults=defaults)
        cursor.execute(_STREAKS_SQL, params)
        for user, streak in cursor.fetchall():
            out[user]["split_streak_max"] = streak or 0
        cursor.execute(_MONTHS_SQL, params)
        for user, month in cursor.fetchall():
            if month is not None:
                months[user].add(_month_index(month))
    for user, seen in months.items():
        out[user]["active_months_6"] = len({m for m in seen if first <= m <= _month_index(today)})
    return {user: WalletRegularity(**values) for user, values in out.items()}


def _uuid_array(ids) -> str:
    """The ids as one PostgreSQL array literal (the parameter of `= ANY(%s::uuid[])`): one
    string to send, not thousands of values for the driver to adapt one by one."""
    return "{" + ",".join(str(u) for u in ids) + "}"
