"""Settlements imported, never typed in: FedaPay's API (transactions `transferred` to us,
`GET /v1/balances`) against the local FedaPay, and a provider's statement file (CSV). Each
settlement once, each transaction once; mismatches become reconciliation items
(docs/payments.md "Suspense and settlements")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.payments import services
from apps.payments.models import ReconciliationItem, Settlement, SettlementLine
from apps.payments.services import ledgering
from apps.payments.services import settlements as settlement_services

from .conftest import balance, make_intent
from .fakes import fedapay as fake

pytestmark = pytest.mark.django_db


class FedapayWithBalances(fake.FakeFedapay):
    """The local FedaPay with its documented balances: {"v1/balances": [{id, amount, mode,
    account_id, created_at, updated_at}]}."""

    def _handle(self, request, path, method, body):
        if path == "/v1/balances" and method == "GET":
            return self._json(
                {
                    "v1/balances": [
                        {
                            "id": 7,
                            "amount": 41_000,
                            "mode": "mtn_open",
                            "account_id": 3,
                            "created_at": "2026-01-01T00:00:00Z",
                            "updated_at": "2026-11-24T10:00:00Z",
                        }
                    ]
                }
            )
        return super()._handle(request, path, method, body)


@pytest.fixture
def fedapay_api(fedapay, httpserver):
    """The `fedapay` fixture's settings, with a local FedaPay that also answers balances."""
    server = FedapayWithBalances()
    httpserver.clear()
    server.install(httpserver)
    return server


def _yesterday_iso(hour: int = 10) -> str:
    day = timezone.localdate() - timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC).isoformat().replace("+00:00", "Z")


def _paid_at_fedapay(org, server, amount: int) -> int:
    """An intent paid through the local FedaPay; returns FedaPay's transaction id."""
    intent = make_intent(org, amount=amount, purpose_id=f"due-{amount}")
    attempt, _checkout = services.attempt_start(intent=intent, method="mobile_money")
    transaction_id = int(attempt.provider_reference)
    server.transactions[transaction_id]["status"] = "approved"
    services.attempt_verify(attempt=attempt)
    intent.refresh_from_db()
    assert intent.status == "succeeded"
    return transaction_id


def _transferred(server, transaction_id: int, *, fees: int) -> None:
    row = server.transactions[transaction_id]
    row.update(status="transferred", transferred_at=_yesterday_iso(), amount_transferred=row["amount"] - fees)


def test_fedapay_settlement_import_posts_once_and_flags_what_we_lack(org, fedapay_api):
    ours = _paid_at_fedapay(org, fedapay_api, 30_000)
    _transferred(fedapay_api, ours, fees=600)
    fedapay_api.transactions[4242] = {  # transferred to us, no payment of ours knows it
        "id": 4242,
        "amount": 11_000,
        "currency": {"iso": "XOF"},
        "status": "transferred",
        "commission": 200,
        "fees": 20,
        "transferred_at": _yesterday_iso(12),
        "created_at": _yesterday_iso(9),
    }
    fedapay_api.transactions[4243] = {  # approved, not transferred yet: not a settlement
        "id": 4243,
        "amount": 9_000,
        "currency": {"iso": "XOF"},
        "status": "approved",
        "created_at": _yesterday_iso(9),
    }
    clearing = ledgering.clearing("fedapay", "XOF")
    bank, fees_account = ledgering.bank("XOF"), ledgering.provider_fees("fedapay", "XOF")
    before = balance(clearing), balance(bank), balance(fees_account)

    result = services.fedapay_import(since=timezone.localdate() - timedelta(days=1))

    assert [b.amount for b in result.balances] == [41_000]
    (settlement,) = result.settlements
    day = timezone.localdate() - timedelta(days=1)
    assert settlement.reference == f"{day.isoformat()}-XOF" and settlement.source == "api"
    assert (settlement.gross, settlement.fees, settlement.lines_count) == (41_000, 820, 2)
    assert before[0] - balance(clearing) == 41_000
    assert balance(bank) - before[1] == 40_180
    assert balance(fees_account) - before[2] == 820
    outcomes = dict(SettlementLine.objects.values_list("transaction_reference", "outcome"))
    assert outcomes == {str(ours): "matched", "4242": "mismatch"}
    item = ReconciliationItem.objects.get(kind="settlement_mismatch", provider_reference="4242")
    assert item.amount_provider == 11_000 and item.suspense_transfer is None
    assert result.mismatches == 1

    again = services.fedapay_import(since=timezone.localdate() - timedelta(days=1))
    assert again.nothing_new and again.lines_already == 2
    assert Settlement.objects.count() == 1
    assert before[0] - balance(clearing) == 41_000  # posted once


def test_command_imports_from_fedapay(org, fedapay_api):
    ours = _paid_at_fedapay(org, fedapay_api, 12_500)
    _transferred(fedapay_api, ours, fees=250)
    out = StringIO()
    since = (timezone.localdate() - timedelta(days=2)).isoformat()
    call_command("payments_settlement", "--provider", "fedapay", "--since", since, stdout=out)
    call_command("payments_settlement", "--provider", "fedapay", "--since", since, stdout=out)
    text = out.getvalue()
    assert "1 recorded" in text and "1 already recorded" in text
    assert "balance at fedapay (mtn_open): 41000" in text


def test_the_daily_beat_task_imports_fedapay(org, fedapay_api, settings):
    from apps.payments.tasks import import_settlements

    assert (
        settings.CELERY_BEAT_SCHEDULE["payments.import_settlements"]["task"] == "payments.import_settlements"
    )
    ours = _paid_at_fedapay(org, fedapay_api, 8_000)
    _transferred(fedapay_api, ours, fees=160)
    assert import_settlements() == 1
    assert import_settlements() == 0


KKIAPAY_STATEMENT = """Date;Transaction ID;Montant;Frais;Montant net;Statut;Reversement
{day};{ours};25 000;475;24 525;SUCCESS;RV-1001
{day};TX-UNKNOWN;4 000;76;3 924;SUCCESS;RV-1001
{day};TX-FAILED;7 000;0;7 000;FAILED;RV-1001
"""


def test_statement_file_imported_twice_records_nothing_the_second_time(org, providers):
    intent = make_intent(org, amount=25_000, purpose_id="file-due")
    # a Kkiapay payment of ours (its transaction KK-777 succeeded with us)
    from apps.payments.contracts import AttemptStatus
    from apps.payments.models import PaymentAttempt

    attempt = PaymentAttempt.objects.create(
        intent=intent,
        method="mobile_money",
        provider="kkiapay",
        token="tok-file",
        provider_reference="KK-777",
    )
    PaymentAttempt.objects.filter(pk=attempt.pk).update(status=AttemptStatus.SUCCEEDED)
    day = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")
    content = KKIAPAY_STATEMENT.format(day=day, ours="KK-777").encode()
    clearing = ledgering.clearing("kkiapay", "XOF")
    start = balance(clearing)

    first = services.file_import(provider="kkiapay", content=content, filename="rv-1001.csv")
    (settlement,) = first.settlements
    assert (settlement.reference, settlement.gross, settlement.fees) == ("RV-1001", 29_000, 551)
    assert (
        settlement.currency == "XOF" and settlement.source == "file" and settlement.filename == "rv-1001.csv"
    )
    assert first.lines_read == 2 and first.lines_new == 2 and first.mismatches == 1
    assert start - balance(clearing) == 29_000

    second = services.file_import(provider="kkiapay", content=content, filename="rv-1001 (1).csv")
    assert second.nothing_new and second.lines_already == 2
    assert start - balance(clearing) == 29_000
    assert Settlement.objects.filter(provider="kkiapay").count() == 1


def test_the_same_line_in_two_files_is_recorded_once(org, providers):
    day = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")
    header = "Date;Transaction ID;Montant;Frais;Statut;Devise\n"
    one = header + f"{day};TX-A;10 000;190;SUCCESS;XOF\n{day};TX-B;5 000;95;SUCCESS;XOF\n"
    two = header + f"{day};TX-B;5 000;95;SUCCESS;XOF\n{day};TX-C;2 000;38;SUCCESS;XOF\n"
    first = services.file_import(provider="kkiapay", content=one)
    second = services.file_import(provider="kkiapay", content=two)
    assert first.lines_new == 2 and second.lines_new == 1 and second.lines_already == 1
    assert SettlementLine.objects.filter(transaction_reference="TX-B").count() == 1
    assert sum(s.gross for s in Settlement.objects.filter(provider="kkiapay")) == 17_000


def test_a_file_without_the_needed_columns_is_refused_with_its_columns(providers):
    from apps.payments.errors import InvalidPayment

    with pytest.raises(InvalidPayment) as refused:
        services.file_import(provider="kkiapay", content=b"Nom;Telephone\nA;1\n")
    assert "Nom" in str(refused.value.message)
    lines, problems = settlement_services.parse_statement(
        "kkiapay", "Date,transactionId,amount,fees\n,TX-1,100,1\n2026-11-20,,100,1\n2026-11-20,TX-3,abc,0\n"
    )
    assert lines == [] and len(problems) == 3


def test_typed_in_settlement_still_records_once(providers):
    out = StringIO()
    args = ["payments_settlement", "--provider", "sandbox", "--gross", "5000", "--fees", "100"]
    call_command(*args, "--reference", "S-77", stdout=out)
    call_command(*args, "--reference", "S-77", stdout=out)
    assert "already recorded" in out.getvalue()
    assert Settlement.objects.get(provider="sandbox", reference="S-77").source == "manual"
