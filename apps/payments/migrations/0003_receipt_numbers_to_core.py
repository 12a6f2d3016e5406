"""Receipt numbers move to core's gap-free numbering (issue 14): every ReceiptSequence row
becomes a core.NumberSequence row of series "payments.receipt", scope the organization's
id, same year and last number, so numbering continues where it was (R2026-000124 after
R2026-000123)."""

from django.db import migrations

SERIES = "payments.receipt"


def to_core(apps, schema_editor):
    ReceiptSequence = apps.get_model("payments", "ReceiptSequence")
    NumberSequence = apps.get_model("core", "NumberSequence")
    for row in ReceiptSequence.objects.all().iterator():
        sequence, created = NumberSequence.objects.get_or_create(
            series=SERIES, scope=str(row.organization_id), year=row.year, defaults={"last": row.last}
        )
        if not created and sequence.last < row.last:
            sequence.last = row.last
            sequence.save(update_fields=["last"])


def back_to_payments(apps, schema_editor):
    ReceiptSequence = apps.get_model("payments", "ReceiptSequence")
    NumberSequence = apps.get_model("core", "NumberSequence")
    for sequence in NumberSequence.objects.filter(series=SERIES).iterator():
        ReceiptSequence.objects.update_or_create(
            organization_id=int(sequence.scope), year=sequence.year, defaults={"last": sequence.last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_number_sequence"),
        ("payments", "0002_provider_calls"),
    ]

    operations = [migrations.RunPython(to_core, back_to_payments)]
