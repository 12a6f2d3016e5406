"""No two active leases of a unit overlap: an exclusion constraint on PostgreSQL (btree_gist
lets the unit's integer id join the date range in one GiST index). SQLite (the embedded
dev profile) has no exclusion constraints: there the service-level check stands alone."""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CREATE = """
ALTER TABLE estate_lease ADD CONSTRAINT estate_lease_no_overlap
EXCLUDE USING gist (unit_id WITH =, daterange(start_date, end_date, '[]') WITH &&)
WHERE (status = 'active')
"""
DROP = "ALTER TABLE estate_lease DROP CONSTRAINT IF EXISTS estate_lease_no_overlap"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("estate", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
