"""The database itself refuses to rewrite history, and ledger_verify catches tampering."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from apps.ledger import api, verify
from apps.ledger.models import Account, Posting, Transfer

from .conftest import fund

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_posting SET amount = amount + 1 WHERE transfer_id = %s",
        "DELETE FROM ledger_posting WHERE transfer_id = %s",
        "UPDATE ledger_transfer SET description = 'oops' WHERE id = %s",
        "DELETE FROM ledger_transfer WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_posted_rows(wallet, sql):
    result = fund(wallet.public_id, 1_000)
    transfer_id = Transfer.objects.get(public_id=result.public_id).id
    with pytest.raises(DatabaseError, match="immutable"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [transfer_id])
    assert Posting.objects.filter(transfer_id=transfer_id).count() == 2


def test_the_orm_cannot_change_them_either(wallet):
    result = fund(wallet.public_id, 1_000)
    transfer = Transfer.objects.get(public_id=result.public_id)
    transfer.description = "rewritten"
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        transfer.save()


def test_the_check_constraint_backs_the_wallet_limit(wallet):
    """Even a raw UPDATE cannot push a limited account past its limit."""
    fund(wallet.public_id, 100)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ledger_account SET debits_posted = 101 WHERE public_id = %s", [wallet.public_id]
        )


def test_ledger_verify_catches_a_total_tampered_by_raw_sql(wallet, caplog):
    fund(wallet.public_id, 1_000)
    call_command("ledger_verify")  # consistent
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ledger_account SET credits_posted = credits_posted + 500 WHERE public_id = %s",
            [wallet.public_id],
        )
    with caplog.at_level("ERROR", logger="hokwe.ledger.verify"), pytest.raises(CommandError):
        call_command("ledger_verify")
    assert any(r.message == "ledger_verify_account_mismatch" for r in caplog.records)
    report = verify.run()
    assert [d["account"] for d in report.accounts] == [str(wallet.public_id)]
    assert report.currencies  # the books no longer sum to zero
    assert verify.DIFFERENCES.labels(check="account_totals")._value.get() == 1


def test_ledger_verify_task_reports_ok(wallet):
    from apps.ledger.tasks import ledger_verify

    fund(wallet.public_id, 10)
    assert ledger_verify.delay().get() is True
    assert verify.DIFFERENCES.labels(check="account_totals")._value.get() == 0


def test_hold_expiry_task(wallet, clearing):
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    from apps.ledger.contracts import Leg
    from apps.ledger.tasks import expire_holds

    from .conftest import key

    fund(wallet.public_id, 100)
    hold = api.hold(
        idempotency_key=key(),
        code="x",
        legs=[Leg.debit(wallet.public_id, 100, "XOF"), Leg.credit(clearing.public_id, 100, "XOF")],
        timeout_seconds=5,
    )
    later = timezone.now() + timedelta(seconds=10)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert expire_holds.delay().get() == 1
    assert api.hold_state(hold=hold.public_id) == "voided"
    assert Account.objects.get(public_id=wallet.public_id).debits_pending == 0


def test_an_account_with_history_cannot_be_deleted(wallet):
    fund(wallet.public_id, 10)
    with pytest.raises(DatabaseError, match="cannot be deleted"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM ledger_account WHERE public_id = %s", [wallet.public_id])
    assert Account.objects.filter(public_id=wallet.public_id).exists()


def test_ledger_verify_reports_orphan_postings(wallet):
    fund(wallet.public_id, 10)
    account_id = Account.objects.get(public_id=wallet.public_id).id
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_posting (transfer_id, account_id, sequence, is_debit, amount, currency, pending, "
            "code, balance_after, created_at) VALUES (%s, %s, 999, true, 5, 'XOF', false, 'x', 0, now())",
            [10**12, account_id],
        )
    report = verify.run()
    assert [o["transfer_id"] for o in report.orphans] == [10**12]
