"""Estate's document numbers move to core's gap-free numbering (issue 14): every
DocumentSequence row becomes a core.NumberSequence row of series "estate.<kind>", scope the
organization's id, same year and last number, so numbering continues where it was."""

from django.db import migrations


def to_core(apps, schema_editor):
    DocumentSequence = apps.get_model("estate", "DocumentSequence")
    NumberSequence = apps.get_model("core", "NumberSequence")
    for row in DocumentSequence.objects.all().iterator():
        sequence, created = NumberSequence.objects.get_or_create(
            series=f"estate.{row.kind}",
            scope=str(row.organization_id),
            year=row.year,
            defaults={"last": row.last},
        )
        if not created and sequence.last < row.last:
            sequence.last = row.last
            sequence.save(update_fields=["last"])


def back_to_estate(apps, schema_editor):
    DocumentSequence = apps.get_model("estate", "DocumentSequence")
    NumberSequence = apps.get_model("core", "NumberSequence")
    for sequence in NumberSequence.objects.filter(series__startswith="estate.").iterator():
        DocumentSequence.objects.update_or_create(
            organization_id=int(sequence.scope),
            kind=sequence.series.removeprefix("estate."),
            year=sequence.year,
            defaults={"last": sequence.last},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_number_sequence"),
        ("estate", "0002_lease_no_overlap"),
    ]

    operations = [migrations.RunPython(to_core, back_to_estate)]
