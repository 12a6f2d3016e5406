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
