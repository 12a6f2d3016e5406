"""Posted transfers and postings are immutable: the database refuses UPDATE and DELETE.
(Also: on PostgreSQL a transfer's public id defaults to gen_random_uuid(), for COPY.)

PostgreSQL (test, prod) and SQLite (the embedded dev default) each get their own trigger.
TRUNCATE is left to the owner role (tests flush tables with it; production grants the
application role no TRUNCATE).
"""

from django.db import migrations

TABLES = ("ledger_transfer", "ledger_posting")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows are immutable: %% on %% refused (write a reversing transfer)',
        TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""

# Postings reference their account without a FOREIGN KEY (its per-row check is the most
# expensive part of a batch); an account that has postings cannot be deleted instead.
PG_ACCOUNT_GUARD = """
CREATE OR REPLACE FUNCTION ledger_refuse_account_delete() RETURNS trigger AS $$
BEGIN
    IF OLD.posting_count > 0 OR EXISTS (SELECT 1 FROM ledger_posting WHERE account_id = OLD.id) THEN
        RAISE EXCEPTION 'ledger account %% has postings and cannot be deleted', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_account_keep_history BEFORE DELETE ON ledger_account
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_account_delete();
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
            )
        schema_editor.execute(PG_ACCOUNT_GUARD)
        # transfer_many COPYs transfers without a public id: the database draws it.
        schema_editor.execute("ALTER TABLE ledger_transfer ALTER COLUMN public_id SET DEFAULT gen_random_uuid()")
    elif vendor == "sqlite":
        for table in TABLES:
            for op in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_immutable_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'ledger rows are immutable: {op} on {table} refused'); END"
                )
        schema_editor.execute(
            "CREATE TRIGGER ledger_account_keep_history BEFORE DELETE ON ledger_account "
            "WHEN OLD.posting_count > 0 OR EXISTS (SELECT 1 FROM ledger_posting WHERE account_id = OLD.id) "
            "BEGIN SELECT RAISE(ABORT, 'ledger account has postings and cannot be deleted'); END"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS ledger_refuse_change()")
        schema_editor.execute("DROP TRIGGER IF EXISTS ledger_account_keep_history ON ledger_account")
        schema_editor.execute("DROP FUNCTION IF EXISTS ledger_refuse_account_delete()")
    elif vendor == "sqlite":
        for table in TABLES:
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable_{op}")
        schema_editor.execute("DROP TRIGGER IF EXISTS ledger_account_keep_history")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
