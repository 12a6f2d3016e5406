"""The transactional tests' teardown (tests/fixtures/database.py, `fast_flush`): it leaves the
database as Django's `flush` does, every Django table empty (the append-only tables, whose
triggers refuse a DELETE, included), then the post_migrate signal's content types and
permissions back."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from tests.fixtures.database import _tables, fast_flush
from tests.identity.factories import MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _filled() -> list[str]:
    tables, _ = _tables(connection)
    filled = []
    with connection.cursor() as cursor:
        for name in tables:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {connection.ops.quote_name(name)})")
            if cursor.fetchone()[0]:
                filled.append(name)
    return filled


def test_fast_flush_empties_every_table_the_append_only_ones_too():
    from apps.core.models import AuditEntry

    tables, triggered = _tables(connection)
    assert tables and {"core_auditentry", "ledger_posting"} <= triggered
    MembershipFactory()  # a user, an organization, a membership: rows linked by foreign keys
    AuditEntry.objects.create(category="settings", action="tests.fast_flush")
    with pytest.raises(Exception):  # noqa: B017 - the trigger's refusal: DELETE cannot empty it
        from django.db import transaction

        with transaction.atomic():
            AuditEntry.objects.all().delete()
    assert {"core_auditentry", "identity_user", "identity_membership"} <= set(_filled())

    assert fast_flush(connection) is True
    kept = {"django_content_type", "auth_permission"}
    assert set(_filled()) == kept  # post_migrate's rows, as Django's flush leaves them
    estate = ContentType.objects.get(app_label="estate", model="lease")
    assert Permission.objects.filter(codename="add_helparticle").exists()

    # unchanged since the last flush: kept as they are; changed by a test: written again
    assert fast_flush(connection) is True
    assert ContentType.objects.get(app_label="estate", model="lease").pk == estate.pk
    Permission.objects.filter(codename="add_helparticle").delete()
    assert fast_flush(connection) is True
    assert Permission.objects.filter(codename="add_helparticle").exists()
    assert set(_filled()) == kept
