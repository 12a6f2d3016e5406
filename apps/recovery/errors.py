"""Recovery's refusals: DomainErrors with a stable code and a translated message."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import Conflict, DomainError, NotFound
from apps.core.statemachine import InvalidTransition


class InvalidInput(DomainError):
    code = "invalid"
    default_message = _("This value is not valid.")


class PromiseInPast(DomainError):
    code = "promise_in_past"
    default_message = _("A promise must be dated today or later.")


class PromiseAmountInvalid(DomainError):
    code = "promise_amount_invalid"
    default_message = _("The promised amount must be positive and at most what is owed.")


class PlanDoesNotSumToDebt(DomainError):
    code = "plan_sum_mismatch"
    default_message = _("The installments must add up exactly to the debt.")


class PlanDatesInvalid(DomainError):
    code = "plan_dates_invalid"
    default_message = _("Installment dates must be in the future and in increasing order.")


class CaseClosedError(Conflict):
    code = "case_closed"
    default_message = _("This case is closed.")


class InvalidState(InvalidTransition):
    code = "invalid_state"
    default_message = _("This cannot be done in the current state.")


class NotAssigned(DomainError):
    code = "not_assigned"
    status = 404
    default_message = _("Not found.")


class HandoverMismatch(DomainError):
    code = "handover_over_collected"
    default_message = _("More cash declared than the collector holds: count again.")


class LadderInvalid(DomainError):
    code = "ladder_invalid"
    default_message = _("This dunning ladder is not valid.")


class LeaseOnly(DomainError):
    """An action that only exists for a rent debt (it reads or writes the lease) asked on a
    loan case."""

    code = "recovery_lease_only"
    status = 409
    default_message = _(
        "This is a loan debt, not rent: this action only exists for a lease. The loan is paid, "
        "restructured or written off in lending."
    )


class LoanCaseNotFound(DomainError):
    code = "recovery_loan_case_not_found"
    status = 404
    default_message = _("No open recovery case for this loan.")


class NoOpenCase(NotFound):
    """The signed-in tenant has no open rent debt case (another tenant's case is never found)."""

    code = "recovery_no_open_case"
    status = 404
    default_message = _("You have no open debt case.")


class NoProposedPlan(NotFound):
    code = "recovery_no_proposed_plan"
    status = 404
    default_message = _("No payment plan is waiting for your acceptance.")
