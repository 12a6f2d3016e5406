"""ReceiptSequence is replaced by core.NumberSequence (rows copied by 0003)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0003_receipt_numbers_to_core"),
    ]

    operations = [migrations.DeleteModel(name="ReceiptSequence")]
