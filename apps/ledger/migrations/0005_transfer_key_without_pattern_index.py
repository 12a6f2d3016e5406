"""The idempotency key stays unique (its unique index, renamed nowhere: the constraint takes
its name) but loses the `varchar_pattern_ops` index Django adds to a unique CharField on
PostgreSQL for LIKE queries: no query of the ledger uses LIKE on a key, and every transfer
written paid for a second B-tree over a text of up to 200 characters (docs/performance.md,
« Ledger »)."""

from django.db import migrations, models

from apps.core.schema import drop_pattern_index


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
            database_operations=[drop_pattern_index("ledger_transfer", "idempotency_key")],
        ),
    ]
