"""The daily run opens thousands of cases and writes a step run per reminder: four indexes
no query used come off those inserts. A case's `organization` and `collector` are the first
columns of recovery_case_work_idx and recovery_case_collector_idx, a step run's `step` the
first of recovery_step_once; the debtor portal token stays unique (its unique index: the
constraint takes its name) without the `varchar_pattern_ops` index Django adds to a unique
CharField for LIKE queries, which no query makes (docs/performance.md, « Recovery »)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from apps.core.schema import drop_pattern_index


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0005_second_factor"),
        ("recovery", "0004_loan_cases"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="collector",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="identity.organization",
            ),
        ),
        migrations.AlterField(
            model_name="steprun",
            name="step",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="runs",
                to="recovery.ladderstep",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="token",
                    field=models.CharField(max_length=32, verbose_name="debtor portal token"),
                ),
                migrations.AddConstraint(
                    model_name="case",
                    constraint=models.UniqueConstraint(fields=("token",), name="recovery_case_token_key"),
                ),
            ],
            database_operations=[drop_pattern_index("recovery_case", "token")],
        ),
    ]
