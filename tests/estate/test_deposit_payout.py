"""The deposit settlement at move-out pays the tenant back even when the provider that
collected the deposit cannot refund that part: a deposit paid by Kkiapay (which only reverts
whole transactions), settled with deductions, is refunded by a payout to the tenant's mobile
money number — the sandbox payout provider shows the tenant receiving it — and the ledger
balances (deposits held back to 0, the receivable equal to what dues still ask)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from apps.estate import services
from apps.estate.models import RentDue
from apps.estate.services.collections import due_intent
from apps.ledger import api as ledger
from apps.payments import services as payment_services
from apps.payments.models import PaymentIntent, Payout, Refund, SandboxTransaction
from apps.payments.services import ledgering as payment_ledgering
from tests.payments.conftest import sms, step_up  # noqa: F401  (the payments' step-up fixture)
from tests.payments.fakes import kkiapay as kkiapay_fake

from .test_move_in import balance, check_ledger, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def kkiapay(httpserver, settings):
    fake = kkiapay_fake.FakeKkiapay()
    fake.install(httpserver)
    settings.PAYMENT_PROVIDERS = ["kkiapay", "sandbox", "fedapay"]
    settings.PAYMENT_ROUTES = "mobile_money:*=kkiapay;card:*=kkiapay"
    settings.PAYMENT_PAYOUT_PROVIDER = "sandbox"
    settings.KKIAPAY_BASE_URL = httpserver.url_for("").rstrip("/")
    settings.KKIAPAY_PUBLIC_KEY = kkiapay_fake.PUBLIC
    settings.KKIAPAY_PRIVATE_KEY = kkiapay_fake.PRIVATE
    settings.KKIAPAY_SECRET_KEY = kkiapay_fake.SECRET
    settings.KKIAPAY_WEBHOOK_SECRET = kkiapay_fake.WEBHOOK_SECRET
    settings.PAYMENT_HTTP_TIMEOUT_SECONDS = 0.5
    from apps.payments import config

    config.clear_cache()
    yield fake
    config.clear_cache()


def test_a_deposit_paid_by_kkiapay_is_refunded_to_the_tenant_by_a_payout(
    clock,
    manager,
    unit,
    tenant,
    kkiapay,
    step_up,  # noqa: F811  (the payments' fixture imported above)
    django_capture_on_commit_callbacks,
):
    lease = signed(manager, unit, tenant, advance_months=0, agency_fee=0)
    deposit = RentDue.objects.get(lease=lease, kind="deposit")
    info = due_intent(deposit)
    intent = PaymentIntent.objects.get(public_id=info.public_id)
    attempt, _checkout = payment_services.attempt_start(intent=intent, method="mobile_money")
    reference = kkiapay.add(amount=intent.amount, partner=attempt.token)
    with django_capture_on_commit_callbacks(execute=True):
        assert payment_services.callback_confirm(intent=intent, provider="kkiapay", reference=reference) == (
            "succeeded"
        )
    lease.refresh_from_db()
    assert lease.deposit_paid == 150_000 and lease.deposit_intent == intent.public_id
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    deductions = [{"label": "Peinture du salon", "amount": 30_000, "kind": "damage"}]
    token = step_up(manager, "payments.intent.refund", intent.public_id, amount=120_000, currency="XOF")
    with django_capture_on_commit_callbacks(execute=True):
        settlement = services.deposit_settle(
            actor=manager, lease=lease, deductions=deductions, step_up_token=token
        )
    assert (settlement.held, settlement.deducted, settlement.refund) == (150_000, 30_000, 120_000)
    # not a Kkiapay revert (it cannot give a part back): a payout to the tenant's number
    assert not [path for path, _body in kkiapay.calls if path.endswith("/revert")]
    refund = Refund.objects.get(public_id=settlement.refund_reference)
    assert refund.via == "payout" and refund.status == "succeeded" and refund.amount == 120_000
    payout = Payout.objects.get(refund=refund)
    assert payout.status == "paid" and payout.payee_phone == str(tenant.phone)
    received = SandboxTransaction.objects.get(kind="payout", partner_reference=str(payout.public_id))
    assert (received.phone, received.amount, received.status) == (str(tenant.phone), 120_000, "SUCCESS")
    intent.refresh_from_db()
    assert intent.status == "partially_refunded" and intent.amount_refunded == 120_000
    # the ledger: nothing held any more, the damage to the owner, 120 000 out of the payout
    # provider's balance, the receivable equal to what the dues still ask
    lease.refresh_from_db()
    assert lease.deposit_paid == 0 and balance(lease.organization, "estate.deposits_held") == 0
    assert ledger.balance(account=payment_ledgering.clearing("sandbox", "XOF")).posted == -120_000
    assert ledger.hold_state(hold=refund.hold) == "posted"
    check_ledger(lease.organization)


def test_a_deposit_refund_with_no_tenant_number_is_refused_and_nothing_is_settled(
    clock,
    manager,
    unit,
    tenant,
    kkiapay,
    step_up,  # noqa: F811  (the payments' fixture imported above)
    django_capture_on_commit_callbacks,
):
    from apps.estate.models import DepositSettlement
    from apps.payments.errors import RefundDestinationUnknown

    lease = signed(manager, unit, tenant, advance_months=0, agency_fee=0)
    deposit = RentDue.objects.get(lease=lease, kind="deposit")
    intent = PaymentIntent.objects.get(public_id=due_intent(deposit).public_id)
    intent.payer, intent.payer_phone = None, ""  # paid by someone whose number Hokwe never had
    intent.save(update_fields=["payer", "payer_phone"])
    attempt, _checkout = payment_services.attempt_start(intent=intent, method="mobile_money")
    reference = kkiapay.add(amount=intent.amount, partner=attempt.token)
    with django_capture_on_commit_callbacks(execute=True):
        payment_services.callback_confirm(intent=intent, provider="kkiapay", reference=reference)
    services.lease_end(actor=manager, lease=lease, end_date=date(2026, 3, 31))
    token = step_up(manager, "payments.intent.refund", intent.public_id, amount=140_000, currency="XOF")
    with pytest.raises(RefundDestinationUnknown), transaction.atomic():  # as the views wrap it
        services.deposit_settle(
            actor=manager,
            lease=lease,
            deductions=[{"label": "Clés", "amount": 10_000, "kind": "other"}],
            step_up_token=token,
        )
    lease.refresh_from_db()
    assert not DepositSettlement.objects.exists() and lease.deposit_paid == 150_000
