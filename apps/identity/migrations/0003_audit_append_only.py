"""The security audit log is append-only, also for raw SQL: on PostgreSQL a trigger refuses
UPDATE and DELETE on identity_securityevent (TRUNCATE stays possible for test teardown)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION identity_securityevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'identity_securityevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS identity_securityevent_append_only ON identity_securityevent;
CREATE TRIGGER identity_securityevent_append_only
    BEFORE UPDATE OR DELETE ON identity_securityevent
    FOR EACH ROW EXECUTE FUNCTION identity_securityevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS identity_securityevent_append_only ON identity_securityevent;
DROP FUNCTION IF EXISTS identity_securityevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # the SQL has a literal %


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("identity", "0002_invitations_tokens_audit")]

    operations = [migrations.RunPython(forwards, backwards)]
