"""The idempotency key stays unique (its unique index, renamed nowhere: the constraint takes
its name) but loses the `varchar_pattern_ops` index Django adds to a unique CharField on
PostgreSQL for LIKE queries: no query of the ledger uses LIKE on a key, and every transfer
written paid for a second B-tree over a text of up to 200 characters (docs/performance.md,
« Ledger »)."""

from django.db import migrations, models


def _pattern_indexes(schema_editor, table, column):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [table, f"%({column} varchar_pattern_ops)%"],
        )
        return [row[0] for row in cursor.fetchall()]


def drop_pattern_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite never had one
    for name in _pattern_indexes(schema_editor, "ledger_transfer", "idempotency_key"):
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def restore_pattern_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS ledger_transfer_idempotency_key_bbcd3861_like "
        "ON ledger_transfer (idempotency_key varchar_pattern_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_post_transfer_function")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="transfer",
                    name="idempotency_key",
                    field=models.CharField(max_length=200, verbose_name="idempotency key"),
                ),
                migrations.AddConstraint(
                    model_name="transfer",
                    constraint=models.UniqueConstraint(
                        fields=("idempotency_key",), name="ledger_transfer_idempotency_key_key"
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_pattern_index, restore_pattern_index)],
        ),
    ]
