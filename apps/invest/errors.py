"""Invest's refusals: DomainError subclasses with a code and a translated message (problem
details on REST, typed errors on GraphQL)."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError, NotFound


class InvestError(DomainError):
    code = "invest_error"
    default_message = _("The operation was refused.")


class ProductNotFound(NotFound):
    code = "invest_product_not_found"
    status = 404
    default_message = _("This investment product does not exist or is not offered.")


class OrderNotFound(NotFound):
    code = "invest_order_not_found"
    status = 404
    default_message = _("This order does not exist or is not yours.")


class PlanNotFound(NotFound):
    code = "invest_plan_not_found"
    status = 404
    default_message = _("This investment plan does not exist or is not yours.")


class TierTooLow(DomainError):
    code = "invest_kyc_tier_too_low"
    status = 403
    default_message = _("Investing needs a verified identity (level 2). Complete your verification first.")


class ProfileRequired(DomainError):
    code = "invest_profile_required"
    status = 409
    default_message = _("Answer the investor questionnaire before your first order.")


class InvalidAnswers(DomainError):
    code = "invest_invalid_answers"
    status = 400
    default_message = _("Some answers are missing or unknown.")


class RiskAcknowledgementRequired(DomainError):
    code = "invest_risk_acknowledgement_required"
    status = 409
    default_message = _(
        "This product is riskier than your investor profile. Read its risk and confirm that you understand it."
    )


class ProductClosed(DomainError):
    code = "invest_product_closed"
    status = 409
    default_message = _("This product takes no new orders.")


class InvalidOrder(DomainError):
    code = "invest_invalid_order"
    status = 400
    default_message = _("This order is not valid for this product.")


class AmountTooSmall(DomainError):
    code = "invest_amount_too_small"
    status = 400
    default_message = _("The amount is below this product's minimum.")


class NotEnoughUnits(DomainError):
    code = "invest_not_enough_units"
    status = 409
    default_message = _("You do not hold that many units of this product.")


class OrderNotCancellable(DomainError):
    code = "invest_order_not_cancellable"
    status = 409
    default_message = _("This order can no longer be cancelled.")


class InvalidPlan(DomainError):
    code = "invest_invalid_plan"
    status = 400
    default_message = _(
        "A monthly plan invests at least the product's minimum in a fund, on a day from 1 to 28."
    )


# --- the transports' own refusals ---


class ProfileNotFound(NotFound):
    code = "invest_profile_not_found"
    default_message = _("You have not answered the investor questionnaire yet.")


class CallbackRefused(DomainError):
    """A partner callback whose signature does not verify (401, nothing changes)."""

    code = "invest_callback_refused"
    status = 401
    default_message = _("The callback could not be verified.")


class PartnerUnreachable(DomainError):
    code = "invest_partner_unavailable"
    status = 503
    default_message = _("The investment partner could not be reached; retry later.")


class PartnerNotFound(NotFound):
    code = "invest_partner_not_found"
    default_message = _("This investment partner does not exist.")


class InvalidDecimal(DomainError):
    code = "invalid_decimal"
    default_message = _('Send a decimal number as a string, with a dot and at most 4 decimals ("12.5").')


# --- statements and the fiscal summary ---


class StatementPeriodInvalid(DomainError):
    code = "invest_statement_period_invalid"
    status = 400
    default_message = _("This is not a valid period: a month is written YYYY-MM and a year YYYY.")


class StatementPeriodInFuture(DomainError):
    code = "invest_statement_period_in_future"
    status = 400
    default_message = _("This period has not started yet.")
