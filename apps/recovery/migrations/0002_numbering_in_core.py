"""Formal-notice numbering moves to core's one gap-free numbering: every row of
recovery.NumberSequence becomes core.NumberSequence (series "recovery.<kind>", scope the
organization's id), so the next number continues after the last one given; then the old
table goes."""

from django.db import migrations


def copy_to_core(apps, schema_editor):
    Old = apps.get_model("recovery", "NumberSequence")
    New = apps.get_model("core", "NumberSequence")
    for row in Old.objects.all().iterator():
        seq, created = New.objects.get_or_create(
            series=f"recovery.{row.kind}",
            scope=str(row.organization_id),
            year=row.year,
            defaults={"last": row.last},
        )
        if not created and seq.last < row.last:
            seq.last = row.last
            seq.save(update_fields=["last"])


def copy_back(apps, schema_editor):
    Old = apps.get_model("recovery", "NumberSequence")
    New = apps.get_model("core", "NumberSequence")
    for seq in New.objects.filter(series__startswith="recovery.").iterator():
        Old.objects.update_or_create(
            organization_id=int(seq.scope),
            kind=seq.series.removeprefix("recovery."),
            year=seq.year,
            defaults={"last": seq.last},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("recovery", "0001_initial"),
        ("core", "0005_number_sequence"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, copy_back),
        migrations.DeleteModel(name="NumberSequence"),
    ]
