"""Lending's loans in the rent score (docs/lending.md « Loans in the rent score »).

Scoring sits below lending and cannot read its tables; lending registers this source with
`scoring.api.register_feature_source` from `LendingConfig.ready()`. Scoring calls `read` once
per chunk of users (the nightly rescore: 5,000 at a time) and turns each feature into a model
variable "lending.<feature>" with the direction written here.

The features of a user, as they stood on `as_of` (tenant loans that were disbursed: a landlord's
advance is repaid from the rents under management, not by the person):

| feature | direction | definition |
|---|---|---|
| loans_repaid | raises | loans closed repaid in full on or before `as_of` |
| instalments_late_pct | lowers | of the instalments due before `as_of` (current schedules, written-off lines aside), the share (0-100) not paid in full by their due date |
| worst_days_past_due_24 | lowers | the longest delay of an instalment due in the 24 months before `as_of`: paid → days from the due date to the payment, unpaid (or written off) → days so far |
| delinquent | lowers | 1 when an instalment due before `as_of` is still unpaid then (written-off lines aside) |
| loans_written_off | lowers | loans written off on or before `as_of` |

The share is of instalments late, not on time, so that a user without a loan (0, the default)
carries no evidence either way; the on-time repayments raise the score through loans_repaid.
A user with no disbursed tenant loan is not returned: every feature takes its default (0), and
the score is the one the user would have without this source.

One query for any number of users (instalments joined to their loan and its borrower, grouped
by borrower); tests/scoring/test_loan_features.py holds the ceiling. On PostgreSQL it is one
SQL text with the ids as one array parameter (_READ_SQL: the borrowers found on their public
ids' unique index, no IN list of thousands of UUIDs, no ORM compilation per call); elsewhere
the ORM (SQLite, the embedded default).
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import numpy as np
from django.db import connection
from django.db.models import Case, Count, DateField, DurationField, F, Max, Q, Value, When
from django.db.models.expressions import ExpressionWrapper
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.scoring.contracts import FeatureSpec

from ..contracts import BorrowerKind, LoanStatus
from ..models import Instalment

__all__ = ["FEATURES", "SOURCE", "read", "register", "simulate"]

SOURCE = "lending"
WINDOW_DAYS = 730  # 24 months, for the worst delay
_DISBURSED = (LoanStatus.ACTIVE, LoanStatus.CLOSED, LoanStatus.WRITTEN_OFF)


def read(user_ids: list[UUID], as_of: date) -> dict[UUID, dict[str, int]]:
    """{user public id: {feature: int}} for the users given who had a disbursed tenant loan by
    `as_of`. One query."""
    if not user_ids:
        return {}
    if connection.vendor == "postgresql":
        return _read_sql(list(user_ids), as_of)
    return _read_orm(list(user_ids), as_of)


_READ_SQL = """
SELECT u.public_id,
       COUNT(DISTINCT l.id) FILTER (WHERE l.status = %(closed)s AND l.closed_on <= %(as_of)s),
       COUNT(DISTINCT l.id) FILTER (WHERE l.status = %(written_off)s AND l.closed_on <= %(as_of)s),
       COUNT(*) FILTER (WHERE i.due_date < %(as_of)s AND i.status <> %(waived)s),
       COUNT(*) FILTER (WHERE i.due_date < %(as_of)s AND i.status <> %(waived)s
                          AND i.status = %(paid)s AND i.paid_on <= %(as_of)s AND i.paid_on <= i.due_date),
       COUNT(*) FILTER (WHERE i.due_date < %(as_of)s AND i.status <> %(waived)s
                          AND NOT (i.status = %(paid)s AND i.paid_on IS NOT NULL AND i.paid_on <= %(as_of)s)),
       MAX(CASE WHEN i.status = %(paid)s AND i.paid_on <= %(as_of)s THEN i.paid_on ELSE %(as_of)s END
           - i.due_date) FILTER (WHERE i.due_date < %(as_of)s AND i.due_date >= %(window)s)
  FROM identity_user u
  JOIN lending_loan l ON l.borrower_id = u.id
  JOIN lending_instalment i ON i.loan_id = l.id
 WHERE u.public_id = ANY(%(ids)s::uuid[]) AND l.borrower_kind = %(tenant)s AND l.status = ANY(%(disbursed)s)
   AND l.disbursed_on <= %(as_of)s AND NOT i.superseded
 GROUP BY u.public_id
"""


def _read_sql(user_ids: list, as_of: date) -> dict[UUID, dict[str, int]]:
    params = {
        "ids": _uuid_array(UUID(str(u)) for u in user_ids),
        "as_of": as_of,
        "window": as_of - timedelta(days=WINDOW_DAYS),
        "closed": str(LoanStatus.CLOSED),
        "written_off": str(LoanStatus.WRITTEN_OFF),
        "paid": str(Instalment.Status.PAID),
        "waived": str(Instalment.Status.WAIVED),
        "tenant": str(BorrowerKind.TENANT),
        "disbursed": [str(s) for s in _DISBURSED],
    }
    with connection.cursor() as cursor:
        cursor.execute(_READ_SQL, params)
        rows = cursor.fetchall()
    out = {}
    for user, repaid, written_off, due, on_time, open_due, worst in rows:
        out[user] = {
            "loans_repaid": repaid,
            "instalments_late_pct": round(100 * (due - on_time) / due) if due else 0,
            "worst_days_past_due_24": max(worst, 0) if worst is not None else 0,
            "delinquent": int(open_due > 0),
            "loans_written_off": written_off,
        }
    return out


def _read_orm(user_ids: list, as_of: date) -> dict[UUID, dict[str, int]]:
    """The same read through the ORM (SQLite, the embedded default)."""
    paid_by = Q(status=Instalment.Status.PAID, paid_on__lte=as_of)
    waived = Q(status=Instalment.Status.WAIVED)
    due = Q(due_date__lt=as_of)
    days_late = ExpressionWrapper(
        Case(When(paid_by, then=F("paid_on")), default=Value(as_of), output_field=DateField())
        - F("due_date"),
        output_field=DurationField(),
    )
    rows = (
        Instalment.objects.filter(
            loan__borrower__public_id__in=user_ids,
            loan__borrower_kind=BorrowerKind.TENANT,
            loan__status__in=[s.value for s in _DISBURSED],
            loan__disbursed_on__lte=as_of,
            superseded=False,
        )
        .values("loan__borrower__public_id")
        .annotate(
            repaid=Count(
                "loan", distinct=True, filter=Q(loan__status=LoanStatus.CLOSED, loan__closed_on__lte=as_of)
            ),
            written_off=Count(
                "loan",
                distinct=True,
                filter=Q(loan__status=LoanStatus.WRITTEN_OFF, loan__closed_on__lte=as_of),
            ),
            due=Count("pk", filter=due & ~waived),
            on_time=Count("pk", filter=due & ~waived & paid_by & Q(paid_on__lte=F("due_date"))),
            open_due=Count("pk", filter=due & ~waived & ~paid_by),
            worst=Max(days_late, filter=due & Q(due_date__gte=as_of - timedelta(days=WINDOW_DAYS))),
        )
    )
    out = {}
    for row in rows:
        late_pct = round(100 * (row["due"] - row["on_time"]) / row["due"]) if row["due"] else 0
        worst = row["worst"]
        out[row["loan__borrower__public_id"]] = {
            "loans_repaid": row["repaid"],
            "instalments_late_pct": late_pct,
            "worst_days_past_due_24": max(worst.days, 0) if worst is not None else 0,
            "delinquent": int(row["open_due"] > 0),
            "loans_written_off": row["written_off"],
        }
    return out


# --- the reasons' words (French in the catalogue), the written-down directions ---


def _repaid(n: int, lowers: bool) -> str:
    if n == 0:
        return _("No loan repaid in full yet")
    return ngettext("%(n)d loan repaid in full", "%(n)d loans repaid in full", n) % {"n": n}


def _late_pct(n: int, lowers: bool) -> str:
    if n == 0:
        return _("Every loan instalment paid on time")
    return _("%(n)d %% of loan instalments paid late") % {"n": n}


def _worst(n: int, lowers: bool) -> str:
    if n == 0:
        return _("No loan instalment paid late in the last 24 months")
    return ngettext(
        "A loan instalment %(n)d day past due in the last 24 months",
        "A loan instalment %(n)d days past due in the last 24 months",
        n,
    ) % {"n": n}


def _delinquent(n: int, lowers: bool) -> str:
    return _("A loan instalment is overdue") if n else _("No loan instalment overdue")


def _written_off(n: int, lowers: bool) -> str:
    if n == 0:
        return _("No loan written off")
    return ngettext("%(n)d loan written off", "%(n)d loans written off", n) % {"n": n}


FEATURES = (
    FeatureSpec(
        "loans_repaid",
        "raises",
        "a loan repaid in full never lowers the score",
        _repaid,
        provisional=((1.0, 2.0), (0.0, 0.35, 0.5)),
    ),
    FeatureSpec(
        "instalments_late_pct",
        "lowers",
        "more instalments paid late never raise it",
        _late_pct,
        provisional=((1.0, 20.0, 50.0), (0.0, -0.3, -0.7, -1.1)),
    ),
    FeatureSpec(
        "worst_days_past_due_24",
        "lowers",
        "a longer worst delay never raises it",
        _worst,
        provisional=((1.0, 30.0, 90.0), (0.0, -0.2, -0.7, -1.2)),
    ),
    FeatureSpec(
        "delinquent",
        "lowers",
        "an overdue instalment never raises it",
        _delinquent,
        provisional=((1.0,), (0.0, -0.9)),
    ),
    FeatureSpec(
        "loans_written_off",
        "lowers",
        "a written-off loan never raises it",
        _written_off,
        provisional=((1.0,), (0.0, -1.6)),
    ),
)


# --- the simulated population (scoring's training before the platform has loan history) ---


def simulate(rng: np.random.Generator, behaviour: dict) -> dict[str, np.ndarray]:
    """Loans of simulated tenants, from their rent behaviour (scoring's services/simulate.py):
    a tenant with 3+ months on the platform takes up to three rent advances (take-up 30 %,
    whatever their behaviour) of 6 monthly instalments; each instalment is missed with 4 times
    the tenant's monthly chance of not paying rent, else paid late with their chance of paying
    rent late; a loan with 3 missed instalments is written off unless the tenant clears
    arrears (their own chance), with 2 the last loan is still overdue, otherwise it is repaid."""
    p_late, p_unpaid, p_clear = behaviour["p_late"], behaviour["p_unpaid"], behaviour["p_clear"]
    observed = behaviour["observed"]
    n = len(observed)
    takes = (observed >= 3) & (rng.random(n) < 0.30)
    loans = np.where(takes, np.minimum(rng.integers(1, 4, size=n), np.maximum(observed // 6, 1)), 0)
    repaid, written_off, delinquent, due, late, worst = (np.zeros(n, dtype=np.int64) for _i in range(6))
    p_miss = np.minimum(p_unpaid * 4.0, 0.9)[:, None]
    p_slow = np.minimum(p_unpaid * 4.0 + p_late, 0.95)[:, None]
    for k in range(3):
        has = loans > k
        u = rng.random((n, 6))
        missed, slow = u < p_miss, (u >= p_miss) & (u < p_slow)
        n_missed = missed.sum(axis=1)
        cleared = rng.random(n) < p_clear
        off = has & (n_missed >= 3) & ~cleared
        overdue = has & ~off & (n_missed >= 2) & ~cleared & (k == loans - 1)
        repaid += has & ~off & ~overdue
        written_off += off
        delinquent |= overdue
        due += np.where(has, 6, 0)
        late += np.where(has, n_missed + slow.sum(axis=1), 0)
        delay = np.where(
            off | overdue,
            30 * n_missed + 15,
            np.where(
                n_missed > 0,
                rng.integers(31, 60, size=n),
                np.where(slow.any(axis=1), rng.integers(1, 30, size=n), 0),
            ),
        )
        worst = np.maximum(worst, np.where(has, delay, 0))
    late_pct = np.where(due > 0, np.rint(100 * late / np.maximum(due, 1)), 0).astype(np.int64)
    return {
        "loans_repaid": repaid,
        "instalments_late_pct": late_pct,
        "worst_days_past_due_24": worst,
        "delinquent": delinquent,
        "loans_written_off": written_off,
    }


def register() -> None:
    """From LendingConfig.ready(): the loans become features of the rent score."""
    from apps.scoring import api as scoring

    scoring.register_feature_source(SOURCE, read, features=FEATURES, simulate=simulate)


def _uuid_array(ids) -> str:
    """The ids as one PostgreSQL array literal (the parameter of `= ANY(%s::uuid[])`): one
    string to send, not thousands of values for the driver to adapt one by one."""
    return "{" + ",".join(str(u) for u in ids) + "}"
