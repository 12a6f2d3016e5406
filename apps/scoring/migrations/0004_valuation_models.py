import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0003_screening_requests"),
    ]

    operations = [
        migrations.CreateModel(
            name="ValuationModel",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "public_id",
                    models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("version", models.CharField(max_length=40, unique=True, verbose_name="version")),
                ("source", models.CharField(max_length=20, verbose_name="trained on")),
                ("rows", models.PositiveIntegerField(default=0, verbose_name="training rows")),
                ("estimator", models.BinaryField(verbose_name="fitted estimator")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256 of the estimator")),
                ("spec", models.JSONField(default=dict, verbose_name="features, vocabularies and probes")),
                ("metrics", models.JSONField(default=dict, verbose_name="held-out metrics")),
                ("active", models.BooleanField(default=False, verbose_name="active")),
                (
                    "rejected_reason",
                    models.CharField(blank=True, default="", max_length=300, verbose_name="rejected because"),
                ),
            ],
            options={
                "verbose_name": "valuation model",
                "verbose_name_plural": "valuation models",
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("active", True)),
                        fields=("active",),
                        name="scoring_one_active_valuation_model",
                    )
                ],
            },
        ),
    ]
