"""The outbox event's name keeps its index (the admin filters by name; the index keeps its
name) without the `varchar_pattern_ops` index Django adds for `db_index=True` on a CharField:
no query uses LIKE on a name, and every published event paid for it (docs/performance.md)."""

from django.db import migrations, models

from apps.core.schema import drop_pattern_index


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
            database_operations=[drop_pattern_index("core_outboxevent", "name")],
        ),
    ]
