"""Every token refresh inserts a row: two indexes no query used come off it. The user's
single-column index is covered by refresh_user_live_idx (user, revoked_at); the token hash
stays unique (its unique index: the constraint takes its name) without the
`varchar_pattern_ops` index Django adds to a unique CharField for LIKE queries, which no
query makes (docs/performance.md, « Load »)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from apps.core.schema import drop_pattern_index


class Migration(migrations.Migration):
    dependencies = [("identity", "0005_second_factor")]

    operations = [
        migrations.AlterField(
            model_name="refreshtoken",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="refresh_tokens",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="refreshtoken",
                    name="token_hash",
                    field=models.CharField(editable=False, max_length=64, verbose_name="token hash"),
                ),
                migrations.AddConstraint(
                    model_name="refreshtoken",
                    constraint=models.UniqueConstraint(
                        fields=("token_hash",), name="identity_refreshtoken_token_hash_key"
                    ),
                ),
            ],
            database_operations=[drop_pattern_index("identity_refreshtoken", "token_hash")],
        ),
    ]
