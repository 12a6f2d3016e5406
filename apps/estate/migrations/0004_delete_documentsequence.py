"""DocumentSequence is replaced by core.NumberSequence (rows copied by 0003)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("estate", "0003_document_numbers_to_core"),
    ]

    operations = [migrations.DeleteModel(name="DocumentSequence")]
