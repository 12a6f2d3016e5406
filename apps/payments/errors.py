"""Payments' refusals (DomainError subclasses), re-exported by api.py. French first."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import Conflict, DomainError, NotFound
from apps.core.statemachine import InvalidTransition as StateMachineRefusal


class InvalidPayment(DomainError):
    code = "invalid_payment"
    default_message = _("This payment request is not valid.")


class CurrencyNotSupported(DomainError):
    """A payment in a currency the organization does not take money in (identity's
    Organization.currencies), or that no enabled provider route settles. Field `currency`;
    nothing is written."""

    code = "currency_not_supported"
    default_message = _("This organization does not take payments in this currency.")


class PaymentAmountAboveLimit(DomainError):
    """A payment from an outside instrument (mobile money, card, bank transfer, cash) above
    the per-payment cap of the organization's country (PAYMENT_MAX_AMOUNT). `maximum` and
    `currency` are in `params`."""

    code = "payment_amount_above_limit"
    default_message = _("This amount is above the largest payment Hokwe accepts in one go.")


class IntentNotFound(NotFound):
    code = "payment_intent_not_found"
    default_message = _("This payment does not exist.")


class InvalidTransition(StateMachineRefusal):
    """An intent's change of status that contracts.TRANSITIONS does not allow (core's
    state machine refuses it, services.intents.INTENT_STATES)."""

    code = "invalid_transition"
    default_message = _("This payment cannot change to that state.")


class IntentNotPayable(Conflict):
    code = "payment_not_payable"
    default_message = _("This payment can no longer be paid.")


class RefundExceedsPaid(Conflict):
    code = "refund_exceeds_paid"
    default_message = _("A refund cannot be larger than what was paid and not yet refunded.")


class NotRefundable(Conflict):
    code = "not_refundable"
    default_message = _("Only a paid payment can be refunded.")


class RefundDestinationUnknown(Conflict):
    """A refund the collecting provider cannot make goes to the payer's mobile money number by
    a payout: the number is unknown or is not a mobile money number."""

    code = "refund_destination_unknown"
    default_message = _("The payer's mobile money number is unknown: refund the payer another way.")


class ProviderNotAvailable(DomainError):
    code = "provider_not_available"
    status = 400
    default_message = _("This payment method is not available.")


class UnsupportedOperation(Conflict):
    code = "provider_unsupported_operation"
    default_message = _("The payment provider does not support this operation.")


class ProviderDown(DomainError):
    code = "provider_unavailable"
    status = 503
    default_message = _("The payment provider does not answer. Try again in a moment.")


class PayoutAccountInvalid(DomainError):
    code = "payout_account_invalid"
    default_message = _("This payout account is not valid.")


class PayoutAccountNotVerified(Conflict):
    code = "payout_account_not_verified"
    default_message = _("This payout account is not verified yet.")


class PayoutTooSmall(DomainError):
    code = "payout_too_small"
    default_message = _("The amount is below the minimum payout.")


# --- suspense (services/suspense.py) ------------------------------------------------------------


class SuspenseItemClosed(Conflict):
    """The item holds no money in suspense any more (applied, refunded, resolved), or a
    decision on it is already under way."""

    code = "suspense_item_closed"
    default_message = _("This money is no longer in suspense: it was already applied or refunded.")


class SuspenseAmountMismatch(Conflict):
    code = "suspense_amount_mismatch"
    default_message = _(
        "The amount in suspense is not the payment's amount: apply it only to a payment of exactly "
        "that amount, or refund it."
    )


class SuspenseCurrencyMismatch(Conflict):
    code = "suspense_currency_mismatch"
    default_message = _("The money in suspense is in another currency than the payment.")


class FourEyesRequired(DomainError):
    """Approving one's own request: another finance staff member must approve it."""

    code = "four_eyes_required"
    status = 403
    default_message = _("Another finance staff member must approve this request: not the one who made it.")


class SuspenseDecisionClosed(Conflict):
    code = "suspense_decision_closed"
    default_message = _("This request was already decided.")
