"""Cms's refusals: DomainError subclasses with a code and a translated message."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


class CmsError(DomainError):
    code = "cms_error"
    default_message = _("The operation was refused.")


# --- sites ---


# --- help ---
from apps.core.errors import NotFound as _HelpNotFound  # noqa: E402


class HelpArticleNotFound(CmsError, _HelpNotFound):
    code = "help_article_not_found"
    status = 404
    default_message = _("This help article does not exist or is not published.")


class HelpContactMissing(CmsError):
    code = "help_contact_missing"
    default_message = _("Give an e-mail address or a phone number so we can answer you.")


class HelpInvalidChoice(CmsError):
    code = "help_invalid_choice"
    default_message = _("This value is not one of the choices.")


class HelpReplyChannelMissing(CmsError):
    code = "help_reply_channel_missing"
    default_message = _("The user left no address for this channel: answer by the other one.")


# --- news ---
class NewsPostNotFound(CmsError):
    code = "news_post_not_found"
    status = 404
    default_message = _("This news post does not exist or is not published.")


class NewsCursorInvalid(CmsError):
    code = "news_cursor_invalid"
    default_message = _("This cursor is not one a page of news gave: start again from the first page.")


class NewsFilterInvalid(CmsError):
    code = "news_filter_invalid"
    default_message = _("This value is not one of the choices.")


# --- vault ---
