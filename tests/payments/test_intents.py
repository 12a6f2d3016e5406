"""Intents: creation rules, idempotency, the success postings and the state machine."""

import pytest

from apps.core.errors import IdempotencyConflict
from apps.ledger import api as ledger
from apps.payments import api, services
from apps.payments.contracts import IntentStatus, PurposeRef
from apps.payments.errors import IntentNotPayable, InvalidPayment, InvalidTransition
from apps.payments.models import PaymentAttempt, PaymentIntent
from apps.payments.services import ledgering

from .conftest import balance, make_intent

pytestmark = pytest.mark.django_db


def test_create_intent_through_the_public_api(org, tenant, providers):
    info = api.create_intent(
        organization=org.public_id,
        amount=75_000,
        purpose=PurposeRef("tests.Rent", "due-42"),
        description="Loyer mars 2026",
        payer=tenant.public_id,
        idempotency_key="rent-due:due-42",
    )
    assert info.status == IntentStatus.CREATED
    assert info.amount == 75_000 and info.currency == "XOF"
    assert info.payer == tenant.public_id and info.payer_name == "Brice Zinsou"
    assert info.credit_account == ledgering.owners_payable(org.public_id, "XOF")
    assert info.pay_url.startswith("/pay/")
    again = api.create_intent(
        organization=org.public_id,
        amount=75_000,
        purpose=PurposeRef("tests.Rent", "due-42"),
        description="Loyer mars 2026",
        payer=tenant.public_id,
        idempotency_key="rent-due:due-42",
    )
    assert again.public_id == info.public_id
    with pytest.raises(IdempotencyConflict):
        api.create_intent(
            organization=org.public_id,
            amount=80_000,
            purpose=PurposeRef("tests.Rent", "due-42"),
            description="Loyer mars 2026",
            idempotency_key="rent-due:due-42",
        )
    assert PaymentIntent.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": 0}, "amount"),
        ({"amount": -5}, "amount"),
        ({"amount": 10.5}, "amount"),
        ({"currency": "ZZZ"}, "currency"),
        ({"description": ""}, "description"),
        ({"purpose_type": "not a type"}, "purpose_type"),
        ({"metadata": {"x": object()}}, "metadata"),
    ],
)
def test_bad_input_is_a_field_error_and_writes_nothing(org, providers, changes, field):
    params = dict(
        organization_id=org.pk,
        amount=1000,
        currency="XOF",
        purpose_type="tests.Rent",
        description="Loyer",
    )
    params.update(changes)
    with pytest.raises(InvalidPayment) as caught:
        services.intent_create(**params)
    assert caught.value.field == field
    assert PaymentIntent.objects.count() == 0


def test_credit_account_must_exist_and_match_the_currency(org, other_org, providers):
    xaf = ledger.organization_account(organization=org.public_id, code="owners_payable", currency="XAF")
    with pytest.raises(InvalidPayment) as caught:
        make_intent(org, credit_account=xaf.public_id)
    assert caught.value.field == "credit_account"
    foreign = ledgering.owners_payable(other_org.public_id, "XOF")
    make_intent(org, credit_account=foreign)  # trusted callers may name any account
    with pytest.raises(InvalidPayment):
        make_intent(org, credit_account=foreign, credit_account_owned_by_payee=True, purpose_id="x")


def test_cash_success_posts_amount_minus_fee_and_the_fee(org, collector, providers):
    intent = make_intent(org, amount=100_000, fee_bp=150)
    assert intent.fee_amount == 1_500
    fees = ledgering.fees_revenue("XOF")
    fees_before = balance(fees)
    services.cash_record(actor=collector, intent=intent)
    intent.refresh_from_db()
    assert intent.status == IntentStatus.SUCCEEDED
    assert intent.receipt_number.startswith("R") and intent.receipt_code
    assert balance(intent.credit_account) == 98_500
    assert balance(fees) - fees_before == 1_500
    assert balance(ledgering.agent_cash(collector.public_id, "XOF")) == 100_000
    with pytest.raises(IntentNotPayable):
        services.cash_record(actor=collector, intent=intent)
    assert PaymentAttempt.objects.filter(intent=intent, status="succeeded").count() == 1


def test_invalid_transitions_are_refused(org, collector, manager, providers):
    intent = make_intent(org)
    services.cash_record(actor=collector, intent=intent)
    with pytest.raises(InvalidTransition):
        services.intent_cancel(actor=manager, intent=intent)
    other = make_intent(org, purpose_id="2")
    services.intent_cancel(actor=manager, intent=other)
    with pytest.raises(IntentNotPayable):
        services.attempt_start(intent=other, method="mobile_money")


def test_an_expired_intent_cannot_be_paid(org, collector, providers, time_machine):
    intent = make_intent(org)
    time_machine.move_to(intent.expires_at, tick=False)
    with pytest.raises(IntentNotPayable):
        services.cash_record(actor=collector, intent=intent)
    intent.refresh_from_db()
    assert intent.status == IntentStatus.EXPIRED


def test_expiry_task_closes_open_intents(org, providers, time_machine):
    open_one = make_intent(org)
    time_machine.move_to(open_one.expires_at, tick=False)
    assert services.intents_expire() == 1
    open_one.refresh_from_db()
    assert open_one.status == IntentStatus.EXPIRED


def test_receipt_numbers_are_sequential_per_organization(org, collector, providers):
    numbers = []
    for i in range(3):
        intent = make_intent(org, purpose_id=str(i))
        services.cash_record(actor=collector, intent=intent)
        intent.refresh_from_db()
        numbers.append(intent.receipt_number)
    assert [int(n.split("-")[1]) for n in numbers] == [1, 2, 3]


def test_wallet_payment_debits_the_wallet_and_records_a_failure_when_short(org, tenant, providers):
    from apps.ledger.contracts import Leg

    wallet = ledgering.wallet(tenant.public_id, "XOF")
    intent = make_intent(org, amount=5_000, payer=tenant)
    attempt = services.wallet_pay(actor=tenant, intent=intent)
    assert attempt.status == "failed" and attempt.failure_code == "insufficient_funds"
    intent.refresh_from_db()
    assert intent.status == IntentStatus.FAILED
    ledger.transfer(
        idempotency_key="topup-1",
        code="topup",
        legs=[
            Leg.debit(ledgering.clearing("sandbox", "XOF"), 8_000, "XOF"),
            Leg.credit(wallet, 8_000, "XOF"),
        ],
    )
    attempt = services.wallet_pay(actor=tenant, intent=intent)
    assert attempt.status == "succeeded"
    assert balance(wallet) == 3_000
    assert balance(intent.credit_account) == 5_000
