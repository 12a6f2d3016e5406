"""The kernel's batch helpers: `bulk.update_rows` (one UPDATE … FROM (VALUES …) per batch)
writes what `save()` would, `bulk.insert_rows` (one COPY) writes what `bulk_create` writes, and
`numbering.next_numbers` reserves a consecutive block."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.billing.contracts import InvoiceKind
from apps.billing.models import Invoice
from apps.core.bulk import insert_rows, update_rows
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


# text a COPY must escape (tabs, newlines, backslashes, « \\N ») and JSON of every kind
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)
invoices = st.fixed_dictionaries(
    {
        "number": texts,
        "kind": st.sampled_from(list(InvoiceKind)),
        "issued_on": st.none() | st.dates(date(2000, 1, 1), date(2100, 1, 1)),
        "total": st.integers(min_value=0, max_value=2**62),
        "seller": st.dictionaries(texts, json_values, max_size=3),
        "finalized_at": st.none() | st.integers(min_value=0, max_value=10**9),
    }
)


class _Rollback(Exception):
    pass


def _insert(customer, generated, *, ours: bool) -> list[dict]:
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        Invoice(
            customer=customer,
            origin_key=f"gen-{n}",
            currency="XOF",
            country="BJ",
            number=v["number"],
            kind=v["kind"],
            issued_on=v["issued_on"],
            total=v["total"],
            seller=v["seller"],
            finalized_at=stamp + timedelta(seconds=v["finalized_at"])
            if v["finalized_at"] is not None
            else None,
        )
        for n, v in enumerate(generated)
    ]
    try:
        with transaction.atomic():
            written = insert_rows(Invoice, rows) if ours else Invoice.objects.bulk_create(rows)
            assert all(row.pk and not row._state.adding for row in written)
            stored = list(Invoice.objects.filter(pk__in=[row.pk for row in written]).order_by("pk").values())
            assert [row["id"] for row in stored] == [row.pk for row in written]
            assert [row["public_id"] for row in stored] == [row.public_id for row in written]
            raise _Rollback(stored)
    except _Rollback as done:
        ignored = {"id", "public_id", "created_at", "updated_at"}
        return [{k: v for k, v in row.items() if k not in ignored} for row in done.args[0]]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    generated=st.lists(invoices, min_size=1, max_size=4, unique_by=lambda v: v["number"])
)  # numbers are unique
def test_insert_rows_writes_what_bulk_create_writes(billing_customer, generated):
    ours = _insert(billing_customer, generated, ours=True)
    assert ours == _insert(billing_customer, generated, ours=False)
    assert [row["seller"] for row in ours] == [v["seller"] for v in generated]  # written, not only equal


def test_insert_rows_stamps_creation_and_refuses_a_duplicate_with_djangos_error(billing_customer):
    before = datetime.now(UTC)
    first = Invoice(
        customer=billing_customer, kind=InvoiceKind.ONE_OFF, origin_key="dup", currency="XOF", country="BJ"
    )
    assert insert_rows(Invoice, [first]) == [first]
    first.refresh_from_db()
    assert first.created_at >= before and first.updated_at >= before
    again = Invoice(
        customer=billing_customer, kind=InvoiceKind.ONE_OFF, origin_key="dup", currency="XOF", country="BJ"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Invoice, [again])
    assert Invoice.objects.filter(origin_key="dup").count() == 1
    assert insert_rows(Invoice, []) == []
