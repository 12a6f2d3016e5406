"""Billing's refusals (problem details on REST, typed errors on GraphQL, translated). Each
part appends its own."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


class BillingError(DomainError):
    code = "billing_error"
    default_message = _("The operation was refused.")


class InvoiceNotFound(DomainError):
    code = "billing_invoice_not_found"
    status = 404
    default_message = _("This invoice does not exist or is not yours.")


class InvoiceNotEditable(DomainError):
    code = "billing_invoice_finalized"
    status = 409
    default_message = _("A finalized invoice cannot be edited: issue a credit note instead.")


class InvalidInvoiceState(DomainError):
    code = "billing_invalid_invoice_state"
    status = 409
    default_message = _("This invoice cannot do that in its current state.")


class CreditTooLarge(DomainError):
    code = "billing_credit_too_large"
    status = 400
    default_message = _(
        "A credit note cannot credit more than the invoice's total less what was already credited."
    )


class NoSubscription(DomainError):
    code = "billing_no_subscription"
    status = 404
    default_message = _("This organization has no subscription.")


class CurrencyNotOffered(DomainError):
    code = "billing_currency_not_offered"
    status = 400
    default_message = _("This plan is not priced in a currency the organization uses.")


# --- surfaces ---
class OrganizationRequired(DomainError):
    code = "billing_organization_required"
    status = 400
    default_message = _("Name the organization: you handle the billing of several.")


class InvalidPaymentMethod(DomainError):
    code = "billing_invalid_payment_method"
    status = 400
    default_message = _("This payment method cannot be saved.")


# --- subscriptions ---
class SubscriptionExists(DomainError):
    code = "billing_subscription_exists"
    status = 409
    default_message = _("This organization already has a subscription: change its plan instead.")


class SubscriptionNotChangeable(DomainError):
    code = "billing_subscription_not_changeable"
    status = 409
    default_message = _("This subscription cannot do that in its current state.")


class CouponInvalid(DomainError):
    code = "billing_coupon_invalid"
    status = 400
    default_message = _("This coupon code is not valid.")
