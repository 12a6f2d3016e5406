"""Product analytics (docs/analytics.md, « Product analytics »): the apps' events in, kept in a
table partitioned by month, and the funnels and retention cohorts computed from it.

Ingestion, one batch from an app (`events_ingest`):
- each event is checked alone: a bad one is « rejected » with its reasons, the others go in
  (an old app version sending one malformed event must not lose, or endlessly retry, the rest);
- an event id counts once: repeats inside the batch are « duplicate » here, and a replayed
  event (same id, same time: the app re-sends what it stored) is a conflict on the primary
  key (occurred_at, event_id), skipped by `ON CONFLICT DO NOTHING`, « duplicate » too;
- one statement per batch: PostgreSQL gets the columns as arrays (`unnest`, one parse, one
  round trip), SQLite a multi-row VALUES.
Bulk loads (`events_bulk_load`, the benchmark, imports) COPY into a temporary table and
insert from it with the same conflict rule.

Funnels and retention run as SQL on PostgreSQL. `funnel_reference` and `retention_reference`
compute the same figures in Python from the rows: SQLite (the embedded default) uses them,
and the tests hold the SQL to them.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ProductEvent

TABLE = ProductEvent._meta.db_table
COLUMNS = (
    "occurred_at",
    "event_id",
    "name",
    "user",
    "anonymous_id",
    "session_id",
    "properties",
    "received_at",
)
NAME_PATTERN = re.compile(r"[a-z_]+(\.[a-z_]+)*")
NAME_MAX = 80
ID_MAX = 64

# The events the apps send, by name (names outside this list are accepted when they follow
# NAME_PATTERN, unless ANALYTICS_EVENTS_ALLOW_UNREGISTERED is off). The funnels page offers them.
EVENT_NAMES: dict[str, str] = {
    "app.opened": "the app came to the foreground",
    "screen.viewed": "a screen was shown (properties.screen)",
    "signup.completed": "a new account finished its phone check",
    "login.completed": "a sign-in succeeded",
    "avis.received": "the tenant opened a rent notice (avis d'échéance)",
    "pay_link.opened": "a pay link was opened",
    "payment.started": "a payment was started (properties.method)",
    "payment.paid": "the app showed a successful payment",
    "payment.failed": "the app showed a failed payment",
    "receipt.viewed": "a receipt was opened",
    "listing.viewed": "a listing was opened",
    "listing.searched": "a housing search was run",
    "visit.booked": "a visit was booked",
    "wallet.topped_up": "the wallet was topped up",
    "tontine.joined": "a Cotis'Hokwe group was joined",
    "ai.asked": "a question was asked to the assistant",
}

ACCEPTED, DUPLICATE, REJECTED = "accepted", "duplicate", "rejected"


@dataclass(frozen=True)
class EventIn:
    """One event as the service takes it (the transports parse the wire format)."""

    event_id: uuid.UUID
    name: str
    occurred_at: datetime
    properties: dict = field(default_factory=dict)
    anonymous_id: str = ""
    session_id: str = ""


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: str


@dataclass(frozen=True)
class ItemResult:
    index: int
    event_id: uuid.UUID | None
    status: str  # accepted | duplicate | rejected
    errors: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class IngestResult:
    accepted: int
    duplicates: int
    rejected: int
    items: tuple[ItemResult, ...]


# --- checking one event ------------------------------------------------------------------------


def event_problems(event: EventIn, *, now: datetime, properties_json: str | None = None) -> list[Problem]:
    """What is wrong with one event (nothing: it may go in). `properties_json`: the
    properties already encoded (the caller stores that text)."""
    problems = []
    name = event.name
    if not isinstance(name, str) or len(name) > NAME_MAX or not NAME_PATTERN.fullmatch(name):
        problems.append(
            Problem("name", "invalid_name", str(_("An event name is lowercase words joined by dots.")))
        )
    elif not settings.ANALYTICS_EVENTS_ALLOW_UNREGISTERED and name not in EVENT_NAMES:
        problems.append(Problem("name", "unknown_event", str(_("This event name is not registered."))))
    occurred = event.occurred_at
    if not isinstance(occurred, datetime) or timezone.is_naive(occurred):
        problems.append(Problem("timestamp", "invalid", str(_("A time with its UTC offset is expected."))))
    elif occurred > now + timedelta(seconds=settings.ANALYTICS_EVENTS_MAX_FUTURE_SECONDS):
        problems.append(Problem("timestamp", "in_future", str(_("This time is in the future."))))
    elif occurred < now - timedelta(days=settings.ANALYTICS_EVENTS_MAX_AGE_DAYS):
        problems.append(Problem("timestamp", "too_old", str(_("This event is too old to be recorded."))))
    if not isinstance(event.properties, dict):
        problems.append(Problem("properties", "invalid", str(_("Properties are a JSON object."))))
    elif (
        len((properties_json or _json(event.properties)).encode())
        > settings.ANALYTICS_EVENTS_MAX_PROPERTIES_BYTES
    ):
        problems.append(Problem("properties", "too_large", str(_("These properties are too large."))))
    for name_, value in (("anonymous_id", event.anonymous_id), ("session_id", event.session_id)):
        if not isinstance(value, str) or len(value) > ID_MAX:
            problems.append(Problem(name_, "invalid", str(_("At most 64 characters."))))
    return problems


def _json(value) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


# --- ingestion -------------------------------------------------------------------------------------


def events_ingest(
    *,
    user_id: uuid.UUID | None,
    events: Sequence[EventIn | Sequence[Problem]],
    now: datetime | None = None,
) -> IngestResult:
    """Record one batch of the apps' events for `user_id` (the sender's public id). An item
    that is a list of problems was already refused by the transport (its shape); it is
    reported as rejected in its place."""
    now = now or timezone.now()
    statuses: list[ItemResult | None] = [None] * len(events)
    first_of: dict[uuid.UUID, int] = {}
    rows = []
    for index, event in enumerate(events):
        if not isinstance(event, EventIn):
            statuses[index] = ItemResult(index, None, REJECTED, tuple(event))
            continue
        try:
            text = _json(event.properties) if isinstance(event.properties, dict) else None
        except (TypeError, ValueError):  # NaN, a value JSON cannot carry
            text = None
            event = EventIn(
                event.event_id, event.name, event.occurred_at, None, event.anonymous_id, event.session_id
            )
        problems = event_problems(event, now=now, properties_json=text)
        if problems:
            statuses[index] = ItemResult(index, event.event_id, REJECTED, tuple(problems))
        elif event.event_id in first_of:
            statuses[index] = ItemResult(index, event.event_id, DUPLICATE)
        else:
            first_of[event.event_id] = index
            rows.append(_row(event, text, user_id=user_id, received_at=now))
    inserted = _insert(rows) if rows else set()
    for event_id, index in first_of.items():
        statuses[index] = ItemResult(index, event_id, ACCEPTED if event_id in inserted else DUPLICATE)
    items = tuple(statuses)  # type: ignore[arg-type]
    counts = defaultdict(int)
    for item in items:
        counts[item.status] += 1
    return IngestResult(counts[ACCEPTED], counts[DUPLICATE], counts[REJECTED], items)


def _row(event: EventIn, properties_json: str, *, user_id, received_at) -> tuple:
    return (
        event.occurred_at.astimezone(UTC),
        event.event_id,
        event.name,
        user_id,
        event.anonymous_id,
        event.session_id,
        properties_json,
        received_at,
    )


def _insert(rows: list[tuple]) -> set[uuid.UUID]:
    """Insert the rows, skipping the ones already there; the ids actually inserted."""
    partitions_ensure({row[0] for row in rows})
    if connection.vendor == "postgresql":
        # server-side binding, arrays sent in binary (%b): Django's client-side cursor would
        # quote 8 × 500 values as text in Python, most of a batch's time
        import psycopg

        with transaction.atomic():
            connection.ensure_connection()
            with psycopg.Cursor(connection.connection) as cursor:
                cursor.execute(
                    f"INSERT INTO {TABLE} ({_columns()}) "  # noqa: S608 - table and column names, no input
                    "SELECT * FROM unnest(%b::timestamptz[], %b::uuid[], %b::varchar[], %b::uuid[], "
                    "%b::varchar[], %b::varchar[], %b::text[]::jsonb[], %b::timestamptz[]) "
                    "ON CONFLICT DO NOTHING RETURNING event_id",
                    [list(column) for column in zip(*rows, strict=True)],
                )
                return {row[0] for row in cursor.fetchall()}
    with transaction.atomic(), connection.cursor() as cursor:
        return _insert_values(cursor, rows)


def _insert_values(cursor, rows: list[tuple]) -> set[uuid.UUID]:
    """SQLite (and the baseline of the benchmark's same-statement check): multi-row VALUES."""
    fields = [ProductEvent._meta.get_field(name) for name in COLUMNS]
    inserted: set[uuid.UUID] = set()
    chunk = max(1, 900 // len(COLUMNS))  # SQLite's bound-parameter limit
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        params = []
        for row in part:
            for model_field, value in zip(fields, row, strict=True):
                if model_field.name == "properties":
                    params.append(value)  # already JSON text
                else:
                    params.append(model_field.get_db_prep_value(value, connection, prepared=False))
        placeholders = ", ".join(["(" + ", ".join(["%s"] * len(COLUMNS)) + ")"] * len(part))
        cursor.execute(
            f"INSERT INTO {TABLE} ({_columns()}) VALUES {placeholders} ON CONFLICT DO NOTHING RETURNING event_id",  # noqa: S608 - table and column names, no input
            params,
        )
        uuid_field = ProductEvent._meta.get_field("event_id")
        inserted |= {uuid_field.to_python(value) for (value,) in cursor.fetchall()}
    return inserted


def _columns() -> str:
    return ", ".join(connection.ops.quote_name(c) for c in COLUMNS)


def events_bulk_load(rows: Iterable[tuple]) -> int:
    """Load many events at once (an import, the benchmark): rows in COLUMNS order with
    `properties` as JSON text. PostgreSQL: COPY into a temporary table, then one INSERT …
    SELECT … ON CONFLICT DO NOTHING. Returns how many were new."""
    if connection.vendor != "postgresql":
        rows = list(rows)
        partitions_ensure({row[0] for row in rows})
        with transaction.atomic(), connection.cursor() as cursor:
            return len(_insert_values(cursor, rows))
    months: set[date] = set()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE analytics_product_event_load "
            f"(LIKE {TABLE} INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        with cursor.cursor.copy(f"COPY analytics_product_event_load ({_columns()}) FROM STDIN") as copy:
            for row in rows:
                months.add(_month_of(row[0]))
                copy.write_row(row)
        _partitions_for_months(months)
        cursor.execute(
            f"INSERT INTO {TABLE} ({_columns()}) SELECT {_columns()} FROM analytics_product_event_load "  # noqa: S608 - table and column names, no input
            "ON CONFLICT DO NOTHING"
        )
        inserted = cursor.rowcount
        cursor.execute("DROP TABLE analytics_product_event_load")  # inside an outer transaction too
        return inserted


# --- partitions ------------------------------------------------------------------------------------


def _month_of(moment: datetime) -> date:
    moment = moment.astimezone(UTC)
    return date(moment.year, moment.month, 1)


def _shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"{TABLE}_p{month:%Y%m}"


def partitions_ensure(moments: Iterable[datetime]) -> None:
    """The monthly partitions these moments fall in exist (PostgreSQL; nothing on SQLite).
    The job keeps them ahead; this covers a job that did not run."""
    if connection.vendor == "postgresql":
        _partitions_for_months({_month_of(m) for m in moments})


_known_partitions: set[str] = set()


def _partitions_for_months(months: set[date]) -> None:
    missing = [m for m in months if partition_name(m) not in _known_partitions]
    if not missing:
        return
    with connection.cursor() as cursor:
        for month in missing:
            name = partition_name(month)
            cursor.execute("SELECT to_regclass(%s)", [name])
            if cursor.fetchone()[0] is None:
                _partition_create(cursor, month)  # known once committed (a rollback undoes it)
                transaction.on_commit(lambda name=name: _known_partitions.add(name))
            else:
                _known_partitions.add(name)


def _partition_create(cursor, month: date) -> None:
    start, end = month, _shift(month, 1)
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {partition_name(month)} PARTITION OF {TABLE} "
        f"FOR VALUES FROM ('{start.isoformat()}T00:00:00+00:00') TO ('{end.isoformat()}T00:00:00+00:00')"
    )


def partitions_list() -> list[date]:
    """The months that have a partition, oldest first (PostgreSQL; [] on SQLite)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT child.relname FROM pg_inherits JOIN pg_class parent ON parent.oid = inhparent "
            "JOIN pg_class child ON child.oid = inhrelid WHERE parent.relname = %s",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    months = []
    for name in names:
        match = re.fullmatch(rf"{TABLE}_p(\d{{4}})(\d{{2}})", name)
        if match:
            months.append(date(int(match[1]), int(match[2]), 1))
    return sorted(months)


def partitions_maintain(*, today: date | None = None) -> dict:
    """Create this month's and the next ANALYTICS_EVENTS_PARTITIONS_AHEAD months' partitions;
    drop the partitions wholly older than ANALYTICS_EVENTS_RETENTION_MONTHS months before
    this month (on SQLite: delete those rows). Idempotent."""
    today = today or timezone.now().date()
    this_month = today.replace(day=1)
    cutoff = _shift(this_month, -settings.ANALYTICS_EVENTS_RETENTION_MONTHS)
    if connection.vendor != "postgresql":
        deleted, _rows = ProductEvent.objects.filter(
            occurred_at__lt=datetime(cutoff.year, cutoff.month, 1, tzinfo=UTC)
        ).delete()
        return {"created": [], "dropped": [], "deleted": deleted}
    existing = set(partitions_list())
    wanted = {_shift(this_month, k) for k in range(settings.ANALYTICS_EVENTS_PARTITIONS_AHEAD + 1)}
    created, dropped = [], []
    with connection.cursor() as cursor:
        for month in sorted(wanted - existing):
            _partition_create(cursor, month)
            created.append(month.isoformat())
        for month in sorted(existing):
            if _shift(month, 1) <= cutoff:
                cursor.execute(f"DROP TABLE IF EXISTS {partition_name(month)}")
                _known_partitions.discard(partition_name(month))
                dropped.append(month.isoformat())
    return {"created": created, "dropped": dropped, "deleted": 0}


# --- funnels ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStep:
    name: str
    users: int
    conversion: float  # of the first step's users (1.0 for the first step)
    step_conversion: float  # of the previous step's users


@dataclass(frozen=True)
class Funnel:
    steps: tuple[FunnelStep, ...]
    window: timedelta
    since: datetime
    until: datetime


def _actor_sql(alias: str = "") -> str:
    """The user an event counts for: the sender's account, else the app's anonymous id."""
    prefix = f"{alias}." if alias else ""
    user = f"{prefix}{connection.ops.quote_name('user')}"
    if connection.vendor == "postgresql":
        user += "::text"
    return f"COALESCE({user}, NULLIF({prefix}anonymous_id, ''))"


def product_funnel(*, steps: Sequence[str], since: datetime, until: datetime, window: timedelta) -> Funnel:
    """Users who did the steps in order, each step within `window` of the first: how many
    reached each step, and the conversion. A user's funnel starts at their first first-step
    event in [since, until); later steps may fall up to `window` after it (even past until).
    Users are the sender's account, or the app's anonymous id before sign-in."""
    steps = list(steps)
    if not steps:
        raise ValueError("a funnel has at least one step")
    if connection.vendor != "postgresql":
        counts = funnel_reference(
            _rows(steps, since, until + window), steps=steps, since=since, until=until, window=window
        )
    else:
        counts = _funnel_sql(steps, since, until, window)
    return _funnel(steps, counts, since, until, window)


def _funnel(steps, counts, since, until, window) -> Funnel:
    out = []
    for k, name in enumerate(steps):
        first = counts[0] or 0
        previous = counts[k - 1] if k else counts[0]
        out.append(
            FunnelStep(
                name=name,
                users=counts[k],
                conversion=(counts[k] / first) if first else 0.0,
                step_conversion=(counts[k] / previous) if previous else 0.0,
            )
        )
    return Funnel(steps=tuple(out), window=window, since=since, until=until)


def _funnel_sql(steps: list[str], since: datetime, until: datetime, window: timedelta) -> list[int]:
    actor = _actor_sql()
    params: list = [steps[0], since, until]
    ctes = [
        f"s0 AS (SELECT {actor} AS actor, MIN(occurred_at) AS t, MIN(occurred_at) AS t0 FROM {TABLE} "  # noqa: S608 - table and column names, no input
        f"WHERE name = %s AND occurred_at >= %s AND occurred_at < %s AND {actor} IS NOT NULL GROUP BY 1)"
    ]
    for k in range(1, len(steps)):
        ctes.append(
            f"s{k} AS (SELECT p.actor, MIN(e.occurred_at) AS t, p.t0 FROM s{k - 1} p JOIN {TABLE} e "  # noqa: S608 - table and column names, no input
            f"ON {_actor_sql('e')} = p.actor "
            "WHERE e.name = %s AND e.occurred_at >= p.t AND e.occurred_at <= p.t0 + %s "
            "AND e.occurred_at >= %s AND e.occurred_at < %s GROUP BY p.actor, p.t0)"
        )
        params += [steps[k], window, since, until + window]
    selects = ", ".join(f"(SELECT COUNT(*) FROM s{k})" for k in range(len(steps)))  # noqa: S608 - table and column names, no input
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} SELECT {selects}", params)
        return list(cursor.fetchone())


def _rows(names: Iterable[str] | None, since: datetime, until: datetime) -> list[tuple[str, str, datetime]]:
    """(actor, name, occurred_at) of the events in [since, until), of these names."""
    qs = ProductEvent.objects.filter(occurred_at__gte=since, occurred_at__lt=until)
    if names is not None:
        qs = qs.filter(name__in=set(names))
    out = []
    for user, anonymous, name, occurred in qs.values_list("user", "anonymous_id", "name", "occurred_at"):
        actor = str(user) if user else anonymous
        if actor:
            out.append((actor, name, occurred))
    return out


def funnel_reference(
    rows: Iterable[tuple[str, str, datetime]],
    *,
    steps: Sequence[str],
    since: datetime,
    until: datetime,
    window: timedelta,
) -> list[int]:
    """The funnel's counts per step, in plain Python (SQLite; the tests' oracle)."""
    times: dict[tuple[str, str], list[datetime]] = defaultdict(list)
    for actor, name, occurred in rows:
        times[(actor, name)].append(occurred)
    for values in times.values():
        values.sort()
    counts = [0] * len(steps)
    actors = {actor for actor, name in times if name == steps[0]}
    for actor in actors:
        starts = [t for t in times[(actor, steps[0])] if since <= t < until]
        if not starts:
            continue
        t0 = previous = starts[0]
        counts[0] += 1
        for k in range(1, len(steps)):
            later = [
                t for t in times.get((actor, steps[k]), []) if previous <= t <= t0 + window and since <= t
            ]
            if not later:
                break
            previous = later[0]
            counts[k] += 1
    return counts


# --- retention -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cohort:
    start: date  # the cohort's week (Monday) or month (1st)
    size: int
    returning: tuple[float, ...]  # share active in period 0, 1, 2… after the cohort's


def _period_start(moment: datetime, period: str) -> date:
    day = moment.astimezone(UTC).date()
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _period_index(cohort: date, active: date, period: str) -> int:
    if period == "week":
        return (active - cohort).days // 7
    return (active.year - cohort.year) * 12 + active.month - cohort.month


def product_retention(
    *, since: datetime, until: datetime, period: str = "week", periods: int = 8
) -> list[Cohort]:
    """Cohorts of users by the week (or month) of their first event in [since, until), and
    the share of each cohort active again in each following period (period 0 is 100%)."""
    if period not in ("week", "month"):
        raise ValueError("period is week or month")
    if connection.vendor == "postgresql":
        actor = _actor_sql()
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH acts AS (SELECT {actor} AS actor, date_trunc(%s, occurred_at AT TIME ZONE 'UTC')::date AS p "  # noqa: S608 - table and column names, no input
                f"FROM {TABLE} WHERE occurred_at >= %s AND occurred_at < %s AND {actor} IS NOT NULL GROUP BY 1, 2), "
                "firsts AS (SELECT actor, MIN(p) AS c FROM acts GROUP BY actor) "
                "SELECT f.c, a.p, COUNT(*) FROM firsts f JOIN acts a ON a.actor = f.actor GROUP BY 1, 2",
                [period, since, until],
            )
            grid = cursor.fetchall()
    else:
        grid = retention_grid_reference(_rows(None, since, until), period=period)
    return _cohorts(grid, period, periods)


def retention_grid_reference(rows: Iterable[tuple[str, str, datetime]], *, period: str) -> list[tuple]:
    """(cohort, active period, users) in plain Python (SQLite; the tests' oracle)."""
    active: dict[str, set[date]] = defaultdict(set)
    for actor, _name, occurred in rows:
        active[actor].add(_period_start(occurred, period))
    grid: dict[tuple[date, date], int] = defaultdict(int)
    for periods_ in active.values():
        cohort = min(periods_)
        for p in periods_:
            grid[(cohort, p)] += 1
    return [(c, p, n) for (c, p), n in grid.items()]


def _cohorts(grid, period: str, periods: int) -> list[Cohort]:
    by_cohort: dict[date, dict[int, int]] = defaultdict(dict)
    for cohort, active, users in grid:
        by_cohort[cohort][_period_index(cohort, active, period)] = users
    out = []
    for cohort in sorted(by_cohort):
        row = by_cohort[cohort]
        size = row.get(0, 0)
        out.append(
            Cohort(
                start=cohort,
                size=size,
                returning=tuple((row.get(k, 0) / size) if size else 0.0 for k in range(periods)),
            )
        )
    return out


@cache
def registered_names() -> tuple[str, ...]:
    return tuple(sorted(EVENT_NAMES))
