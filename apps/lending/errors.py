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
