# Cms news: filled by the news part (its models' operations only).
from django.db import migrations


class Migration(migrations.Migration):
    initial = False
    dependencies = [("cms", "0003_help")]
    operations: list = []
