# Cms help: filled by the help part (its models' operations only).
from django.db import migrations


class Migration(migrations.Migration):
    initial = False
    dependencies = [("cms", "0002_sites")]
    operations: list = []
