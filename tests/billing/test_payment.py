"""Paying an invoice: the pay link paid with the sandbox provider (pushed to the saved
number), once per intent whatever the replays, the excess to prepaid credits, credits bought
then used, a failed payment's event, and the staff-recorded transfer."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from apps.billing.contracts import InvoiceKind, InvoiceStatus, LineKind, LineSpec
from apps.billing.handlers import apply_invoice_payment
from apps.billing.models import Invoice
from apps.billing.services import accounts, payment
from apps.billing.services import invoices as core
from apps.core.errors import Conflict, IdempotencyConflict, NotFound
from apps.core.models import OutboxEvent
from apps.ledger import api as ledger
from apps.payments import api as payments
from apps.payments.events import PaymentSucceeded
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


@pytest.fixture
def customer(billing_customer):
    billing_customer.payer_phone = "+2290197000011"
    billing_customer.provider = "sandbox"
    billing_customer.method = "mobile_money"
    billing_customer.save()
    return billing_customer


def _invoice(customer, key="pay-1", amount=10_000):
    invoice = core.draft(
        customer=customer,
        kind=InvoiceKind.ONE_OFF,
        origin_key=key,
        lines=[LineSpec(kind=LineKind.RECURRING, description="Abonnement", amount=amount)],
    )
    return core.finalize(invoice, today=TODAY)


def _receivable(customer) -> int:
    customer.refresh_from_db()
    return ledger.balance(account=customer.receivable_account).posted


def _credits(customer) -> int:
    customer.refresh_from_db()
    return accounts.credits_balance(customer)


def _sandbox(client, checkout_url: str, decision: str = "approve"):
    reference = checkout_url.rstrip("/").split("/")[-1]
    client.post(reverse("payments:sandbox", args=[reference]), {"decision": decision})
    return reference


def _succeeded_event(intent_id) -> PaymentSucceeded:
    row = OutboxEvent.objects.filter(name="payments.PaymentSucceeded").order_by("-id")
    payload = next(e.payload for e in row if e.payload["intent_id"] == str(intent_id))
    return PaymentSucceeded(**payload)


def test_a_pushed_payment_pays_the_invoice_and_clears_the_receivable(
    customer, client, django_capture_on_commit_callbacks
):
    invoice = _invoice(customer)
    assert invoice.amount_due == 11_800 and _receivable(customer) == 11_800
    result = payment.collect(invoice.pk)
    assert result.pushed and result.checkout_url and "/pay/" in result.pay_url
    intent = payments.get_intent(payment.pay_link_intent(invoice).public_id)
    assert intent.fee_amount == 0 and intent.amount == 11_800 and intent.payer_phone == customer.payer_phone
    assert intent.organization == payment.billing_organization().public_id
    assert intent.credit_account == customer.receivable_account
    with django_capture_on_commit_callbacks(execute=True):
        _sandbox(client, result.checkout_url)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.amount_due == 0
    assert invoice.amount_paid == 11_800 and invoice.payment_intent == intent.public_id
    assert invoice.paid_with == "mobile_money"
    assert _receivable(customer) == 0
    assert (
        OutboxEvent.objects.filter(
            name="billing.InvoicePaid", payload__invoice=str(invoice.public_id)
        ).count()
        == 1
    )


def test_the_pay_link_is_one_per_invoice_and_amount_due(customer, finance_staff):
    invoice = _invoice(customer)
    first = payment.pay_link(invoice)
    assert payment.pay_link(invoice) == first
    payment.record_manual_payment(actor=finance_staff, invoice=invoice, amount=1_800, expected_paid=0)
    second = payment.pay_link_intent(invoice)
    assert second.pay_url != first and second.amount == 10_000


def test_a_replayed_webhook_and_event_pay_once(customer, client, django_capture_on_commit_callbacks):
    from apps.payments import services as payment_services
    from apps.payments.models import SandboxTransaction
    from apps.payments.providers import sandbox

    invoice = _invoice(customer)
    result = payment.collect(invoice.pk)
    intent = payment.pay_link_intent(invoice)
    with django_capture_on_commit_callbacks(execute=True):
        reference = _sandbox(client, result.checkout_url)
    # the provider sends its webhook again: payments ignores it
    body = sandbox.SandboxProvider().webhook_body(SandboxTransaction.objects.get(reference=reference))
    with django_capture_on_commit_callbacks(execute=True):
        payment_services.webhook_receive(
            provider="sandbox", headers={"X-Sandbox-Secret": sandbox.webhook_secret()}, body=body
        )
    # the outbox delivers the event again (at least once): applied once
    event = _succeeded_event(intent.public_id)
    apply_invoice_payment(event, event_id="replay-1")
    apply_invoice_payment(event, event_id="replay-2")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.amount_paid == 11_800
    assert _receivable(customer) == 0
    assert _credits(customer) == 0


def test_a_link_paid_after_the_invoice_was_paid_goes_to_credits_once(
    customer, client, finance_staff, django_capture_on_commit_callbacks
):
    invoice = _invoice(customer)
    result = payment.collect(invoice.pk)
    intent = payment.pay_link_intent(invoice)
    payment.record_manual_payment(actor=finance_staff, invoice=invoice, amount=11_800)
    with django_capture_on_commit_callbacks(execute=True):
        _sandbox(client, result.checkout_url)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.amount_paid == 11_800
    assert _credits(customer) == 11_800 and _receivable(customer) == 0
    event = _succeeded_event(intent.public_id)
    apply_invoice_payment(event, event_id="again")
    assert _credits(customer) == 11_800 and _receivable(customer) == 0


def test_credits_bought_by_link_then_pay_the_next_invoice(
    customer, manager_a, client, django_capture_on_commit_callbacks
):
    bought = payment.buy_credits(actor=manager_a, customer=customer, amount=50_000, idempotency_key="c-1")
    assert bought.kind == InvoiceKind.CREDITS and bought.tax == 0 and bought.total == 50_000
    assert bought.status == InvoiceStatus.OPEN and bought.number.startswith("FA-BJ-")
    assert (
        payment.buy_credits(actor=manager_a, customer=customer, amount=50_000, idempotency_key="c-1")
        == bought
    )
    with pytest.raises(IdempotencyConflict):
        payment.buy_credits(actor=manager_a, customer=customer, amount=60_000, idempotency_key="c-1")
    # bought but not paid yet: they pay nothing
    unpaid = _invoice(customer, key="before-paying")
    unpaid.refresh_from_db()
    assert unpaid.status == InvoiceStatus.OPEN and unpaid.credits_applied == 0
    core.void(unpaid)
    result = payment.collect(bought.pk)
    with django_capture_on_commit_callbacks(execute=True):
        _sandbox(client, result.checkout_url)
    bought.refresh_from_db()
    assert bought.status == InvoiceStatus.PAID
    assert _credits(customer) == 50_000 and _receivable(customer) == 0
    invoice = _invoice(customer, key="after-credits")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.credits_applied == 11_800
    assert _credits(customer) == 50_000 - 11_800 and _receivable(customer) == 0


def test_only_the_customers_managers_buy_its_credits(customer, manager_b):
    with pytest.raises(NotFound):
        payment.buy_credits(actor=manager_b, customer=customer, amount=5_000, idempotency_key="x")
    assert not Invoice.objects.filter(kind=InvoiceKind.CREDITS).exists()


def test_a_failed_payment_publishes_invoice_payment_failed(
    customer, client, django_capture_on_commit_callbacks
):
    invoice = _invoice(customer)
    result = payment.collect(invoice.pk)
    with django_capture_on_commit_callbacks(execute=True):
        _sandbox(client, result.checkout_url, decision="decline")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN and invoice.amount_due == 11_800
    failed = OutboxEvent.objects.filter(name="billing.InvoicePaymentFailed")
    assert [e.payload["invoice"] for e in failed] == [str(invoice.public_id)]
    assert failed[0].payload["attempt"] == 1 and failed[0].payload["number"] == invoice.number
    # the same link is pushed again (the dunning ladder's retry)
    again = payment.collect(invoice.pk)
    assert again.pushed and again.pay_url == result.pay_url


def test_collect_without_a_saved_number_gives_the_link_only(billing_customer):
    invoice = _invoice(billing_customer)
    result = payment.collect(str(invoice.public_id))
    assert not result.pushed and result.reason == "no_saved_number" and "/pay/" in result.pay_url
    core.mark_paid(invoice, amount=invoice.amount_due, method="manual")
    assert payment.collect(invoice.pk).reason == "nothing_due"


def test_staff_record_a_bank_transfer_once(customer, finance_staff):
    invoice = _invoice(customer)
    with pytest.raises(NotFound):
        payment.record_manual_payment(actor=UserFactory(), invoice=invoice, amount=11_800)
    payment.record_manual_payment(actor=finance_staff, invoice=invoice, amount=11_800, expected_paid=0)
    with pytest.raises(Conflict):  # the form sent twice
        payment.record_manual_payment(actor=finance_staff, invoice=invoice, amount=11_800, expected_paid=0)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.paid_with == "manual"
    assert _receivable(customer) == 0


@pytest.fixture
def finance_staff(db):
    return UserFactory(is_staff=True, staff_role="finance")
