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
class VaultUploadRefused(CmsError):
    code = "vault_upload_refused"
    status = 400
    default_message = _("This file cannot be added to the vault.")


class VaultFileTooLarge(VaultUploadRefused):
    code = "vault_file_too_large"
    status = 413
    default_message = _("The file is too large.")


class VaultFileTypeRefused(VaultUploadRefused):
    code = "vault_file_type_refused"
    status = 415
    default_message = _(
        "The file's content does not match an accepted type (PDF, JPEG, PNG or WebP), whatever its name says."
    )


class VaultFileInfected(VaultUploadRefused):
    code = "vault_file_infected"
    status = 422
    default_message = _("The antivirus found a threat in this file: it was not added.")


class VaultScannerUnavailable(CmsError):
    code = "vault_scanner_unavailable"
    status = 503
    default_message = _("The antivirus cannot check files right now. Try again in a few minutes.")


class VaultFileEmpty(VaultUploadRefused):
    code = "vault_file_empty"
    default_message = _("The file is empty.")


class VaultFolderInvalid(CmsError):
    code = "vault_folder_invalid"
    default_message = _("This folder cannot be used here.")


class VaultNameInvalid(CmsError):
    code = "vault_name_invalid"
    default_message = _("Give a name (at most 120 characters).")


class VaultFolderNotEmpty(CmsError):
    code = "vault_folder_not_empty"
    status = 409
    default_message = _("The folder still holds documents or folders.")


class VaultShareGone(CmsError):
    code = "vault_share_gone"
    status = 410
    default_message = _("This link has expired or was revoked.")


class VaultShareInvalid(CmsError):
    code = "vault_share_invalid"
    default_message = _("This share cannot be made.")


class VaultShareCodeInvalid(CmsError):
    code = "vault_share_code_invalid"
    default_message = _("The code is wrong.")


class VaultShareCodeLocked(VaultShareGone):
    code = "vault_share_code_locked"
    default_message = _("Too many wrong codes: ask the sender for a new link.")


class VaultDocumentUnavailable(CmsError):
    code = "vault_document_unavailable"
    status = 410
    default_message = _("This document is no longer available.")


class VaultRetentionHeld(CmsError):
    code = "vault_retention_held"
    status = 409
    default_message = _("A legal document is kept for its legal retention: it cannot be deleted before.")
