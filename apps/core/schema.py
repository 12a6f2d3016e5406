"""Schema helpers for the modules' migrations.

`drop_pattern_index(table, column)`: a migration operation removing the `varchar_pattern_ops`
index Django's PostgreSQL backend adds next to the B-tree of a `CharField` declared
`unique=True` or `db_index=True` (it serves `LIKE 'abc%'` only). On a column only looked up by
equality it is a second index every insert pays for. Pair it, in a
`SeparateDatabaseAndState`, with the state's `AlterField` (no `unique`/`db_index`) and a
`UniqueConstraint`/`Index` named after the index that stays. Reversible; nothing on SQLite
(which never had one)."""

from __future__ import annotations

from django.db import migrations


def _pattern_indexes(schema_editor, table: str, column: str) -> list[str]:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [table, f"%({column} varchar_pattern_ops)%"],
        )
        return [row[0] for row in cursor.fetchall()]


def drop_pattern_index(table: str, column: str) -> migrations.RunPython:
    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in _pattern_indexes(schema_editor, table, column):
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql" or _pattern_indexes(schema_editor, table, column):
            return
        name = f"{table}_{column}_like"[:63]  # PostgreSQL's identifier limit
        schema_editor.execute(f'CREATE INDEX "{name}" ON "{table}" ("{column}" varchar_pattern_ops)')

    return migrations.RunPython(forwards, backwards)
