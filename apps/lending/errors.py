"""Lending's refusals (problem details on REST, typed errors on GraphQL, translated). Each
part appends its own."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


class LoanNotFound(DomainError):
    code = "lending_loan_not_found"
    status = 404
    default_message = _("This loan does not exist or is not yours.")


class InvalidLoanState(DomainError):
    code = "lending_invalid_state"
    status = 409
    default_message = _("This loan cannot do that in its current state.")


# --- the borrower's surfaces ---


class LoanProductNotFound(DomainError):
    code = "lending_product_not_found"
    status = 404
    default_message = _("This loan product does not exist or is not offered to you.")


# --- emergency fund, guarantors and pledged savings ---


class FundNotFound(DomainError):
    code = "lending_fund_not_found"
    status = 404
    default_message = _("You have no emergency fund in this currency yet.")


class FundClosed(DomainError):
    code = "lending_fund_closed"
    status = 409
    default_message = _("This emergency fund is closed.")


class FundAmountInvalid(DomainError):
    code = "lending_fund_amount_invalid"
    status = 400
    default_message = _("Enter an amount above zero.")


class FundNotEnough(DomainError):
    code = "lending_fund_not_enough"
    status = 409
    default_message = _(
        "Your emergency fund does not have that much available (pledged savings and withdrawals under notice are set aside)."
    )


class FundRuleInvalid(DomainError):
    code = "lending_fund_rule_invalid"
    status = 400
    default_message = _("A notice period is between 1 and 90 days.")


class NoticeNotFound(DomainError):
    code = "lending_notice_not_found"
    status = 404
    default_message = _("This withdrawal notice does not exist or is no longer waiting.")


class GuarantorNotFound(DomainError):
    code = "lending_guarantor_not_found"
    status = 404
    default_message = _("This guarantee request does not exist or is not addressed to you.")


class GuarantorInvalid(DomainError):
    code = "lending_guarantor_invalid"
    status = 400
    default_message = _("You cannot be your own guarantor.")


class GuarantorAlreadyAnswered(DomainError):
    code = "lending_guarantor_answered"
    status = 409
    default_message = _("This guarantee request was already answered.")


class GuarantorsMissing(DomainError):
    code = "lending_guarantors_missing"
    status = 409
    default_message = _("This loan needs a guarantor who has accepted before it can be paid out.")


class PledgeNotCovered(DomainError):
    code = "lending_pledge_not_covered"
    status = 409
    default_message = _("Your emergency fund does not cover the savings this loan asks you to pledge.")


# --- the lifecycle: application, decision, acceptance, disbursement ---


class OpenLoanExists(DomainError):
    code = "lending_open_loan_exists"
    status = 409
    default_message = _(
        "You already have an application or a loan under way for this product: finish it or withdraw it first."
    )


class AmountOutOfRange(DomainError):
    code = "lending_amount_out_of_range"
    status = 400
    default_message = _("The amount is outside what this product lends.")


class TermOutOfRange(DomainError):
    code = "lending_term_out_of_range"
    status = 400
    default_message = _("The number of instalments is outside what this product allows.")


class NoRentDueToPay(DomainError):
    code = "lending_no_rent_due"
    status = 409
    default_message = _("There is no open rent due of yours for this advance to pay.")


class RentDueNotCovered(DomainError):
    code = "lending_rent_due_not_covered"
    status = 400
    default_message = _("The amount, less the upfront fee, does not cover the rent due: ask for more.")


class OfferExpired(DomainError):
    code = "lending_offer_expired"
    status = 409
    default_message = _("This offer has expired: apply again.")


class GuarantorsPending(DomainError):
    code = "lending_guarantors_pending"
    status = 409
    default_message = _("The loan waits for its guarantors and pledged savings before it is paid out.")


# --- repayments ---


class RepaymentAmountInvalid(DomainError):
    code = "lending_repayment_amount_invalid"
    status = 400
    default_message = _("Enter an amount above zero.")


class NothingToRepay(DomainError):
    code = "lending_nothing_to_repay"
    status = 409
    default_message = _("Nothing is owed on this loan now.")


class AmountAboveOwed(DomainError):
    code = "lending_amount_above_owed"
    status = 409
    default_message = _("This payment is more than what the loan owes: pay at most what is owed.")
