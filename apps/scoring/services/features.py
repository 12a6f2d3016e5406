"""The rent score's inputs (docs/scoring.md « The rent score »), computed set-based from the
public APIs of estate, recovery, the wallet and kyc — never from their tables.

    features_for(user_ids, today=)          -> {user: ScoreFeatures}   (a handful of queries)
    features_for_all(today, chunk=5000)     -> iterator of {user: ScoreFeatures} per chunk
    rent_lines(user_id, months=24, today=)  -> [RentLine]              (the data behind it)

The number of queries does not grow with the number of users: estate 2 (the lines counted,
the leases' dates), recovery 2, wallet 8 (one per source; 3 on PostgreSQL), kyc 1, the upheld
disputes 1 — at most 14 per call, whatever its size (tests/scoring/test_features.py holds the
ceiling); one more when a user of the call has a line an upheld dispute took out (their
lines, counted again); plus what each registered feature source of a higher module reads
(lending's loans: one query).

On PostgreSQL each source reads with one SQL text and the call's ids as one uuid[] parameter
(never an IN list of thousands of UUIDs), the ORM elsewhere (SQLite, the embedded default);
tests/scoring/test_features_set_based.py compares both, and the per-user path, on generated
histories. docs/scoring.md « Performance » has the figures.

What is never a feature (« Fairness and governance »): sex, ethnicity, religion, age,
names, the neighbourhood or the property's place (a proxy for them), the landlord. Places
are read only by the fairness report, to check the score, never to compute it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db import connection
from django.utils import timezone

from apps.estate import api as estate
from apps.kyc import api as kyc
from apps.recovery import api as recovery
from apps.wallet import api as wallet

from ..contracts import RentLine, RentLineCode, ScoreFeatures
from .sources import read_all

DEFAULT_CHUNK = 5000


def _ids(user_ids: Iterable) -> list[UUID]:
    return list(dict.fromkeys(u if isinstance(u, UUID) else UUID(str(u)) for u in user_ids))


def features_for(user_ids: Iterable, *, today: date | None = None) -> dict[UUID, ScoreFeatures]:
    """{user public id: ScoreFeatures} for every id given (a user with no history gets the
    zero features: a thin file). Set-based: a fixed number of queries for any number of ids."""
    ids = _ids(user_ids)
    if not ids:
        return {}
    today = today or timezone.localdate()
    rent = _without_upheld_disputes(estate.tenant_rent_summaries(ids, today=today), ids, today)
    cases = recovery.tenant_recovery(ids)
    regularity = wallet.wallet_regularity(ids, today=today)
    tiers = kyc.tiers_of(ids)
    extra = read_all(ids, today)  # the higher modules' sources (lending's loans): one call each
    out: dict[UUID, ScoreFeatures] = {}
    for user in ids:
        r, c, w = rent.get(user), cases.get(user), regularity.get(user)
        late = r.late_12 if r else 0
        out[user] = ScoreFeatures(
            months_observed=r.months_observed if r else 0,
            on_time_12=r.on_time_12 if r else 0,
            late_12=late,
            partial_12=r.partial_12 if r else 0,
            unpaid_12=r.unpaid_12 if r else 0,
            avg_days_late_12=round(r.days_late_sum_12 / late, 1) if r and late else 0.0,
            max_days_late_12=r.max_days_late_12 if r else 0,
            tenure_months=r.tenure_months if r else 0,
            recovery_opened=c.opened if c else 0,
            recovery_paid=c.paid if c else 0,
            recovery_written_off=c.written_off if c else 0,
            promises_kept=c.promises_kept if c else 0,
            promises_broken=c.promises_broken if c else 0,
            tontine_on_time=w.tontine_on_time if w else 0,
            tontine_late=w.tontine_late if w else 0,
            tontine_defaults=w.tontine_defaults if w else 0,
            split_streak_max=w.split_streak_max if w else 0,
            wallet_active_months_6=w.active_months_6 if w else 0,
            kyc_tier=int(tiers.get(user, 0) or 0),
            extra=extra.get(user, ()),
        )
    return out


@dataclass(frozen=True)
class _Rent:
    """A tenant's lines counted again without the ones an upheld dispute took out (the same
    counts as estate.tenant_rent_summaries)."""

    months_observed: int = 0
    on_time_12: int = 0
    late_12: int = 0
    partial_12: int = 0
    unpaid_12: int = 0
    days_late_sum_12: int = 0
    max_days_late_12: int = 0
    tenure_months: int = 0


ALL_MONTHS = 12 * 100
_LATE = {RentLineCode.LATE_1_29, RentLineCode.LATE_30_59, RentLineCode.LATE_60_PLUS}


def _without_upheld_disputes(rent: dict, ids: list[UUID], today: date) -> dict:
    """A line whose dispute staff upheld no longer counts (services/disputes.py): the few users
    with one are counted again from their lines, minus those (one query for the disputes, one
    for those users' lines)."""
    from .disputes import excluded_lines

    excluded = excluded_lines(_with_upheld_disputes(ids))
    if not excluded:
        return rent
    lines = estate.tenant_rent_lines(list(excluded), today=today, months=ALL_MONTHS)
    first = today.year * 12 + today.month - 1 - 11  # the 12 months back from today's, as estate counts
    since = date(first // 12, first % 12 + 1, 1)
    rent = dict(rent)
    for user, taken_out in excluded.items():
        kept = [
            line
            for line in lines.get(user, ())
            if (line.lease, line.period.strftime("%Y-%m")) not in taken_out
        ]
        recent = [line for line in kept if line.period >= since]
        late = [line for line in recent if line.code in _LATE]
        previous = rent.get(user)
        rent[user] = _Rent(
            months_observed=len({line.period for line in kept}),
            on_time_12=sum(line.code == RentLineCode.ON_TIME for line in recent),
            late_12=len(late),
            partial_12=sum(line.code == RentLineCode.PARTIAL for line in recent),
            unpaid_12=sum(line.code == RentLineCode.UNPAID for line in recent),
            days_late_sum_12=sum(line.days_late for line in late),
            max_days_late_12=max(
                (line.days_late for line in recent if line.code != RentLineCode.ON_TIME), default=0
            ),
            tenure_months=previous.tenure_months if previous else 0,
        )
    return rent


_UPHELD_SQL = """
SELECT DISTINCT u.public_id
  FROM scoring_rentlinedispute d
  JOIN identity_user u ON u.id = d.user_id
 WHERE d.status = 'upheld' AND u.public_id = ANY(%s::uuid[])
"""


def _with_upheld_disputes(ids: list[UUID]) -> list[UUID]:
    """The few users of `ids` with an upheld dispute (on PostgreSQL one query with the ids as one
    array parameter; elsewhere all of them, excluded_lines filters)."""
    if connection.vendor != "postgresql":
        return ids
    with connection.cursor() as cursor:
        cursor.execute(_UPHELD_SQL, ["{" + ",".join(str(u) for u in ids) + "}"])
        return [row[0] for row in cursor.fetchall()]


def features_for_all(
    today: date | None = None, chunk: int = DEFAULT_CHUNK
) -> Iterator[dict[UUID, ScoreFeatures]]:
    """Every tenant's features, `chunk` users at a time (the nightly rescore and the bench):
    estate's tenants walked by keyset pages, each page through features_for."""
    today = today or timezone.localdate()
    after = None
    while True:
        page = estate.tenants_after(after, limit=chunk)
        if not page:
            return
        yield features_for(page, today=today)
        after = page[-1]


def rent_lines(user_id, months: int = 24, *, today: date | None = None) -> list[RentLine]:
    """The user's rent lines of the last `months` months, oldest first: one per month's rent
    due of each lease they are a tenant of (RentBureau-like codes). One query."""
    today = today or timezone.localdate()
    user = UUID(str(user_id))
    rows = estate.tenant_rent_lines([user], today=today, months=months).get(user, [])
    return [
        RentLine(
            month=row.period.strftime("%Y-%m"),
            lease=row.lease,
            organization=row.organization,
            due_date=row.due_date,
            amount=row.amount,
            paid=row.paid,
            currency=row.currency,
            days_late=row.days_late,
            code=RentLineCode(row.code),
        )
        for row in rows
    ]
