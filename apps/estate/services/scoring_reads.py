"""Set-based reads of tenants' rent history for scoring (the rent score's features, the
tenant's rent lines, the fairness report's places). One or two queries per call, whatever
the number of users; no per-row work in SQL beyond one CASE.

A month's line (RentBureau-like), for each rent due (kind « rent ») whose due date has
passed:
- on_time: paid in full on or before the end of the grace days (the day the money came in:
  the last allocation's date, which a receipt recorded later keeps; else the day it was
  marked paid);
- late_1_29 / late_30_59 / late_60_plus: paid in full after the grace days, by the days
  between the due date and the day the last money came in;
- partial: part paid, the rest still open (or written off) after the grace days;
- unpaid: nothing paid after the grace days.
A due still inside its grace days and unpaid is not a line yet (nothing is late).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from ..contracts import DueKind, DueStatus, LeaseStatus
from ..models import LeaseTenant, PaymentAllocation, RentDue

ON_TIME, LATE_1_29, LATE_30_59, LATE_60_PLUS, PARTIAL, UNPAID = (
    "on_time",
    "late_1_29",
    "late_30_59",
    "late_60_plus",
    "partial",
    "unpaid",
)
LATE_CODES = (LATE_1_29, LATE_30_59, LATE_60_PLUS)


@dataclass(frozen=True)
class TenantRentLine:
    """One month's due of one of the user's leases, with how it was paid."""

    user: UUID
    lease: UUID
    organization: UUID
    period: date  # first day of the month
    due_date: date
    amount: int
    paid: int
    currency: str
    paid_on: date | None
    days_late: int
    code: str  # on_time | late_1_29 | late_30_59 | late_60_plus | partial | unpaid


@dataclass(frozen=True)
class TenantRentSummary:
    """A user's rent lines counted (the score's rent features)."""

    months_observed: int = 0  # distinct months with a line, all leases, all time
    on_time_12: int = 0  # lines of the last 12 months, by code
    late_12: int = 0
    partial_12: int = 0
    unpaid_12: int = 0
    days_late_sum_12: int = 0  # over the late lines of the last 12 months
    max_days_late_12: int = 0  # over every line of the last 12 months (open ones: days so far)
    tenure_months: int = 0  # the longest lease, in whole months, up to today or its end


@dataclass(frozen=True)
class TenantPlace:
    """Where a user rents now (their most recent lease's property)."""

    country: str
    city: str


class _DaysBetween(Func):
    """date - date in PostgreSQL: an integer number of days."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()


def month_start(day: date, back: int = 0) -> date:
    """The first day of the month `back` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _lines(today: date):
    """Rent dues that are lines on `today`, annotated with paid_on, days_late and code."""
    last_applied = (
        PaymentAllocation.objects.filter(due=OuterRef("pk"), amount__gt=0)
        .values("due")
        .annotate(last=Max("applied_on"))
        .values("last")
    )
    paid = Q(status=DueStatus.PAID)
    return (
        RentDue.objects.filter(kind=DueKind.RENT, due_date__lte=today)
        .filter(paid | Q(grace_until__lt=today))
        .annotate(
            paid_on=Case(
                When(
                    paid,
                    then=Coalesce(
                        Subquery(last_applied, output_field=DateField()), TruncDate("paid_at"), F("due_date")
                    ),
                ),
                default=None,
                output_field=DateField(),
            )
        )
        .annotate(
            days_late=Case(
                When(paid, then=Greatest(_DaysBetween(F("paid_on"), F("due_date")), Value(0))),
                default=Greatest(
                    _DaysBetween(Value(today, output_field=DateField()), F("due_date")), Value(0)
                ),
                output_field=IntegerField(),
            )
        )
        .annotate(
            code=Case(
                When(paid & Q(paid_on__lte=F("grace_until")), then=Value(ON_TIME)),
                When(paid & Q(days_late__lt=30), then=Value(LATE_1_29)),
                When(paid & Q(days_late__lt=60), then=Value(LATE_30_59)),
                When(paid, then=Value(LATE_60_PLUS)),
                When(paid__gt=0, then=Value(PARTIAL)),
                default=Value(UNPAID),
                output_field=CharField(),
            )
        )
    )


def tenant_rent_lines(user_ids, *, today: date, months: int = 24) -> dict[UUID, list[TenantRentLine]]:
    """The rent lines of the last `months` months of every lease each user is a tenant of,
    oldest first. One query."""
    ids = list({u if isinstance(u, UUID) else UUID(str(u)) for u in user_ids})
    out: dict[UUID, list[TenantRentLine]] = {u: [] for u in ids}
    if not ids:
        return out
    rows = (
        _lines(today)
        .filter(period__gte=month_start(today, months - 1), lease__lease_tenants__user__public_id__in=ids)
        .values_list(
            "lease__lease_tenants__user__public_id",
            "lease__public_id",
            "organization__public_id",
            "period",
            "due_date",
            "total",
            "paid",
            "currency",
            "paid_on",
            "days_late",
            "code",
        )
        .order_by("period", "due_date", "id")
    )
    for user, lease, org, period, due_date, total, paid, currency, paid_on, days_late, code in rows:
        out[user].append(
            TenantRentLine(
                user=user,
                lease=lease,
                organization=org,
                period=period,
                due_date=due_date,
                amount=total,
                paid=paid,
                currency=currency,
                paid_on=paid_on,
                days_late=days_late,
                code=code,
            )
        )
    return out


def _months_between(start: date, end: date) -> int:
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def tenant_rent_summaries(user_ids, *, today: date) -> dict[UUID, TenantRentSummary]:
    """Each user's rent lines counted (12 months back from `today`'s month) and their
    tenure. Two queries (the lines' aggregate, the leases' dates): on PostgreSQL one SQL
    text with the ids as one array parameter (_SUMMARIES_SQL), elsewhere the ORM."""
    ids = list({u if isinstance(u, UUID) else UUID(str(u)) for u in user_ids})
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        return _summaries_sql(ids, today)
    return _summaries_orm(ids, today)


# The lines of the chunk's users, coded as _lines() codes them, and counted per user in one
# pass: the users found by their public ids (an array parameter on the unique index, not an IN
# list), their leases' dues read once (MATERIALIZED), the last allocation's date of those dues
# grouped once and hash-joined (the ORM's correlated subquery is repeated in each CASE that
# names paid_on), each line's days late and kind (0 on time, 1 late, 2 partial, 3 unpaid)
# computed once (OFFSET 0 keeps them from being inlined into every aggregate).
_SUMMARIES_SQL = """
WITH users AS (
    SELECT u.id, u.public_id FROM identity_user u WHERE u.public_id = ANY(%(ids)s::uuid[])
), dues AS MATERIALIZED (
    SELECT users.id AS uid, users.public_id AS pid, d.id, d.period, d.due_date, d.grace_until,
           d.paid, d.paid_at, d.status = %(paid)s AS settled
      FROM users
      JOIN estate_leasetenant lt ON lt.user_id = users.id
      JOIN estate_rentdue d ON d.lease_id = lt.lease_id
     WHERE d.kind = %(rent)s AND d.due_date <= %(today)s
       AND (d.status = %(paid)s OR d.grace_until < %(today)s)
), applied AS (
    SELECT a.due_id, MAX(a.applied_on) AS last
      FROM estate_paymentallocation a JOIN dues ON dues.id = a.due_id
     WHERE a.amount > 0
     GROUP BY a.due_id
), coded AS (
    SELECT uid, pid, period, period >= %(since)s AS recent,
           CASE WHEN settled THEN GREATEST(paid_on - due_date, 0)
                ELSE GREATEST(%(today)s - due_date, 0) END AS days_late,
           CASE WHEN settled AND paid_on <= grace_until THEN 0
                WHEN settled THEN 1
                WHEN paid > 0 THEN 2
                ELSE 3 END AS k
      FROM (
          SELECT dues.*, CASE WHEN settled THEN COALESCE(
                     applied.last, (paid_at AT TIME ZONE %(tz)s)::date, due_date) END AS paid_on
            FROM dues LEFT JOIN applied ON applied.due_id = dues.id
          OFFSET 0
      ) lines
    OFFSET 0
)
SELECT pid,
       COUNT(DISTINCT period),
       COUNT(*) FILTER (WHERE recent AND k = 0),
       COUNT(*) FILTER (WHERE recent AND k = 1),
       COUNT(*) FILTER (WHERE recent AND k = 2),
       COUNT(*) FILTER (WHERE recent AND k = 3),
       COALESCE(SUM(days_late) FILTER (WHERE recent AND k = 1), 0),
       COALESCE(MAX(days_late) FILTER (WHERE recent AND k <> 0), 0)
  FROM coded
 GROUP BY uid, pid
"""

_TENURE_SQL = """
SELECT u.public_id, l.start_date, l.ended_on
  FROM identity_user u
  JOIN estate_leasetenant lt ON lt.user_id = u.id
  JOIN estate_lease l ON l.id = lt.lease_id
 WHERE u.public_id = ANY(%(ids)s::uuid[]) AND l.status <> %(canceled)s
"""

_COUNTED = (
    "months_observed",
    "on_time_12",
    "late_12",
    "partial_12",
    "unpaid_12",
    "days_late_sum_12",
    "max_days_late_12",
)


def _tenure(leases, today: date) -> dict[UUID, int]:
    tenure: dict[UUID, int] = defaultdict(int)
    for user, start, ended_on in leases:
        end = ended_on if ended_on is not None and ended_on < today else today
        tenure[user] = max(tenure[user], _months_between(start, end))
    return tenure


def _summaries_sql(ids: list[UUID], today: date) -> dict[UUID, TenantRentSummary]:
    params = {
        "ids": _uuid_array(ids),
        "today": today,
        "since": month_start(today, 11),
        "tz": timezone.get_current_timezone_name(),
        "paid": str(DueStatus.PAID),
        "rent": str(DueKind.RENT),
        "canceled": str(LeaseStatus.CANCELED),
    }
    with connection.cursor() as cursor:
        cursor.execute(_SUMMARIES_SQL, params)
        counted = {row[0]: dict(zip(_COUNTED, row[1:], strict=True)) for row in cursor.fetchall()}
        cursor.execute(_TENURE_SQL, params)
        tenure = _tenure(cursor.fetchall(), today)
    return {
        u: TenantRentSummary(**counted.get(u, {}), tenure_months=tenure.get(u, 0))
        for u in ids
        if u in counted or u in tenure
    }


def _summaries_orm(ids: list[UUID], today: date) -> dict[UUID, TenantRentSummary]:
    """The same counts through the ORM (SQLite, the embedded default)."""
    since = month_start(today, 11)
    recent = Q(period__gte=since)
    late = Q(code__in=LATE_CODES)
    rows = (
        _lines(today)
        .filter(lease__lease_tenants__user__public_id__in=ids)
        .values(uid=F("lease__lease_tenants__user__public_id"))
        .annotate(
            months_observed=Count("period", distinct=True),
            on_time_12=Count("id", filter=recent & Q(code=ON_TIME)),
            late_12=Count("id", filter=recent & late),
            partial_12=Count("id", filter=recent & Q(code=PARTIAL)),
            unpaid_12=Count("id", filter=recent & Q(code=UNPAID)),
            days_late_sum_12=Coalesce(Sum("days_late", filter=recent & late), 0),
            max_days_late_12=Coalesce(Max("days_late", filter=recent & ~Q(code=ON_TIME)), 0),
        )
        .order_by()
    )
    counted = {r.pop("uid"): r for r in rows}
    leases = (
        LeaseTenant.objects.filter(user__public_id__in=ids)
        .exclude(lease__status=LeaseStatus.CANCELED)
        .values_list("user__public_id", "lease__start_date", "lease__ended_on")
    )
    tenure = _tenure(leases, today)
    return {
        u: TenantRentSummary(**counted.get(u, {}), tenure_months=tenure.get(u, 0))
        for u in ids
        if u in counted or u in tenure
    }


def tenant_places(user_ids) -> dict[UUID, TenantPlace]:
    """The country and city of each user's most recent lease (the fairness report). One query."""
    ids = list({u if isinstance(u, UUID) else UUID(str(u)) for u in user_ids})
    out: dict[UUID, TenantPlace] = {}
    rows = (
        LeaseTenant.objects.filter(user__public_id__in=ids)
        .order_by("lease__start_date", "id")
        .values_list("user__public_id", "lease__unit__property__country", "lease__unit__property__city")
    )
    for user, country, city in rows:
        out[user] = TenantPlace(country=country, city=city)
    return out


def tenants_after(after: UUID | None = None, *, limit: int = 2000) -> list[UUID]:
    """The public ids of users who are (or were) a lease's tenant, in public-id order, after
    `after` (a keyset page: the nightly rescore walks every tenant with it). One query, along
    the users' public-id index."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(Exists(LeaseTenant.objects.filter(user=OuterRef("pk"))))
    if after is not None:
        users = users.filter(public_id__gt=after)
    return list(users.order_by("public_id").values_list("public_id", flat=True)[:limit])


def _uuid_array(ids) -> str:
    """The ids as one PostgreSQL array literal (the parameter of `= ANY(%s::uuid[])`): one
    string to send, not thousands of values for the driver to adapt one by one."""
    return "{" + ",".join(str(u) for u in ids) + "}"
