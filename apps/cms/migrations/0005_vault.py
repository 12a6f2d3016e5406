# Cms vault: filled by the vault part (its models' operations only).
from django.db import migrations


class Migration(migrations.Migration):
    initial = False
    dependencies = [("cms", "0004_news")]
    operations: list = []
