"""The kernel's batch helpers: `bulk.update_rows` (one UPDATE … FROM (VALUES …) per batch)
writes what `save()` would, and `numbering.next_numbers` reserves a consecutive block."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import transaction

from apps.billing.contracts import InvoiceKind
from apps.billing.models import Invoice
from apps.core.bulk import update_rows
from apps.core.numbering import next_number, next_numbers

pytestmark = pytest.mark.django_db


def test_update_rows_writes_json_dates_and_text_of_each_row_only(billing_customer):
    rows = [
        Invoice.objects.create(
            customer=billing_customer,
            kind=InvoiceKind.ONE_OFF,
            origin_key=f"bulk-{i}",
            currency="XOF",
            country="BJ",
        )
        for i in range(3)
    ]
    untouched = Invoice.objects.create(
        customer=billing_customer, kind=InvoiceKind.ONE_OFF, origin_key="bulk-x", currency="XOF", country="BJ"
    )
    stamp = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    for i, row in enumerate(rows):
        row.number = f"FA-BJ-2026-{i:06d}"
        row.issued_on = date(2026, 12, 1 + i)
        row.seller = {"name": "Hokwe SAS", "n": i, "accents": "Bénin « é »"}
        row.finalized_at = stamp
    assert update_rows(Invoice, rows, ["number", "issued_on", "seller", "finalized_at"], batch_size=2) == 3
    for i, row in enumerate(rows):
        row.refresh_from_db()
        assert row.number == f"FA-BJ-2026-{i:06d}" and row.issued_on == date(2026, 12, 1 + i)
        assert row.seller == {"name": "Hokwe SAS", "n": i, "accents": "Bénin « é »"}
        assert row.finalized_at == stamp
    untouched.refresh_from_db()
    assert untouched.number == "" and untouched.seller == {}
    assert update_rows(Invoice, [], ["number"]) == 0


def test_next_numbers_reserves_a_consecutive_block_after_single_numbers():
    with transaction.atomic():
        first = next_number(series="tests.block", scope="BJ", year=2026, template="B{year}-{n:04d}")
        block = next_numbers(series="tests.block", scope="BJ", year=2026, count=3, template="B{year}-{n:04d}")
        after = next_number(series="tests.block", scope="BJ", year=2026, template="B{year}-{n:04d}")
        fresh = next_numbers(series="tests.block", scope="CI", year=2026, count=2, template="{n}")
        assert next_numbers(series="tests.block", scope="BJ", year=2026, count=0) == []
    assert first == "B2026-0001"
    assert block == ["B2026-0002", "B2026-0003", "B2026-0004"]
    assert after == "B2026-0005"
    assert fresh == ["1", "2"]
