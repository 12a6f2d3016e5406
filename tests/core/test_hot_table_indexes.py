"""The tables every month-end, daily run, payment and token refresh write to carry no index
that no query uses (docs/performance.md): no LIKE pattern index next to a key looked up by
equality, and the keys stay unique."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

KEYS = [
    ("ledger_transfer", "idempotency_key"),
    ("estate_rentdue", "pay_token"),
    ("recovery_case", "token"),
    ("identity_refreshtoken", "token_hash"),
]
NAMES = [("core_outboxevent", "name")]


def _indexes(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


@pytest.mark.parametrize(("table", "column"), KEYS + NAMES)
def test_no_like_pattern_index_on_a_hot_table(table, column):
    definitions = _indexes(table).values()
    assert not [d for d in definitions if "varchar_pattern_ops" in d], definitions
    assert any(d.endswith(f"({column})") for d in definitions), definitions  # its B-tree stays


@pytest.mark.parametrize(("table", "column"), KEYS)
def test_the_keys_stay_unique(table, column):
    assert any(
        d.startswith("CREATE UNIQUE INDEX") and d.endswith(f"({column})") for d in _indexes(table).values()
    )


def test_the_rent_due_has_no_single_column_index_its_composites_cover():
    columns = {d.rsplit("(", 1)[1] for d in _indexes("estate_rentdue").values()}
    assert "lease_id)" not in columns and "organization_id)" not in columns
    assert {"lease_id, due_date)", "organization_id, period)"} <= columns
