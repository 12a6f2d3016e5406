"""The ledger's refusals (re-exported by api.py). Messages are translated, French first."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import Conflict, DomainError, NotFound


class InvalidTransfer(DomainError):
    code = "invalid_transfer"
    status = 400
    default_message = _("This transfer is not valid.")


class UnbalancedTransfer(InvalidTransfer):
    code = "unbalanced_transfer"
    default_message = _("The debits and credits of a transfer must be equal in each currency.")


class CurrencyMismatch(InvalidTransfer):
    code = "currency_mismatch"
    default_message = _("The currency of a posting must be the currency of its account.")


class AccountNotFound(NotFound):
    code = "account_not_found"
    default_message = _("This ledger account does not exist.")


class TransferNotFound(NotFound):
    code = "transfer_not_found"
    default_message = _("This transfer does not exist.")


class AccountClosed(Conflict):
    code = "account_closed"
    default_message = _("This account is closed and accepts no new postings.")


class InsufficientFunds(Conflict):
    code = "insufficient_funds"
    default_message = _("The balance of the account is insufficient for this transfer.")


class LimitExceeded(Conflict):
    code = "account_limit_exceeded"
    default_message = _("This transfer would take the account past its limit.")


class HoldAlreadyResolved(Conflict):
    code = "hold_already_resolved"
    default_message = _("This hold has already been posted or voided.")


class HoldExpired(Conflict):
    code = "hold_expired"
    default_message = _("This hold has expired.")


class AlreadyReversed(Conflict):
    code = "already_reversed"
    default_message = _("This transfer has already been reversed.")


class NotReversible(Conflict):
    code = "not_reversible"
    default_message = _("Only a posted transfer can be reversed; void a hold instead.")


class AccountNotEmpty(Conflict):
    code = "account_not_empty"
    default_message = _("Only an account with a zero balance and no pending hold can be closed.")
