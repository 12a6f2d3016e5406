"""Set-based row writes for batches (month-end and daily runs).

    update_rows(Invoice, invoices, ["number", "status", "issued_on"])
    insert_rows(CaseEvent, events)

`update_rows` is one `UPDATE … FROM (VALUES …)` per batch instead of Django's `bulk_update`,
whose `CASE WHEN id = … THEN …` per field grows with rows × fields and costs more to build and
to plan than the update itself. `insert_rows` is `bulk_create` written with one COPY: the ids
are drawn from the table's sequence in one query first and set on the instances, as
`bulk_create` sets them; Django's multi-row INSERT binds every value as its own placeholder
and spent more time building and splitting the statement than the server spent inserting.

Each value is prepared by its field (`pre_save`, `get_db_prep_save`), so JSON, dates, UUIDs,
`auto_now_add` and foreign keys behave as in `save()`; a database error (a unique key) comes
out as Django's (`IntegrityError`). On a database other than PostgreSQL (the embedded SQLite
default), or for a model with database defaults, they are `bulk_update` and `bulk_create`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, connections, models
from django.db.models import Field


def update_rows(model, objs: Sequence, fields: Sequence[str], *, batch_size: int = 1000) -> int:
    """Write `fields` of `objs` (saved instances of `model`) to their rows; returns the rows
    updated."""
    objs = list(objs)
    if not objs:
        return 0
    if connection.vendor != "postgresql":
        return model.objects.bulk_update(objs, fields, batch_size=batch_size)
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    pk = meta.pk
    casts = [f"%s::{pk.db_type(connection)}"] + [f"%s::{field.db_type(connection)}" for field in columns]
    row_sql = "(" + ", ".join(casts) + ")"
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}" for field in columns)
    names = ", ".join([quote("__pk")] + [quote(field.column) for field in columns])
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            batch = objs[start : start + batch_size]
            params: list = []
            for obj in batch:
                params.append(pk.get_db_prep_save(obj.pk, connection))
                params.extend(
                    field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns
                )
            sql = (
                f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "  # noqa: S608 -- names from the model
                f"FROM (VALUES {', '.join([row_sql] * len(batch))}) AS v({names}) "
                f"WHERE t.{quote(pk.column)} = v.{quote('__pk')}"
            )
            cursor.execute(sql, params)
            updated += cursor.rowcount
    return updated


_PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.IntegerField,
    models.PositiveBigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallAutoField,
    models.SmallIntegerField,
)


def _plain(field) -> bool:
    """An integer or boolean column (or a foreign key to one) whose attribute needs no
    preparing: the field's own class, not a subclass that may prepare its value."""
    if field.is_relation:
        return type(field) is models.ForeignKey and _plain(field.target_field)
    return type(field) in _PLAIN


def insert_rows(model, objs: Sequence) -> list:
    """Insert new instances of `model` (no pk yet for an auto pk) like `bulk_create(objs)`:
    pks set, instances saved (`_state.adding` False). Returns `objs` as a list."""
    objs = list(objs)
    if not objs:
        return objs
    meta = model._meta
    pk = meta.pk
    auto = pk if getattr(pk, "db_returning", False) else None
    fields = [f for f in meta.concrete_fields if f is not auto and not getattr(f, "generated", False)]
    if connection.vendor != "postgresql" or any(f.has_db_default() for f in fields):
        return model.objects.bulk_create(objs)
    for obj in objs:  # a related instance saved after its assignment gives its pk, as in bulk_create
        obj._prepare_related_fields_for_save(operation_name="insert_rows")
    quote = connection.ops.quote_name
    with connection.wrap_database_errors, connection.cursor() as cursor:
        if auto is not None:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, auto.column, len(objs)],
            )
            for obj, (value,) in zip(objs, cursor.fetchall(), strict=True):
                setattr(obj, auto.attname, value)
            fields = [auto, *fields]
        conn = connections[connection.alias]  # the wrapper itself: the proxy costs a lookup per use
        # per field: its attribute as is (an integer or boolean: COPY writes its text), or its
        # value prepared by the field, after pre_save where the field computes it (auto_now_add…)
        plan = [(f.attname, None if _plain(f) else f, type(f).pre_save is not Field.pre_save) for f in fields]
        sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
        with cursor.copy(sql) as copy:
            for obj in objs:
                copy.write_row(
                    [
                        getattr(obj, attname)
                        if f is None
                        else f.get_db_prep_save(f.pre_save(obj, True) if pre else getattr(obj, attname), conn)
                        for attname, f, pre in plan
                    ]
                )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for one set-based batch: a batch allocates
    tens of thousands of short-lived objects (rows, requests, legs, results) and the collector
    walked them again and again (a quarter of a batch's CPU in the wallet and notification
    benches). Batches make no reference cycles, so reference counting frees them as usual;
    the collector runs again afterwards (and stays off if it was off)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
