"""Estate's refusals: DomainErrors with a stable code and a translated message (French
first). REST renders them as problem details, GraphQL as typed errors, pages as form errors."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import Conflict, DomainError


class InvalidInput(DomainError):
    code = "invalid"
    default_message = _("This value is not valid.")


class CurrencyNotSupported(DomainError):
    """A unit or a lease in a currency the organization does not take money in (identity's
    Organization.currencies). Same code as payments' refusal; field `currency`."""

    code = "currency_not_supported"
    default_message = _("This organization does not take money in this currency.")


class PartBelowFloor(InvalidInput):
    """A part payment under the lease's floor (the pay link, the tenant app)."""

    code = "part_below_floor"


class AmountAboveBalance(InvalidInput):
    """More than the lease owes, for a part payment (pay ahead for more)."""

    code = "amount_above_balance"


class LeaseOverlap(Conflict):
    code = "lease_overlap"
    default_message = _("This unit already has an active lease over these dates.")


class DatesOutOfOrder(DomainError):
    code = "end_before_start"
    default_message = _("The end date must be on or after the start date.")


class NegativeAmount(DomainError):
    code = "negative_amount"
    default_message = _("The amount must be positive.")


class DepositOverCap(DomainError):
    code = "deposit_over_legal_cap"
    default_message = _("The deposit is over the legal cap.")


class CommissionOverCap(DomainError):
    code = "commission_over_legal_cap"
    default_message = _("The agency commission is over the legal cap.")


class NothingDue(DomainError):
    code = "nothing_due"
    default_message = _("Nothing is due on this rent.")


class InvalidState(Conflict):
    code = "invalid_state"
    default_message = _("This cannot be done in the current state.")


class ImportRefused(DomainError):
    code = "import_refused"
    default_message = _("The file has errors: nothing was imported.")


class StatementRefused(DomainError):
    """A statement file with errors (line-numbered, in `params["errors"]`): nothing imported."""

    code = "statement_refused"
    default_message = _("The statement has errors: nothing was imported.")
