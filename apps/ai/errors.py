"""HokweAI's refusals (problem details on REST, typed errors on GraphQL, translated)."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import Conflict, DomainError, NotFound


class ThreadNotFound(NotFound):
    code = "ai_thread_not_found"
    status = 404
    default_message = _("This conversation does not exist or is not yours.")


class MessageNotFound(NotFound):
    code = "ai_message_not_found"
    status = 404
    default_message = _("This message does not exist or is not yours.")


class ActionNotFound(NotFound):
    code = "ai_action_not_found"
    status = 404
    default_message = _("This action does not exist or is not yours.")


class EmptyMessage(DomainError):
    code = "ai_message_empty"
    status = 400
    default_message = _("Write your question.")


class MessageTooLong(DomainError):
    code = "ai_message_too_long"
    status = 400
    default_message = _("Your message is too long: shorten it.")


class InvalidRating(DomainError):
    code = "ai_invalid_rating"
    status = 400
    default_message = _("Rate an answer with 1 (useful) or -1 (not useful).")


class NotAnAnswer(DomainError):
    code = "ai_not_an_answer"
    status = 409
    default_message = _("Only the assistant's answers can be rated.")


class AudioRefused(DomainError):
    code = "ai_audio_refused"
    status = 400
    default_message = _("This recording cannot be used.")


class VoiceUnavailable(DomainError):
    code = "ai_voice_unavailable"
    status = 503
    default_message = _("Voice questions are not available right now: write your question.")


# --- the tools' refusals ---


class UnknownTool(DomainError):
    code = "ai_unknown_tool"
    status = 404
    default_message = _("The assistant has no such tool.")


class InvalidArguments(DomainError):
    code = "ai_invalid_arguments"
    default_message = _("The assistant's request was not valid.")


class ToolUnavailable(DomainError):
    code = "ai_tool_unavailable"
    status = 409
    default_message = _("The assistant cannot do this yet: use the app's own screen for it.")


class NoOpenDue(NotFound):
    code = "ai_no_open_due"
    default_message = _("You have no rent to pay right now.")


class WalletBalanceTooLow(Conflict):
    code = "ai_wallet_balance_too_low"
    default_message = _("Your wallet balance is too low for this payment.")


class NoListingChosen(DomainError):
    code = "ai_no_listing_chosen"
    status = 400
    default_message = _("Which home would you like to visit? Search for one first, or give its listing.")


class NoPlanProposed(NotFound):
    code = "ai_no_plan_proposed"
    default_message = _("No payment plan is waiting for your acceptance: ask your agency to propose one.")


class WalletNotUsable(Conflict):
    code = "ai_wallet_not_usable"
    default_message = _("Your wallet cannot be used at the moment.")


# --- prepared actions ---


class ActionExpired(Conflict):
    code = "ai_action_expired"
    default_message = _("This request has expired: ask the assistant again.")


class ActionNotPending(Conflict):
    code = "ai_action_not_pending"
    default_message = _("This request is no longer waiting for your confirmation.")


class ActionAmountChanged(Conflict):
    code = "ai_action_amount_changed"
    default_message = _("The amount owed has changed since this request: ask the assistant again.")
