"""The system chart of accounts, per currency (frozen copy of apps/ledger/chart.py as it
was when this migration was written: migrations must not follow later code changes)."""

import uuid

from django.db import migrations

CURRENCIES = ("XOF", "XAF")
SYSTEM = [
    ("provider_clearing.sandbox", "Provider clearing (sandbox)", "asset"),
    ("provider_clearing.kkiapay", "Provider clearing (kkiapay)", "asset"),
    ("fees_revenue", "Fees revenue", "revenue"),
    ("suspense", "Suspense", "liability"),
]


def forwards(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    for currency in CURRENCIES:
        for code, name, kind in SYSTEM:
            Account.objects.get_or_create(
                owner_type="system",
                owner_user=None,
                owner_organization=None,
                code=code,
                currency=currency,
                defaults={"name": name, "kind": kind, "public_id": uuid.uuid4()},
            )


def backwards(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    Account.objects.filter(owner_type="system", posting_count=0).delete()


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_immutability_triggers")]
    operations = [migrations.RunPython(forwards, backwards)]
