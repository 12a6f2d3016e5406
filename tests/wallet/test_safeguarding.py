"""Safeguarding (issue 19, point 4): e-money outstanding (the ledger's `wallet` and `wallet.*`
accounts) against the trust bank balance, one report per day and currency; a gap is raised
(logged, metric, admin list) and the daily run is idempotent."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from prometheus_client import REGISTRY

from apps.core.errors import Forbidden
from apps.ledger import api as ledger
from apps.ledger.contracts import AccountKind, Leg, OwnerType
from apps.wallet import tasks
from apps.wallet.errors import InvalidTrustBalance
from apps.wallet.models import SafeguardingReport, TrustBalance
from apps.wallet.services import safeguarding
from tests.helpers import bearer_client, gql, gql_response
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def _clearing(currency="XOF"):
    return ledger.system_account(code="provider_clearing.sandbox", currency=currency).public_id


def _credit(account, amount, currency="XOF"):
    ledger.transfer(
        idempotency_key=f"test:safeguarding:{uuid.uuid4()}",
        code="wallet.topup",
        legs=[Leg.debit(_clearing(currency), amount, currency), Leg.credit(account, amount, currency)],
    )


def _wallet(amount, currency="XOF"):
    account = ledger.user_wallet(user=UserFactory().public_id, currency=currency).public_id
    _credit(account, amount, currency)
    return account


def _system_liability(code, currency="XOF"):
    return ledger.create_account(
        code=code,
        name=code,
        currency=currency,
        kind=AccountKind.LIABILITY,
        owner_type=OwnerType.SYSTEM,
        debits_must_not_exceed_credits=True,
    ).public_id


@pytest.fixture
def finance(db):
    return UserFactory(is_staff=True, staff_role="finance")


@pytest.fixture
def books(db):
    """Two wallets, a pot, a vault and held P2P money; and money that is not e-money."""
    _wallet(30_000)
    _wallet(12_500)
    _credit(_system_liability(f"wallet.pot.{uuid.uuid4()}"), 40_000)
    _credit(_system_liability(f"wallet.vault.{uuid.uuid4()}"), 7_000)
    _credit(_system_liability("wallet.p2p_held"), 2_500)
    _credit(_system_liability("walletx.not_e_money"), 999)  # a code that only looks alike
    _credit(ledger.system_account(code="fees_revenue", currency="XOF").public_id, 1_000)
    _wallet(5_00, currency="GHS")
    return 30_000 + 12_500 + 40_000 + 7_000 + 2_500


def _sample(name, currency):
    return REGISTRY.get_sample_value(name, {"currency": currency})


def test_ledger_totals_count_wallets_pots_vaults_and_held_money_only(books):
    totals = {t.currency: t for t in ledger.balance_totals(codes=["wallet"], prefixes=["wallet."])}
    assert totals["XOF"].posted == books
    assert totals["XOF"].accounts == 5
    assert totals["XOF"].available == books
    assert totals["GHS"].posted == 500
    assert ledger.balance_totals() == []
    # a prefix's "_" is a literal, not LIKE's any-character
    assert ledger.balance_totals(prefixes=["wallet_"]) == []


def test_a_balanced_report(books, finance):
    today = timezone.localdate()
    safeguarding.trust_balance_record(
        actor=finance, currency="XOF", on=today, amount=books, reference="BOA-1"
    )
    safeguarding.trust_balance_record(actor=finance, currency="GHS", on=today, amount=500)

    reports = {r.currency: r for r in safeguarding.run_daily(today)}

    xof = reports["XOF"]
    assert (xof.outstanding, xof.safeguarded, xof.gap, xof.status) == (books, books, 0, "balanced")
    assert xof.trust_balance.reference == "BOA-1"
    assert str(finance.phone) in xof.source
    assert reports["GHS"].status == "balanced"
    assert _sample("hokwe_wallet_safeguarding_unbalanced", "XOF") == 0
    assert _sample("hokwe_wallet_safeguarding_gap", "XOF") == 0
    assert _sample("hokwe_wallet_safeguarding_outstanding", "XOF") == books


def test_a_gap_is_raised_and_listed(books, finance, caplog):
    today = timezone.localdate()
    safeguarding.trust_balance_record(
        actor=finance, currency="XOF", on=today - timedelta(days=1), amount=books - 2_500
    )

    with caplog.at_level("ERROR", logger="hokwe.wallet.safeguarding"):
        reports = {r.currency: r for r in safeguarding.run_daily(today)}

    xof = reports["XOF"]
    assert (xof.safeguarded, xof.gap, xof.status) == (books - 2_500, -2_500, "gap")
    assert reports["GHS"].status == "missing" and reports["GHS"].gap is None
    assert any(r.message == "safeguarding_gap" for r in caplog.records)
    assert _sample("hokwe_wallet_safeguarding_gap", "XOF") == -2_500
    assert _sample("hokwe_wallet_safeguarding_unbalanced", "XOF") == 1
    assert _sample("hokwe_wallet_safeguarding_unbalanced", "GHS") == 1

    listed = safeguarding.reports_for(finance, gaps_only=True)
    assert {(r.currency, r.status) for r in listed} == {("XOF", "gap"), ("GHS", "missing")}

    # finance enters today's balance: the day's report is compared again, its outstanding kept
    safeguarding.trust_balance_record(actor=finance, currency="XOF", on=today, amount=books)
    xof.refresh_from_db()
    assert (xof.outstanding, xof.gap, xof.status) == (books, 0, "balanced")
    assert not safeguarding.reports_for(finance, currency="XOF", gaps_only=True).exists()


def test_the_daily_run_is_idempotent(books, finance):
    today = timezone.localdate()
    safeguarding.trust_balance_record(actor=finance, currency="XOF", on=today, amount=books)
    assert tasks.safeguarding_daily() == 1  # GHS has no bank balance

    _wallet(1_000)  # money moves after the run
    again = {r.currency: r for r in safeguarding.run_daily(today)}
    tasks.safeguarding_daily()

    assert SafeguardingReport.objects.filter(day=today).count() == 2
    assert again["XOF"].outstanding == books  # the day's figures are the first run's
    tomorrow = {r.currency: r for r in safeguarding.run_daily(today + timedelta(days=1))}
    assert tomorrow["XOF"].outstanding == books + 1_000
    assert tomorrow["XOF"].gap == -1_000  # today's bank balance is the latest one


def test_bank_balance_refusals(finance):
    support = UserFactory(is_staff=True, staff_role="support")
    today = timezone.localdate()
    with pytest.raises(Forbidden):
        safeguarding.trust_balance_record(actor=support, currency="XOF", on=today, amount=1)
    with pytest.raises(InvalidTrustBalance) as negative:
        safeguarding.trust_balance_record(actor=finance, currency="XOF", on=today, amount=-1)
    assert negative.value.field == "amount"
    with pytest.raises(InvalidTrustBalance) as future:
        safeguarding.trust_balance_record(
            actor=finance, currency="XOF", on=today + timedelta(days=1), amount=1
        )
    assert future.value.field == "on"
    with pytest.raises(InvalidTrustBalance):
        safeguarding.trust_balance_record(actor=finance, currency="FCFA", on=today, amount=1)
    assert not TrustBalance.objects.exists()


def test_reports_over_rest_and_graphql_for_finance_only(books, finance):
    safeguarding.run_daily(timezone.localdate())
    response = bearer_client(finance).get("/api/v1/wallet/safeguarding/reports?gaps=true&currency=XOF")
    assert response.status_code == 200, response.content
    (row,) = response.json()["results"]
    assert row["status"] == "missing" and row["outstanding"]["amount"] == books and row["gap"] is None

    refused = bearer_client(UserFactory()).get("/api/v1/wallet/safeguarding/reports")
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith("application/problem+json")

    query = '{ walletSafeguardingReports(currency: "XOF") { status outstanding { amount } gap { amount } } }'
    data = gql(bearer_client(finance), query)
    assert data["walletSafeguardingReports"] == [
        {"status": "missing", "outstanding": {"amount": books}, "gap": None}
    ]
    body = gql_response(bearer_client(UserFactory()), query)
    assert body["errors"] and body["data"] is None


def admin_client(user) -> Client:
    """A back-office session (password and TOTP, as the admin login asks)."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": str(user.phone),
            "password": "secret-pass-123",
            "otp_device": device.persistent_id,
            "otp_token": f"{totp.token():06d}",
        },
    )
    assert response.status_code == 302, response.content[:500]
    return client


def test_the_admin_lists_gaps_and_finance_enters_a_balance(books, finance):
    client = admin_client(finance)
    safeguarding.run_daily(timezone.localdate())

    page = client.get("/admin/wallet/safeguardingreport/?status__exact=missing")
    assert page.status_code == 200
    assert b"XOF" in page.content and b"GHS" in page.content

    today = timezone.localdate()
    added = client.post(
        "/admin/wallet/trustbalance/add/",
        {"currency": "XOF", "on": today.isoformat(), "amount": books, "reference": "BOA-2", "note": ""},
    )
    assert added.status_code == 302, added.content[:2000]
    entry = TrustBalance.objects.get()
    assert entry.entered_by == finance and entry.source == "finance"
    assert SafeguardingReport.objects.get(day=today, currency="XOF").status == "balanced"

    run = client.post("/admin/wallet/safeguardingreport/run/")
    assert run.status_code == 302
    client = admin_client(UserFactory(is_staff=True, staff_role="support"))
    assert client.post("/admin/wallet/safeguardingreport/run/").status_code == 403
    assert client.get("/admin/wallet/safeguardingreport/").status_code == 403
