"""Cms news: `NewsAnnouncement.completed_at`. An announcement now sends in chunks, each its
own transaction, and is completed at the end (services/news.py); the rows written before,
messages and row in one transaction, were complete when they were written."""

from django.db import migrations, models
from django.db.models import F


def complete_earlier(apps, schema_editor):
    apps.get_model("cms", "NewsAnnouncement").objects.filter(completed_at=None).update(
        completed_at=F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [("cms", "0006_help_title_tsv")]

    operations = [
        migrations.AddField(
            model_name="newsannouncement",
            name="completed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="announcement completed"),
        ),
        migrations.RunPython(complete_earlier, migrations.RunPython.noop),
    ]
