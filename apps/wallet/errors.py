"""The wallet's refusals (problem details on REST, typed errors on GraphQL, translated)."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import Conflict, DomainError


class WalletFrozen(Conflict):
    code = "wallet_frozen"
    default_message = _("This wallet is frozen by Hokwe compliance. Contact Hokwe support.")


class WalletClosed(Conflict):
    code = "wallet_closed"
    default_message = _("This wallet is closed.")


class InvalidAmount(DomainError):
    code = "invalid_amount"
    status = 400
    default_message = _("Enter an amount greater than zero, in whole francs.")


# --- safeguarding ---


class InvalidTrustBalance(DomainError):
    code = "invalid_trust_balance"
    status = 400
    default_message = _("This bank balance cannot be recorded.")


# --- HokweSplit ---


class SplitDueTooSoon(Conflict):
    code = "split_due_too_soon"
    default_message = _(
        "This rent is due too soon to save for it: pay it from your wallet or by mobile money."
    )


class SplitNothingToSave(Conflict):
    code = "split_nothing_to_save"
    default_message = _("This rent due is already paid: there is nothing to save for.")


class SplitPlanExists(Conflict):
    code = "split_plan_exists"
    default_message = _("You already have a HokweSplit plan for this rent due.")


class SplitNotOpen(Conflict):
    code = "split_not_open"
    default_message = _("This HokweSplit plan is over: it cannot be changed any more.")


class SplitWithdrawalLocked(Conflict):
    code = "split_withdrawal_locked"
    default_message = _("This plan's savings are locked until the due date (the plan's rule).")


class SplitVaultEmpty(Conflict):
    code = "split_vault_empty"
    default_message = _("There is nothing saved in this plan to withdraw.")


# --- Cotis'Hokwe (tontine, W4) ---


class TontineInvalid(DomainError):
    code = "tontine_invalid"
    status = 400
    default_message = _("These tontine settings are not valid.")


class TontineStateConflict(Conflict):
    code = "tontine_state"
    default_message = _("This tontine cannot do that now.")


class TontineNotOrganiser(DomainError):
    code = "tontine_not_organiser"
    status = 403
    default_message = _("Only the group's organiser can do this.")


# --- P2P transfers ---
class P2pToSelf(DomainError):
    code = "p2p_to_self"
    default_message = _("You cannot send money to yourself: enter another person's number.")


class P2pReceiverWalletFrozen(Conflict):
    code = "p2p_receiver_wallet_frozen"
    default_message = _("This person's wallet is frozen: they cannot receive money for now.")


class P2pReceiverWalletClosed(Conflict):
    code = "p2p_receiver_wallet_closed"
    default_message = _("This person's wallet is closed: they cannot receive money.")


class P2pReceiverUnavailable(Conflict):
    code = "p2p_receiver_unavailable"
    default_message = _("This person's account cannot receive money.")


class P2pInsufficientBalance(Conflict):
    code = "insufficient_balance"
    default_message = _("Your wallet's balance is too low for this transfer. Top up your wallet first.")


class P2pCurrencyNotInWallet(DomainError):
    code = "p2p_currency_not_in_wallet"
    default_message = _("You have no wallet in this currency.")


class P2pPreviewExpired(DomainError):
    code = "p2p_preview_expired"
    default_message = _("This preview has expired or is not yours: check the transfer again, then confirm.")


class P2pPreviewUsed(Conflict):
    code = "p2p_preview_used"
    default_message = _("This transfer was already sent. Check your history before sending again.")


class P2pReceiverChanged(Conflict):
    code = "p2p_receiver_changed"
    default_message = _("The account behind this number changed since the preview: check the transfer again.")


class P2pNotCancellable(Conflict):
    code = "p2p_not_cancellable"
    default_message = _(
        "Only a transfer of yours still waiting for its receiver to sign up can be cancelled."
    )


# --- wallet core ---


class ReasonRequired(DomainError):
    code = "reason_required"
    status = 400
    default_message = _("Give the reason (it is kept in the audit log).")


class WithdrawalTooSmall(DomainError):
    code = "withdrawal_too_small"
    status = 400
    default_message = _("This amount is below the smallest withdrawal.")


class NotOwnNumber(DomainError):
    code = "not_own_number"
    status = 400
    default_message = _("Withdrawals go only to your own mobile money number (the one you sign in with).")


class WalletInsufficientBalance(Conflict):
    code = "wallet_balance_too_low"
    default_message = _("Your wallet's balance is too low. Top up your wallet first.")
