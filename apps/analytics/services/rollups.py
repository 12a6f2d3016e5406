"""Keeping the figures (docs/analytics.md, « Rollups »): facts in, rollup rows up to date.

    apply_facts([(event_id, "estate.RentPaymentApplied", [Fact(…), …]), …])   # -> events applied

Each event is applied once: its id goes into AppliedEvent in the same transaction as its
increments, and an id already there adds nothing (an event delivered twice, a replayed
batch, a nightly snapshot run again). A batch of events becomes one INSERT … ON CONFLICT per
5,000 rows (PostgreSQL: the rows as one array a column through unnest; SQLite: VALUES): each fact adds to its organization's day and month, and to its property's and
its owner's when it has them. A gauge fact (a state on a day) replaces its day's value.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from apps.core.kpis import Fact

from ..models import AppliedEvent, Rollup
from . import registry

__all__ = ["apply_facts", "row_keys", "snapshot_event_id"]

_CHUNK = 1000
_COLUMNS = ("organization", "scope", "scope_id", "grain", "period", "metric", "dimension", "currency")
_KEY = ", ".join(_COLUMNS)

# a nightly snapshot of a day has a stable id: run again, it adds nothing
_SNAPSHOT_NS = uuid.UUID("5d3c8d0e-3a59-4d2b-9c0d-7a1f0c2b9e41")


def snapshot_event_id(name: str, day: date, organization: str = "") -> uuid.UUID:
    return uuid.uuid5(_SNAPSHOT_NS, f"{name}:{day.isoformat()}:{organization}")


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def row_keys(fact: Fact) -> list[tuple]:
    """The rollup rows a fact adds to: (organization, scope, scope_id, grain, period, metric,
    dimension, currency)."""
    org = _uuid(fact.organization)
    scopes = [("org", org)]
    if fact.property:
        scopes.append(("property", _uuid(fact.property)))
    if fact.owner:
        scopes.append(("owner", _uuid(fact.owner)))
    grains = [("d", fact.day)]
    if registry.kind(fact.metric) == "sum":
        grains.append(("m", fact.day.replace(day=1)))
    return [
        (org, scope, scope_id, grain, period, fact.metric, fact.dimension[:60], fact.currency)
        for scope, scope_id in scopes
        for grain, period in grains
    ]


def _fold(facts: Iterable[Fact]) -> tuple[dict, dict]:
    """Sums added up per row, gauges' last value per row."""
    sums: dict[tuple, list[int]] = {}
    gauges: dict[tuple, list[int]] = {}
    for fact in facts:
        if isinstance(fact.value, bool) or not isinstance(fact.value, int) or not isinstance(fact.count, int):
            raise TypeError(f"{fact.metric}: values are integers (minor units, days, counts)")
        target = sums if registry.kind(fact.metric) == "sum" else gauges
        for key in row_keys(fact):
            if target is sums:
                row = sums.setdefault(key, [0, 0])
                row[0] += fact.value
                row[1] += fact.count
            else:
                gauges[key] = [fact.value, fact.count]
    return sums, gauges


def _adapt():
    """How a key's values go to the database: PostgreSQL takes UUIDs and dates as they are;
    SQLite stores a UUID as its 32 hex digits and a date as ISO text (Django's own forms)."""
    if connection.vendor == "postgresql":
        return lambda v: v
    return lambda v: v.hex if isinstance(v, uuid.UUID) else (v.isoformat() if isinstance(v, date) else v)


_TYPES = ("uuid", "varchar", "uuid", "varchar", "date", "varchar", "varchar", "varchar")


def _upsert(rows: dict[tuple, list[int]], *, add: bool) -> None:
    if not rows:
        return
    table = Rollup._meta.db_table
    now = Rollup._meta.get_field("updated_at").get_db_prep_value(timezone.now(), connection)
    if add:
        update = f"value = {table}.value + excluded.value, count = {table}.count + excluded.count"
    else:
        update = "value = excluded.value, count = excluded.count"
    conflict = f"ON CONFLICT ({_KEY}) DO UPDATE SET {update}, updated_at = excluded.updated_at"
    items = list(rows.items())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # one short statement whatever the batch: the rows go as one array a column
            # (a long VALUES list costs more to build and parse than to run)
            arrays = ", ".join(f"%s::{t}[]" for t in (*_TYPES, "bigint", "bigint"))
            sql = (
                f"INSERT INTO {table} ({_KEY}, value, count, updated_at) "  # noqa: S608 -- constant names, values bound
                f"SELECT *, %s FROM unnest({arrays}) {conflict}"
            )
            for start in range(0, len(items), _CHUNK * 5):
                chunk = items[start : start + _CHUNK * 5]
                columns = [list(c) for c in zip(*(key for key, _v in chunk), strict=True)]
                values = [v for _k, (v, _c) in chunk]
                counts = [c for _k, (_v, c) in chunk]
                cursor.execute(sql, [now, *columns, values, counts])
            return
        adapt = _adapt()
        row_sql = "(" + ", ".join(["%s"] * (len(_COLUMNS) + 3)) + ")"
        for start in range(0, len(items), _CHUNK):
            chunk = items[start : start + _CHUNK]
            params: list = []
            for key, (value, count) in chunk:
                params.extend(map(adapt, key))
                params.extend((value, count, now))
            placeholders = ", ".join([row_sql] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({_KEY}, value, count, updated_at) VALUES {placeholders} {conflict}",  # noqa: S608 -- constant names, values bound
                params,
            )


def _claim(events: list[tuple]) -> set:
    """Insert the events' ids; the ids returned are the ones not applied before."""
    table = AppliedEvent._meta.db_table
    field = AppliedEvent._meta.get_field("event_id")
    now = AppliedEvent._meta.get_field("applied_at").get_db_prep_value(timezone.now(), connection)
    fresh = set()
    tail = "ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = (
                f"INSERT INTO {table} (event_id, name, applied_at) "  # noqa: S608 -- constant names, values bound
                f"SELECT e, n, %s FROM unnest(%s::uuid[], %s::varchar[]) AS u(e, n) {tail}"
            )
            for start in range(0, len(events), _CHUNK * 5):
                chunk = events[start : start + _CHUNK * 5]
                cursor.execute(sql, [now, [e for e, _n, _f in chunk], [n[:120] for _e, n, _f in chunk]])
                fresh.update(row[0] for row in cursor.fetchall())
            return fresh
        adapt = _adapt()
        for start in range(0, len(events), _CHUNK):
            chunk = events[start : start + _CHUNK]
            params: list = []
            for event_id, name, _facts in chunk:
                params.extend((adapt(event_id), name[:120], now))
            placeholders = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (event_id, name, applied_at) VALUES {placeholders} {tail}",  # noqa: S608 -- constant names, values bound
                params,
            )
            fresh.update(field.to_python(row[0]) for row in cursor.fetchall())
    return fresh


def apply_facts(events: list[tuple]) -> int:
    """Apply [(event_id, event name, [Fact, …]), …] once each, in one transaction. Returns
    how many events were new (an event applied before, or twice in the batch, counts once)."""
    seen: set = set()
    unique = []
    for event_id, name, facts in events:
        key = _uuid(event_id)
        if key not in seen:
            seen.add(key)
            unique.append((key, name, list(facts)))
    if not unique:
        return 0
    with transaction.atomic():
        fresh = _claim(unique)
        facts = [f for event_id, _name, fs in unique if event_id in fresh for f in fs]
        sums, gauges = _fold(facts)
        _upsert(sums, add=True)
        _upsert(gauges, add=False)
    return len(fresh)
