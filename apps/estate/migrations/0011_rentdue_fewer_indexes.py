"""A rent due is written by the month-end run for every lease: three of its eleven indexes
served no query. The single-column indexes of `lease` and `organization` are covered by the
composite indexes that start with them ((lease, due_date), (lease, period, kind),
(organization, period), (organization, status, due_date)); the pay token stays unique (its
unique index: the constraint takes its name) without the `varchar_pattern_ops` index Django
adds to a unique CharField for LIKE queries, which no query makes (docs/performance.md,
« Estate month-end »)."""

import django.db.models.deletion
from django.db import migrations, models

from apps.core.schema import drop_pattern_index


class Migration(migrations.Migration):
    dependencies = [
        ("estate", "0010_statement_import"),
        ("identity", "0005_second_factor"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rentdue",
            name="lease",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="dues",
                to="estate.lease",
            ),
        ),
        migrations.AlterField(
            model_name="rentdue",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="identity.organization",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="rentdue",
                    name="pay_token",
                    field=models.CharField(max_length=32, verbose_name="pay link token"),
                ),
                migrations.AddConstraint(
                    model_name="rentdue",
                    constraint=models.UniqueConstraint(
                        fields=("pay_token",), name="estate_rentdue_pay_token_key"
                    ),
                ),
            ],
            database_operations=[drop_pattern_index("estate_rentdue", "pay_token")],
        ),
    ]
