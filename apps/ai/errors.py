"""HokweAI's refusals (problem details on REST, typed errors on GraphQL, translated)."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


class ThreadNotFound(DomainError):
    code = "ai_thread_not_found"
    status = 404
    default_message = _("This conversation does not exist or is not yours.")


class MessageNotFound(DomainError):
    code = "ai_message_not_found"
    status = 404
    default_message = _("This message does not exist or is not yours.")


class ActionNotFound(DomainError):
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


class ActionNotPending(DomainError):
    code = "ai_action_not_pending"
    status = 409
    default_message = _("This action was already confirmed, cancelled or has expired.")
