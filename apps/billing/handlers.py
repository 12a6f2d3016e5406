"""Reactions to other modules' events (`@on(Event)`), thin: they call services."""

# --- metering ---
from django.conf import settings
from django.utils import timezone

from apps.core.events import event_type, on
from apps.notifications import events as _notifications_events  # noqa: F401 -- registers MessageSent

from .services import metering


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
from apps.core.events import on as _payment_on  # noqa: E402
from apps.payments.events import PaymentFailed as _PaymentFailed  # noqa: E402
from apps.payments.events import PaymentSucceeded as _PaymentSucceeded  # noqa: E402

from .events import InvoiceFinalized as _InvoiceFinalized  # noqa: E402


@_payment_on(_PaymentSucceeded)
def apply_invoice_payment(event: _PaymentSucceeded, *, event_id: str) -> None:
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


@_payment_on(_PaymentFailed)
def invoice_payment_failed(event: _PaymentFailed, *, event_id: str) -> None:
    from .services.payment import PURPOSE_INVOICE, intent_failed

    if event.purpose_type != PURPOSE_INVOICE:
        return
    intent_failed(invoice_id=event.purpose_id, reason=event.reason)


@_payment_on(_InvoiceFinalized)
def store_invoice_pdf(event: _InvoiceFinalized, *, event_id: str) -> None:
    """The finalized invoice's PDF, rendered once with its pay link and kept on the invoice."""
    from .documents import stored_invoice_pdf
    from .models import Invoice

    invoice = Invoice.objects.filter(public_id=event.invoice).first()
    if invoice is not None and not invoice.pdf:
        stored_invoice_pdf(invoice)


# --- catalog: an organization's cached entitlements are dropped when its subscription, its
# restriction or its restoration changes what it may do ---
from apps.core.events import on as _on  # noqa: E402
from apps.identity import api as _identity  # noqa: E402

from .events import AccountRestored, AccountRestricted, SubscriptionChanged  # noqa: E402
from .services import entitlements as _entitlements  # noqa: E402


@_on(SubscriptionChanged)
@_on(AccountRestricted)
@_on(AccountRestored)
def entitlements_drop(event, *, event_id: str) -> None:
    for org_id in _identity.organization_ids([event.organization]).values():
        _entitlements.drop(org_id)


# --- dunning: the invoice notice, a failed payment's notice, and a paid invoice ends its ladder ---
from datetime import date as _dunning_date  # noqa: E402

from apps.core.events import on as _dunning_on  # noqa: E402

from .events import InvoiceFinalized, InvoicePaid, InvoicePaymentFailed  # noqa: E402


@_dunning_on(InvoiceFinalized)
def send_invoice_notice(event: InvoiceFinalized, *, event_id: str) -> None:
    from .services.dunning import invoice_notice

    invoice_notice(invoice=event.invoice)


@_dunning_on(InvoicePaymentFailed)
def send_payment_failed_notice(event: InvoicePaymentFailed, *, event_id: str) -> None:
    from .services.dunning import payment_failed_notice

    payment_failed_notice(invoice=event.invoice, attempt=event.attempt)


@_dunning_on(InvoicePaid)
def end_dunning_when_paid(event: InvoicePaid, *, event_id: str) -> None:
    """Skip the invoice's remaining steps; restore the subscription when nothing else is overdue."""
    from .services.dunning import invoice_paid

    invoice_paid(invoice=event.invoice, paid_on=_dunning_date.fromisoformat(event.paid_on))
