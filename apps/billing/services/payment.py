"""Paying an invoice (docs/billing.md, "Paying"): the pay link (a payment intent crediting the
customer's receivable), a mobile-money push to the saved number, card, prepaid credits
bought and used, staff-recorded transfers. (Part: PDF and payment.)

- `pay_link(invoice)`: a payments intent of what the invoice still owes, paid to Hokwe's
  billing organization (`BILLING_ORGANIZATION_NAME`, a platform organization like lending's
  loan book), crediting the customer's receivable, with no fee; one per invoice and amount
  due (a link that expired is replaced by a new one).
- `collect(invoice_id, push=True)`: outside any transaction (it calls the provider):
  starts a mobile-money payment of the pay link to the customer's saved number.
- `intent_paid` / `intent_failed`: what payments' PaymentSucceeded / PaymentFailed do to the
  invoice (handlers.py). A payment is applied once per intent, whatever the replays; what a
  payment brings beyond what the invoice owes goes to the customer's prepaid credits.
- `buy_credits`: an invoice of prepaid credits (one tax-exempt line), finalized, paid by its
  link.
- `record_manual_payment`: a bank transfer or cash received at the office, recorded by staff.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import Conflict, DomainError, IdempotencyConflict
from apps.core.outbox import publish
from apps.identity import api as identity
from apps.ledger import api as ledger
from apps.ledger.contracts import Leg
from apps.payments import api as payments
from apps.payments.contracts import FeeRule, IntentStatus, PurposeRef

from ..contracts import InvoiceKind, InvoiceStatus, LineKind, LineSpec, PaymentMethodKind
from ..errors import BillingError, InvalidInvoiceState
from ..events import InvoicePaymentFailed
from ..models import Customer, DunningStep, Invoice
from . import accounts, invoices

__all__ = [
    "PURPOSE_INVOICE",
    "CollectResult",
    "billing_organization",
    "buy_credits",
    "collect",
    "intent_failed",
    "intent_paid",
    "pay_link",
    "pay_link_intent",
    "record_manual_payment",
]

log = logging.getLogger(__name__)

PURPOSE_INVOICE = "billing.Invoice"
PAYABLE = (InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE)
# A pay link stays payable this long after the invoice's due date (the dunning ladder's
# reminders carry it); an expired one is replaced by a new intent.
LINK_DAYS_AFTER_DUE = 30
# The largest number of intents one invoice and amount gets (each after the last expired).
MAX_LINKS = 50


@dataclass(frozen=True)
class CollectResult:
    """What `collect` did: `pushed` when a payment request reached the provider for the saved
    number (`attempt` its id), else `reason` says why not (the pay link is then the way)."""

    invoice: str
    pay_url: str
    pushed: bool
    attempt: str = ""
    checkout_url: str = ""  # the provider's page of the request, when it has one (the sandbox's)
    reason: str = ""


def billing_organization():
    """The organization invoice payments are made to: Hokwe's billing (a platform
    organization, created on first use; it has no member)."""
    return identity.platform_organization(
        name=settings.BILLING_ORGANIZATION_NAME,
        country=settings.BILLING_ORGANIZATION_COUNTRY,
        currencies=("XOF", "XAF"),
    )


def _invoice(invoice) -> Invoice:
    if isinstance(invoice, Invoice):
        return invoice
    query = Invoice.objects.select_related("customer")
    if isinstance(invoice, int):
        row = query.filter(pk=invoice).first()
    else:
        try:
            row = query.filter(public_id=UUID(str(invoice))).first()
        except ValueError:
            row = None
    if row is None:
        from ..errors import InvoiceNotFound

        raise InvoiceNotFound()
    return row


def _link_expiry(invoice: Invoice) -> datetime:
    floor = timezone.now() + timedelta(hours=settings.PAYMENT_INTENT_TTL_HOURS)
    if not invoice.due_on:
        return floor
    until = datetime.combine(
        invoice.due_on + timedelta(days=LINK_DAYS_AFTER_DUE),
        time(23, 59),
        tzinfo=timezone.get_current_timezone(),
    )
    return max(until, floor)


def _alive(intent) -> bool:
    return intent.status in (IntentStatus.CREATED, IntentStatus.PENDING, IntentStatus.FAILED) and (
        intent.expires_at > timezone.now()
    )


def pay_link_intent(invoice):
    """The payments intent paying what `invoice` still owes (IntentInfo): paid to Hokwe's
    billing organization, crediting the customer's receivable, no fee. Idempotent per
    invoice and amount due: the same intent until it is paid or expires, then a new one."""
    invoice = _invoice(invoice)
    invoice.refresh_from_db()
    if invoice.status not in PAYABLE or invoice.amount_due <= 0:
        raise InvalidInvoiceState(_("This invoice has nothing left to pay."))
    customer = invoice.customer
    base_key = f"billing:invoice:{invoice.public_id}:{invoice.amount_due}"
    intent = None
    for generation in range(MAX_LINKS):
        key = base_key if generation == 0 else f"{base_key}:{generation}"
        intent = payments.create_intent(
            organization=billing_organization().public_id,
            amount=invoice.amount_due,
            currency=invoice.currency,
            purpose=PurposeRef(PURPOSE_INVOICE, str(invoice.public_id)),
            description=f"Facture {invoice.number}",
            credit_account=accounts.receivable(customer),
            payer_phone=customer.payer_phone,
            payer_name=customer.legal_name[:120],
            fee_rule=FeeRule(),
            metadata={"invoice": invoice.number},
            expires_at=_link_expiry(invoice),
            idempotency_key=key,
        )
        if _alive(intent) or intent.status in (
            IntentStatus.SUCCEEDED,
            IntentStatus.PARTIALLY_REFUNDED,
            IntentStatus.REFUNDED,
        ):
            return intent
    return intent


def pay_link(invoice) -> str:
    """The public pay link of what `invoice` still owes (/pay/<token>: mobile money, card)."""
    return pay_link_intent(invoice).pay_url


def collect(invoice_id, *, push: bool = True) -> CollectResult:
    """Collect an invoice: its pay link and, when `push` and the customer pays by mobile money
    with a saved number, a payment request to that number (payments' start_payment with the
    saved provider: MTN MoMo and the sandbox reach the phone; a provider whose checkout is a
    page leaves the attempt to the pay link). Call it outside any transaction: it calls the
    provider. A refusal is not raised: the result says it, and payments' PaymentFailed
    reaches the invoice (`intent_failed`)."""
    invoice = _invoice(invoice_id)
    invoice.refresh_from_db()
    public_id = str(invoice.public_id)
    if invoice.status not in PAYABLE or invoice.amount_due <= 0:
        return CollectResult(invoice=public_id, pay_url="", pushed=False, reason="nothing_due")
    intent = pay_link_intent(invoice)
    if intent.status not in (IntentStatus.CREATED, IntentStatus.PENDING, IntentStatus.FAILED):
        return CollectResult(invoice=public_id, pay_url=intent.pay_url, pushed=False, reason="paid")
    customer = invoice.customer
    if not push:
        return CollectResult(invoice=public_id, pay_url=intent.pay_url, pushed=False, reason="not_asked")
    if customer.method != PaymentMethodKind.MOBILE_MONEY or not customer.payer_phone:
        return CollectResult(
            invoice=public_id, pay_url=intent.pay_url, pushed=False, reason="no_saved_number"
        )
    try:
        checkout = payments.start_payment(
            intent=intent.public_id, method="mobile_money", provider=customer.provider or None
        )
    except DomainError as exc:
        log.info("billing: collecting %s was refused: %s", invoice.number, exc.code)
        return CollectResult(invoice=public_id, pay_url=intent.pay_url, pushed=False, reason=exc.code)
    return CollectResult(
        invoice=public_id,
        pay_url=intent.pay_url,
        pushed=True,
        attempt=str(checkout.attempt),
        checkout_url=checkout.url,
    )


# --- payments' word ------------------------------------------------------------------------


@transaction.atomic
def intent_paid(
    *, intent_id, invoice_id: str, amount: int, fee: int = 0, method: str = "", paid_on: date | None = None
) -> Invoice | None:
    """A pay link of the invoice was paid (payments' PaymentSucceeded): the intent already
    credited the customer's receivable; this applies it to the invoice, once per intent.
    What it brings beyond what the invoice still owes (paid meanwhile, voided, credited)
    moves from the receivable to the customer's prepaid credits (once per intent too)."""
    try:
        row = (
            Invoice.objects.select_for_update()
            .select_related("customer")
            .filter(public_id=UUID(str(invoice_id)))
            .first()
        )
    except ValueError:
        row = None
    if row is None:
        log.warning("billing: payment %s names no invoice (%s)", intent_id, invoice_id)
        return None
    intent = UUID(str(intent_id))
    if row.payment_intent == intent:
        return row  # applied already (a replayed event)
    net = amount - fee
    applied = 0
    if row.status in PAYABLE and row.amount_due > 0 and net > 0:
        applied = min(net, row.amount_due)
        row = invoices.mark_paid(
            row, amount=applied, method=method or "mobile_money", intent=intent, paid_on=paid_on
        )
    excess = net - applied
    if excess > 0:
        customer = row.customer
        ledger.transfer(
            idempotency_key=f"billing.overpayment:{intent}",
            code="billing_overpayment",
            legs=[
                Leg.debit(accounts.receivable(customer), excess, row.currency),
                Leg.credit(accounts.credits(customer), excess, row.currency),
            ],
            description=f"Overpayment of {row.number} to prepaid credits",
            reference=f"billing.Invoice:{row.public_id}",
        )
    return row


@transaction.atomic
def intent_failed(*, invoice_id: str, reason: str) -> bool:
    """A payment of the invoice failed (payments' PaymentFailed): InvoicePaymentFailed is
    published for the dunning ladder, unless the invoice has nothing left to pay. `attempt`
    counts the ladder's retries already run, plus this one."""
    try:
        row = Invoice.objects.select_related("customer").filter(public_id=UUID(str(invoice_id))).first()
    except ValueError:
        row = None
    if row is None or row.status not in PAYABLE or row.amount_due <= 0:
        return False
    retries = DunningStep.objects.filter(
        invoice=row,
        kind=DunningStep.Kind.RETRY,
        status__in=[DunningStep.Status.DONE, DunningStep.Status.FAILED],
    ).count()
    publish(
        InvoicePaymentFailed(
            invoice=str(row.public_id),
            number=row.number,
            organization=str(identity.get_organization(id=row.customer.organization_id).public_id),
            attempt=retries + 1,
            reason=(reason or "failed")[:100],
        )
    )
    return True


# --- prepaid credits -----------------------------------------------------------------------


def buy_credits(*, actor, customer: Customer, amount: int, idempotency_key: str) -> Invoice:
    """Prepaid credits of `amount` (minor units): an invoice of kind CREDITS with one
    tax-exempt line (credits are taxed when they pay an invoice, not when bought), finalized,
    its pay link made. Once per key: the same key returns the same invoice, another amount
    under the same key is refused."""
    identity.require(actor, "billing.credits.buy", customer, hide=True)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise BillingError(_("The amount of credits must be a whole number above zero."), field="amount")
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise BillingError(_("An idempotency key is required."), field="idempotency_key")
    origin = f"credits:{customer.public_id}:{key}"
    existing = Invoice.objects.filter(origin_key=origin).first()
    if existing is not None and existing.total != amount:
        raise IdempotencyConflict(field="Idempotency-Key")
    invoice = existing or invoices.draft(
        customer=customer,
        kind=InvoiceKind.CREDITS,
        origin_key=origin,
        lines=[
            LineSpec(
                kind=LineKind.CREDITS,
                description=_("Prepaid credits"),
                amount=amount,
                tax_exempt=True,
            )
        ],
    )
    invoice = invoices.finalize(invoice)
    if invoice.status in PAYABLE and invoice.amount_due > 0:
        pay_link_intent(invoice)
    return invoice


# --- staff ---------------------------------------------------------------------------------


def record_manual_payment(
    *, actor, invoice, amount: int, expected_paid: int | None = None, paid_on: date | None = None
) -> Invoice:
    """A bank transfer or cash received by Hokwe, recorded by finance staff: posted to the
    bank clearing account against the receivable (invoices.mark_paid, method "manual").
    `expected_paid` is what the invoice had been paid when the form was opened: a form sent
    twice is refused the second time instead of recording the payment twice."""
    identity.require(actor, "billing.invoice.manage", hide=True)
    invoice = _invoice(invoice)
    with transaction.atomic():
        row = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if expected_paid is not None and row.amount_paid != expected_paid:
            raise Conflict(_("This invoice was paid meanwhile: reload it before recording a payment."))
        return invoices.mark_paid(row, amount=amount, method="manual", paid_on=paid_on)
