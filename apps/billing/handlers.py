"""Reactions to other modules' events (`@on(Event)`), thin: they call services."""

from datetime import date

from django.conf import settings
from django.utils import timezone

from apps.core.events import event_type, on
from apps.identity import api as identity
from apps.notifications import events as _notifications_events  # noqa: F401 -- registers MessageSent
from apps.payments.events import PaymentFailed, PaymentSucceeded

from .events import (
    AccountRestored,
    AccountRestricted,
    InvoiceFinalized,
    InvoicePaid,
    InvoicePaymentFailed,
    SubscriptionChanged,
)
from .services import entitlements, metering

# --- metering ---


def meter(event, *, event_id: str) -> None:
    """A metered event (settings BILLING_METERED_EVENTS): counted once into its
    organization's usage."""
    metering.record_event(event.name, event.to_payload(), event_id, timezone.now())


for _name in settings.BILLING_METERED_EVENTS:
    try:
        on(event_type(_name))(meter)
    except KeyError:  # an event type no installed module declares: nothing to meter
        pass


# --- PDF and payment: an invoice's pay link paid or failed (payments' events for the purpose
# billing.Invoice), and its PDF stored once it is finalized ---


@on(PaymentSucceeded)
def apply_invoice_payment(event: PaymentSucceeded, *, event_id: str) -> None:
    """Once per intent, whatever the replays (services/payment.py intent_paid)."""
    from .services.payment import PURPOSE_INVOICE, intent_paid

    if event.purpose_type != PURPOSE_INVOICE:
        return
    intent_paid(
        intent_id=event.intent_id,
        invoice_id=event.purpose_id,
        amount=event.amount,
        fee=event.fee_amount,
        method=event.method,
    )


@on(PaymentFailed)
def invoice_payment_failed(event: PaymentFailed, *, event_id: str) -> None:
    from .services.payment import PURPOSE_INVOICE, intent_failed

    if event.purpose_type != PURPOSE_INVOICE:
        return
    intent_failed(invoice_id=event.purpose_id, reason=event.reason)


@on(InvoiceFinalized)
def store_invoice_pdf(event: InvoiceFinalized, *, event_id: str) -> None:
    """The finalized invoice's PDF, rendered once with its pay link and kept on the invoice."""
    from .documents import stored_invoice_pdf
    from .models import Invoice

    invoice = Invoice.objects.filter(public_id=event.invoice).first()
    if invoice is not None and not invoice.pdf:
        stored_invoice_pdf(invoice)


# --- catalog: an organization's cached entitlements are dropped when its subscription, its
# restriction or its restoration changes what it may do ---


@on(SubscriptionChanged)
@on(AccountRestricted)
@on(AccountRestored)
def entitlements_drop(event, *, event_id: str) -> None:
    for org_id in identity.organization_ids([event.organization]).values():
        entitlements.drop(org_id)


# --- dunning: the invoice notice, a failed payment's notice, and a paid invoice ends its ladder ---


@on(InvoiceFinalized)
def send_invoice_notice(event: InvoiceFinalized, *, event_id: str) -> None:
    from .services.dunning import invoice_notice

    invoice_notice(invoice=event.invoice)


@on(InvoicePaymentFailed)
def send_payment_failed_notice(event: InvoicePaymentFailed, *, event_id: str) -> None:
    from .services.dunning import payment_failed_notice

    payment_failed_notice(invoice=event.invoice, attempt=event.attempt)


@on(InvoicePaid)
def end_dunning_when_paid(event: InvoicePaid, *, event_id: str) -> None:
    """Skip the invoice's remaining steps; restore the subscription when nothing else is overdue."""
    from .services.dunning import invoice_paid

    invoice_paid(invoice=event.invoice, paid_on=date.fromisoformat(event.paid_on))
