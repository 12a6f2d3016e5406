"""The outbox event's name keeps its index (the admin filters by name; the index keeps its
name) without the `varchar_pattern_ops` index Django adds for `db_index=True` on a CharField:
no query uses LIKE on a name, and every published event paid for it (docs/performance.md)."""

from django.db import migrations, models


def drop_pattern_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite never had one
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'core_outboxevent' AND indexdef LIKE %s",
            ["%(name varchar_pattern_ops)%"],
        )
        names = [row[0] for row in cursor.fetchall()]
    for name in names:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def restore_pattern_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS core_outboxevent_name_e5c905c3_like ON core_outboxevent (name varchar_pattern_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0005_number_sequence")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="outboxevent",
                    name="name",
                    field=models.CharField(max_length=120, verbose_name="name"),
                ),
                migrations.AddIndex(
                    model_name="outboxevent",
                    index=models.Index(fields=["name"], name="core_outboxevent_name_e5c905c3"),
                ),
            ],
            database_operations=[migrations.RunPython(drop_pattern_index, restore_pattern_index)],
        ),
    ]
