# Cms initial: filled by the initial part (its models' operations only).
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations: list = []
