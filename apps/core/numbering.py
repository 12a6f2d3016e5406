"""Gap-free document numbering: one implementation for every module.

    number = next_number(series="estate.receipt", scope=organization_id, year=2026,
                         template="Q{year}-{n:06d}")        # -> "Q2026-000124"

One statement (`INSERT … ON CONFLICT DO UPDATE … RETURNING`) creates the series' row or
increments it, and its row lock is held until the caller's transaction ends. Two
concurrent callers therefore get consecutive numbers, and a caller that rolls back gives
its number back: no gaps, no duplicates. It must run inside the transaction that stores
the numbered document (`transaction.atomic()`); outside one it refuses, since the number
would be committed without its document.
"""

from __future__ import annotations

from django.db import connection

from .models import NumberSequence


class NumberingOutsideTransaction(RuntimeError):
    """next_number was called outside a transaction: the number would leave a gap."""


def next_number(*, series: str, scope: str | int, year: int, template: str = "{year}-{n:06d}") -> str:
    """The next number of `series` for `scope` and `year`, formatted with `template`
    (placeholders `{year}` and `{n}`)."""
    if not connection.in_atomic_block:
        raise NumberingOutsideTransaction(f"next_number({series!r}) needs the document's transaction")
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (series, scope, year, last) VALUES (%s, %s, %s, 1) "  # noqa: S608 -- our table name
            f"ON CONFLICT (series, scope, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [series, str(scope), year],
        )
        (n,) = cursor.fetchone()
    return template.format(year=year, n=n)


def next_numbers(
    *, series: str, scope: str | int, year: int, count: int, template: str = "{year}-{n:06d}"
) -> list[str]:
    """`count` consecutive numbers of `series` at once (a batch of documents stored in the
    same transaction: the billing run's invoices), in one statement; the same guarantees as
    `next_number`."""
    if count <= 0:
        return []
    if not connection.in_atomic_block:
        raise NumberingOutsideTransaction(f"next_numbers({series!r}) needs the documents' transaction")
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (series, scope, year, last) VALUES (%s, %s, %s, %s) "  # noqa: S608 -- our table name
            f"ON CONFLICT (series, scope, year) DO UPDATE SET last = {table}.last + %s RETURNING last",
            [series, str(scope), year, count, count],
        )
        (last,) = cursor.fetchone()
    return [template.format(year=year, n=n) for n in range(last - count + 1, last + 1)]
