"""Payouts (a ledger hold posted on confirmation, voided on failure; scheduled by beat) and
the daily reconciliation."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.identity.models import Membership
from apps.ledger import api as ledger
from apps.payments import services
from apps.payments.errors import PayoutAccountNotVerified
from apps.payments.models import (
    PaymentAttempt,
    Payout,
    PayoutAccount,
    PayoutSchedule,
    ReconciliationItem,
    ReconciliationReport,
)
from apps.payments.services import ledgering

from .conftest import balance, kyb_approved, make_intent, member, on_commit
from .fakes import kkiapay as fake

pytestmark = pytest.mark.django_db


def funded(org, amount):
    kyb_approved(org)
    services.cash_record(
        actor=member(org, Membership.Role.COLLECTOR),
        intent=make_intent(org, amount=amount, purpose_id=str(amount)),
    )
    return ledgering.owners_payable(org.public_id, "XOF")


def account_for(org, phone="+2290196000123", verified=True):
    return PayoutAccount.objects.create(
        organization=org,
        kind="mobile_money",
        phone=phone,
        operator="mtn",
        holder_name="Famille Adjovi",
        verified_at=timezone.now() if verified else None,
    )


def test_payout_holds_then_posts(org, providers, step_up):
    owner = member(org, Membership.Role.OWNER)
    payable = funded(org, 50_000)
    token = step_up(owner, "payments.payout.create", org.public_id, amount=40_000, currency="XOF")
    with on_commit():
        payout = services.payout_request(
            actor=owner,
            organization_id=org.pk,
            account=account_for(org),
            amount=40_000,
            currency="XOF",
            step_up_token=token,
        )
    payout.refresh_from_db()
    assert payout.status == "paid" and payout.provider_reference
    assert balance(payable) == 10_000
    assert ledger.hold_state(hold=payout.hold) == "posted"


def test_failed_payout_voids_the_hold(org, providers, step_up):
    owner = member(org, Membership.Role.OWNER)
    payable = funded(org, 50_000)
    token = step_up(owner, "payments.payout.create", org.public_id, amount=20_000, currency="XOF")
    with on_commit():
        payout = services.payout_request(
            actor=owner,
            organization_id=org.pk,
            account=account_for(org, phone="+2290196000000"),
            amount=20_000,
            currency="XOF",
            step_up_token=token,
        )
    payout.refresh_from_db()
    assert payout.status == "failed" and payout.failure_reason
    assert ledger.balance(account=payable).available == 50_000


def test_payout_above_the_balance_is_refused_and_unverified_accounts_too(org, providers, step_up):
    owner = member(org, Membership.Role.OWNER)
    funded(org, 5_000)
    token = step_up(owner, "payments.payout.create", org.public_id, amount=9_000, currency="XOF")
    with pytest.raises(ledger.InsufficientFunds):
        services.payout_request(
            actor=owner,
            organization_id=org.pk,
            account=account_for(org),
            amount=9_000,
            currency="XOF",
            step_up_token=token,
        )
    assert Payout.objects.count() == 0
    with pytest.raises(PayoutAccountNotVerified):
        services.payout_request(
            actor=owner,
            organization_id=org.pk,
            account=account_for(org, verified=False),
            amount=1_000,
            currency="XOF",
            step_up_token="x",
        )


def test_scheduled_payouts_respect_the_minimum(org, other_org, providers, settings):
    settings.PAYOUT_MIN_AMOUNT = 10_000
    funded(org, 25_000)
    funded(other_org, 3_000)
    PayoutSchedule.objects.create(organization=org, payout_account=account_for(org), frequency="weekly")
    PayoutSchedule.objects.create(
        organization=other_org,
        payout_account=account_for(other_org, phone="+2290196000124"),
        frequency="weekly",
    )
    monday = dt.date(2026, 11, 23)
    with on_commit():
        assert services.scheduled_payouts_run(today=monday) == 1
        assert services.scheduled_payouts_run(today=monday + dt.timedelta(days=1)) == 0
    payout = Payout.objects.get()
    assert (
        payout.organization_id == org.pk
        and payout.amount == 25_000
        and payout.scheduled
        and payout.status == "paid"
    )
    with on_commit():
        assert services.scheduled_payouts_run(today=monday) == 0  # same day again: idempotent


def test_reconciliation_finds_missed_unknown_and_mismatched(org, kkiapay, settings):
    # a payment whose webhook never came: Kkiapay knows it, we still have it pending
    missed = make_intent(org, amount=10_000, purpose_id="missed")
    attempt, _ = services.attempt_start(intent=missed, method="mobile_money")
    reference = kkiapay.add(amount=10_000, partner=attempt.token)
    PaymentAttempt.objects.filter(pk=attempt.pk).update(provider_reference=reference)
    # a payment with the wrong amount
    short = make_intent(org, amount=8_000, purpose_id="short")
    attempt2, _ = services.attempt_start(intent=short, method="mobile_money")
    ref2 = kkiapay.add(amount=800, partner=attempt2.token)
    PaymentAttempt.objects.filter(pk=attempt2.pk).update(provider_reference=ref2)
    report = services.reconcile(provider="kkiapay", day=timezone.localdate())
    missed.refresh_from_db()
    short.refresh_from_db()
    assert missed.status == "succeeded" and balance(missed.credit_account) == 10_000
    assert short.status == "failed"
    kinds = set(ReconciliationItem.objects.filter(report=report).values_list("kind", flat=True))
    assert kinds == {"paid_not_recorded", "amount_mismatch"}
    assert report.checked == 2 and ReconciliationReport.objects.count() == 1
    again = services.reconcile(provider="kkiapay", day=timezone.localdate())
    assert again.pk == report.pk and balance(missed.credit_account) == 10_000


def test_reconciliation_of_a_listing_provider_puts_unknown_money_in_suspense(org, fedapay):
    fedapay.transactions[42] = {
        "id": 42,
        "amount": 3_000,
        "currency": {"iso": "XOF"},
        "status": "approved",
        "custom_metadata": {},
        "created_at": timezone.now().isoformat(),
    }
    before = balance(ledgering.suspense("XOF"))
    services.reconcile(provider="fedapay", day=timezone.localdate())
    assert balance(ledgering.suspense("XOF")) - before == 3_000
    assert ReconciliationItem.objects.get(kind="unknown_transaction").refund_due


def test_stale_pending_attempts_are_settled_by_asking_the_provider(org, kkiapay, time_machine):
    intent = make_intent(org, amount=4_000)
    attempt, _ = services.attempt_start(intent=intent, method="mobile_money")
    reference = kkiapay.add(amount=4_000, partner=attempt.token)
    PaymentAttempt.objects.filter(pk=attempt.pk).update(provider_reference=reference)
    assert services.settle_stale_pending() == 0  # not stale yet
    time_machine.move_to(timezone.now() + dt.timedelta(hours=1), tick=False)
    assert services.settle_stale_pending() == 1
    intent.refresh_from_db()
    assert intent.status == "succeeded"


def test_settlement_moves_clearing_to_bank(org, kkiapay, providers):
    from apps.ledger.contracts import Leg

    clearing = ledgering.clearing("kkiapay", "XOF")
    ledger.transfer(
        idempotency_key="seed-clearing",
        code="seed",
        legs=[Leg.debit(clearing, 100_000, "XOF"), Leg.credit(ledgering.suspense("XOF"), 100_000, "XOF")],
    )
    before = balance(clearing)
    services.settlement_record(provider="kkiapay", currency="XOF", gross=100_000, fees=1_900, reference="S-1")
    services.settlement_record(provider="kkiapay", currency="XOF", gross=100_000, fees=1_900, reference="S-1")
    assert before - balance(clearing) == 100_000
    assert (
        balance(ledgering.bank("XOF")) == 98_100
        and balance(ledgering.provider_fees("kkiapay", "XOF")) == 1_900
    )
    assert fake  # the local Kkiapay is up for the whole module


def test_management_commands(org, kkiapay, providers):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "payments_reconcile", "--provider", "kkiapay", "--day", timezone.localdate().isoformat(), stdout=out
    )
    assert "kkiapay" in out.getvalue()
    from apps.ledger.contracts import Leg

    clearing = ledgering.clearing("sandbox", "XOF")
    ledger.transfer(
        idempotency_key="seed-s",
        code="seed",
        legs=[Leg.debit(clearing, 5_000, "XOF"), Leg.credit(ledgering.suspense("XOF"), 5_000, "XOF")],
    )
    call_command(
        "payments_settlement",
        "--provider",
        "sandbox",
        "--gross",
        "5000",
        "--fees",
        "100",
        "--reference",
        "S-9",
        stdout=out,
    )
    call_command(
        "payments_settlement",
        "--provider",
        "sandbox",
        "--gross",
        "5000",
        "--fees",
        "100",
        "--reference",
        "S-9",
        stdout=out,
    )
    assert "already recorded" in out.getvalue()
