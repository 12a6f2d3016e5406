"""The customer's own settings from the billing page (docs/billing.md, "The billing page"):
how it pays — the mobile-money number and provider the renewals and the dunning ladder push
to, or a card (the pay link), and whether prepaid credits pay first. (Part: surfaces.)"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from apps.identity import api as identity

from ..contracts import PaymentMethodKind
from ..errors import InvalidPaymentMethod
from ..models import Customer
from .invoices import customer_for

CHOSEN_METHODS = (PaymentMethodKind.MOBILE_MONEY, PaymentMethodKind.CARD)


def providers() -> list[str]:
    """The mobile-money providers a number may be saved for (payments' PAYMENT_PROVIDERS)."""
    return list(getattr(settings, "PAYMENT_PROVIDERS", ()) or ())


@transaction.atomic
def payment_method_set(
    *,
    actor,
    organization_id: int,
    method: str,
    payer_phone: str = "",
    provider: str = "",
    use_credits_first: bool | None = None,
) -> Customer:
    """Save how the organization pays its invoices (its owners and managers). Mobile money
    needs a valid number and one of the providers; a card keeps no number (each invoice is
    paid through its pay link)."""
    identity.require(actor, "billing.account.manage", organization_id, hide=True)
    if method not in CHOSEN_METHODS:
        raise InvalidPaymentMethod(_("Choose mobile money or a card."), field="method")
    customer = Customer.objects.select_for_update().get(pk=customer_for(organization_id).pk)
    if method == PaymentMethodKind.MOBILE_MONEY:
        try:
            phone = identity.normalize_phone(payer_phone, field="payer_phone")
        except identity.InvalidPhone:
            raise InvalidPaymentMethod(_("Enter a valid mobile money number."), field="payer_phone") from None
        if provider not in providers():
            raise InvalidPaymentMethod(
                _("Choose one of the mobile money providers offered."), field="provider"
            )
        customer.payer_phone, customer.provider = phone, provider
    else:
        customer.payer_phone, customer.provider = "", ""
    customer.method = method
    if use_credits_first is not None:
        customer.use_credits_first = bool(use_credits_first)
    customer.save(update_fields=["method", "payer_phone", "provider", "use_credits_first", "updated_at"])
    return customer
