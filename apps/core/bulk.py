"""Set-based row updates for batches (month-end runs): one `UPDATE … FROM (VALUES …)` per
batch instead of Django's `bulk_update`, whose `CASE WHEN id = … THEN …` per field grows
with rows × fields and costs more to build and to plan than the update itself.

    update_rows(Invoice, invoices, ["number", "status", "issued_on"])

Each value is prepared by its field (`get_db_prep_save`) and cast to the field's column type,
so JSON, dates, UUIDs and foreign keys behave as in `save()`. On a database other than
PostgreSQL (the embedded SQLite default) it is `bulk_update`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection


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
