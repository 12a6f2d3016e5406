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


# --- catalog ---
class InvalidTiers(DomainError):
    code = "billing_invalid_tiers"
    status = 400
    default_message = _(
        "Tiers are a list of {up_to, unit_amount, flat_amount}: up_to increasing, the last one "
        "open (null), amounts whole and not negative."
    )


class VersionLocked(DomainError):
    code = "billing_version_locked"
    status = 409
    default_message = _(
        "This plan version is in use: its prices, entitlements, currency and interval cannot "
        "change. Make a new version."
    )


class VersionNotPublished(DomainError):
    code = "billing_version_not_published"
    status = 409
    default_message = _("This plan version is not offered (a draft or retired version).")


class UnknownQuantitySource(DomainError):
    code = "billing_unknown_quantity_source"
    status = 400
    default_message = _("No module provides this quantity (e.g. estate.units).")


class FeatureNotInPlan(DomainError):
    code = "billing_feature_not_in_plan"
    status = 403
    default_message = _("Your plan does not include this feature: change plan or add an add-on.")


class LimitReached(DomainError):
    code = "billing_limit_reached"
    status = 403
    default_message = _("Your plan's limit is reached: change plan to add more.")


class AccountRestricted(DomainError):
    code = "billing_account_restricted"
    status = 403
    default_message = _(
        "Your Hokwe subscription has an unpaid invoice: this feature is suspended until it is "
        "paid. Rent collection, your data and exports keep working."
    )
