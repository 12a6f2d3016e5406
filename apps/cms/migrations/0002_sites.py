# Cms sites: filled by the sites part (its models' operations only).
from django.db import migrations


class Migration(migrations.Migration):
    initial = False
    dependencies = [("cms", "0001_initial")]
    operations: list = []
