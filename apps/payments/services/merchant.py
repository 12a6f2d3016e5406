"""The merchant cash sale: an agent (collector, manager, owner) takes cash on the spot
for something sold at the point of sale (`/merchant/`, the collector app's
`POST merchant/cash`, GraphQL `paymentsRecordCashPayment`). One service, one idempotency
handling, whichever transport calls it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.identity import api as identity

from .. import selectors
from ..contracts import PAID_STATUSES
from ..errors import CurrencyNotSupported, InvalidPayment
from ..models import PaymentIntent
from .intents import cash_record, intent_create

PURPOSE = "payments.MerchantSale"


def currency_for(organization, currency: str | None) -> str:
    """The currency of a payment to `organization` asked by a transport: the one given, if it
    is one of the organization's currencies, else (none given) the organization's own. Never
    a hard-coded default."""
    currency = (currency or "").strip().upper()
    if currency:
        if currency not in selectors.organization_currencies(organization):
            raise CurrencyNotSupported(
                _("This organization does not take payments in %(currency)s.") % {"currency": currency},
                field="currency",
                currency=currency,
                currencies=sorted(selectors.organization_currencies(organization)),
            )
        return currency
    own = selectors.organization_currency(organization)
    if own is None:
        raise InvalidPayment(_("Give the currency of the payment."), field="currency")
    return own


def merchant_cash_sale(
    *,
    actor,
    organization_id: int,
    amount: int,
    currency: str | None,
    description: str,
    payer_name: str = "",
    payer_phone: str = "",
    idempotency_key: str = "",
) -> PaymentIntent:
    """Record a cash sale: an intent for `organization_id`, paid at once in cash by the
    agent (numbered receipt, the money on the agent's cash account).

    `idempotency_key` (the REST Idempotency-Key, GraphQL's idempotencyKey, the page's form
    key) makes a retry count once: the same key and the same sale returns the first sale
    (already paid), the same key with another sale is refused (IdempotencyConflict, 409).
    Keys are the agent's own (scoped to the actor)."""
    organization = identity.get_organization(id=organization_id)
    if not identity.can(actor, "payments.merchant.collect", organization.id):
        raise NotFound(field="organization")
    currency = currency_for(organization, currency)
    key = f"merchant-cash:{actor.pk}:{idempotency_key}" if idempotency_key else ""
    with transaction.atomic():
        intent = intent_create(
            organization_id=organization.id,
            amount=amount,
            currency=currency,
            purpose_type=PURPOSE,
            description=description,
            payer_name=payer_name or "",
            payer_phone=payer_phone or "",
            created_by=actor,
            idempotency_key=key,
        )
        if intent.status in PAID_STATUSES:  # a replay: the first request paid it
            return intent
        return cash_record(actor=actor, intent=intent)
