"""The état des lieux as people do it: rooms, items with a French state, photos per item,
meter readings and keys. The old checklist (one row per "room; element; condition;
comment" line of the text box, the room a text) becomes rooms and their items; the old
English conditions map onto the new states; an item's single photo becomes its first photo."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

OLD_TO_NEW = {"good": "good", "fair": "worn", "poor": "poor", "damaged": "broken", "missing": "broken"}


def rooms_from_text(apps, schema_editor):
    Inspection = apps.get_model("estate", "Inspection")
    Room = apps.get_model("estate", "InspectionRoom")
    Item = apps.get_model("estate", "InspectionItem")
    Photo = apps.get_model("estate", "InspectionPhoto")
    for inspection in Inspection.objects.order_by("id").iterator():
        rooms = {}
        for item in Item.objects.filter(inspection=inspection).order_by("position", "id"):
            name = (item.room or "").strip() or "—"
            key = name.casefold()
            if key not in rooms:
                rooms[key] = Room.objects.create(inspection=inspection, name=name[:60], position=len(rooms))
            item.room_ref = rooms[key]
            item.condition = OLD_TO_NEW.get(item.condition, item.condition)
            item.save(update_fields=["room_ref", "condition"])
            if item.photo:
                Photo.objects.create(item=item, image=item.photo.name)


def text_from_rooms(apps, schema_editor):
    Item = apps.get_model("estate", "InspectionItem")
    back = {"good": "good", "new": "good", "worn": "fair", "poor": "poor", "broken": "damaged"}
    for item in Item.objects.select_related("room_ref"):
        item.room = item.room_ref.name if item.room_ref_id else "—"
        item.condition = back.get(item.condition, "good")
        first = item.photos.order_by("id").first()
        item.photo = first.image.name if first else ""
        item.save(update_fields=["room", "condition", "photo"])


class Migration(migrations.Migration):
    dependencies = [("estate", "0007_move_in_invoice")]

    operations = [
        migrations.AddField(
            model_name="inspection",
            name="move_in",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="estate.inspection",
            ),
        ),
        migrations.AddField(
            model_name="inspection", name="locked_at", field=models.DateTimeField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="inspection",
            name="document",
            field=models.FileField(blank=True, upload_to="estate/inspections/pdf/%Y/%m/"),
        ),
        migrations.CreateModel(
            name="InspectionRoom",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "public_id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("name", models.CharField(max_length=60, verbose_name="room")),
                ("position", models.PositiveSmallIntegerField(default=0)),
                (
                    "inspection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rooms",
                        to="estate.inspection",
                    ),
                ),
            ],
            options={
                "verbose_name": "inspection room",
                "verbose_name_plural": "inspection rooms",
                "ordering": ["position", "id"],
            },
        ),
        migrations.AddField(
            model_name="inspectionitem",
            name="room_ref",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="items",
                to="estate.inspectionroom",
            ),
        ),
        migrations.AddField(
            model_name="inspectionitem",
            name="move_in_item",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="estate.inspectionitem",
            ),
        ),
        migrations.AddField(
            model_name="inspectionitem",
            name="deduction",
            field=models.BigIntegerField(default=0, verbose_name="deduction"),
        ),
        migrations.CreateModel(
            name="InspectionPhoto",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "public_id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("image", models.ImageField(upload_to="estate/inspections/%Y/%m/", verbose_name="photo")),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photos",
                        to="estate.inspectionitem",
                    ),
                ),
            ],
            options={"ordering": ["id"]},
        ),
        migrations.CreateModel(
            name="InspectionMeter",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "public_id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "kind",
                    models.CharField(
                        choices=[("electricity", "electricity (SBEE)"), ("water", "water (SONEB)")],
                        max_length=12,
                        verbose_name="meter",
                    ),
                ),
                ("number", models.CharField(blank=True, default="", max_length=40, verbose_name="meter no.")),
                ("index", models.PositiveBigIntegerField(blank=True, null=True, verbose_name="index")),
                (
                    "photo",
                    models.ImageField(
                        blank=True, upload_to="estate/inspections/%Y/%m/", verbose_name="photo"
                    ),
                ),
                (
                    "inspection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="meters",
                        to="estate.inspection",
                    ),
                ),
            ],
            options={"ordering": ["kind"]},
        ),
        migrations.AddConstraint(
            model_name="inspectionmeter",
            constraint=models.UniqueConstraint(
                fields=("inspection", "kind"), name="estate_inspection_meter_once"
            ),
        ),
        migrations.CreateModel(
            name="InspectionKey",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "public_id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("kind", models.CharField(max_length=60, verbose_name="key")),
                ("count", models.PositiveSmallIntegerField(default=1, verbose_name="count")),
                (
                    "inspection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="keys",
                        to="estate.inspection",
                    ),
                ),
            ],
            options={"ordering": ["id"]},
        ),
        migrations.AlterField(
            model_name="inspectionitem",
            name="condition",
            field=models.CharField(max_length=10, verbose_name="condition"),
        ),
        migrations.RunPython(rooms_from_text, text_from_rooms),
        migrations.RemoveField(model_name="inspectionitem", name="room"),
        migrations.RemoveField(model_name="inspectionitem", name="photo"),
        migrations.RenameField(model_name="inspectionitem", old_name="room_ref", new_name="room"),
        migrations.AlterField(
            model_name="inspectionitem",
            name="room",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="items", to="estate.inspectionroom"
            ),
        ),
        migrations.AlterField(
            model_name="inspectionitem",
            name="condition",
            field=models.CharField(
                choices=[
                    ("new", "new"),
                    ("good", "good condition"),
                    ("worn", "fair wear and tear"),
                    ("poor", "poor condition"),
                    ("broken", "out of order"),
                ],
                max_length=10,
                verbose_name="condition",
            ),
        ),
        migrations.AlterModelOptions(
            name="inspectionitem",
            options={
                "ordering": ["room__position", "position", "id"],
                "verbose_name": "inspection item",
                "verbose_name_plural": "inspection items",
            },
        ),
    ]
