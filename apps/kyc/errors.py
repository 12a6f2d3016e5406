"""KYC refusals: DomainError subclasses with stable codes and translated messages (REST
renders them as problem details, GraphQL as typed errors)."""

from django.utils.translation import gettext_lazy as _

from apps.core.crypto import StorageKeyUnavailable as StorageKeyUnavailable  # kyc callers' name
from apps.core.errors import Conflict, DomainError, Forbidden, NotFound
from apps.core.statemachine import InvalidTransition as CoreInvalidTransition


class KycLimitExceeded(Forbidden):
    """The amount is above a limit of the user's verification level. The message names the
    limit and says how to raise it; `limit`, `tier`, `maximum`, `remaining` and `next_tier`
    are in `params` for callers that render their own text."""

    code = "kyc_limit_exceeded"
    default_message = _("This amount is above your verification level's limit.")


class KycCurrencyNotCovered(Forbidden):
    code = "kyc_currency_not_covered"
    default_message = _("Your verification level has no limits for this currency.")


class OrganizationNotVerified(Forbidden):
    code = "kyb_required"
    default_message = _(
        "The organization's business verification (RCCM, IFU and directors' identity documents) "
        "must be approved before payouts."
    )


class IdentityVerificationRequired(OrganizationNotVerified):
    """A landlord's (owner-kind) organization: its owner's own identity verification (an ID
    document, tier 1) is what payouts need, not an RCCM."""

    code = "identity_verification_required"
    default_message = _(
        "Verify your identity with an ID card, passport or driving licence in the Hokwe app "
        "before receiving payouts."
    )


class InvalidTransition(CoreInvalidTransition):
    code = "kyc_invalid_transition"
    default_message = _("This verification cannot change to that status now.")


class SubmissionIncomplete(DomainError):
    code = "kyc_submission_incomplete"
    default_message = _("Some required information or documents are missing.")


class FourEyesRequired(Conflict):
    code = "kyc_four_eyes"
    default_message = _("A second, different staff member must approve this level.")


class ReviewerConflict(Forbidden):
    code = "kyc_reviewer_conflict"
    default_message = _("You cannot review your own verification or your own organization's.")


class DocumentLocked(Conflict):
    code = "kyc_document_locked"
    default_message = _("Documents can only be changed before the verification is submitted.")


class LinkExpired(NotFound):
    code = "link_expired"
    default_message = _("This link has expired. Open the document again to get a new link.")


# --- uploads -------------------------------------------------------------------------------


class UploadRefused(DomainError):
    code = "invalid_file"
    default_message = _("This file cannot be accepted.")


class UnsupportedFileType(UploadRefused):
    code = "unsupported_file_type"
    default_message = _(
        "Send a JPEG, PNG or WebP photo, or a PDF. The file's content is checked, not its name."
    )


class FileTypeMismatch(UploadRefused):
    code = "file_type_mismatch"
    default_message = _(
        "The file's content does not match its name or declared type (for example a PDF renamed .jpg)."
    )


class FileTypeNotAllowedForKind(UploadRefused):
    code = "file_type_not_allowed"
    default_message = _("This document must be a photo (JPEG, PNG or WebP).")


class FileTooLarge(UploadRefused):
    code = "file_too_large"
    status = 413
    default_message = _("The file is too large.")


class EmptyFile(UploadRefused):
    code = "empty_file"
    default_message = _("The file is empty.")


class ImageTooLarge(UploadRefused):
    code = "image_too_large"
    default_message = _("The image has too many pixels. Send a smaller photo.")


class InvalidImage(UploadRefused):
    code = "invalid_image"
    default_message = _("The image is damaged or not readable.")


class UnsafePdf(UploadRefused):
    code = "unsafe_pdf"
    default_message = _("The PDF is damaged or contains active content (scripts, attachments).")


class InvalidDocumentKind(DomainError):
    code = "invalid_document_kind"
    default_message = _("This kind of document is not expected here.")


# StorageKeyUnavailable (imported above): the master key that wrapped a file's data key is not
# configured (HOKWE_MASTER_KEYS); the platform's error since the encryption moved to core.


# --- transaction monitoring ----------------------------------------------------------------


class AlertDecided(InvalidTransition):
    code = "kyc_alert_decided"
    default_message = _("This alert is already decided: it can no longer change.")


class AlertReasonRequired(DomainError):
    code = "kyc_alert_reason_required"
    default_message = _("Say why: the reason is kept with the decision.")


class AlertNarrativeRequired(DomainError):
    code = "kyc_alert_narrative_required"
    default_message = _(
        "Write the analysis (what was seen and why it is suspicious): it goes into the report."
    )


class AlertConflict(Forbidden):
    code = "kyc_alert_conflict"
    default_message = _("You cannot work an alert about yourself or an organization you belong to.")


class AlertFourEyes(Conflict):
    code = "kyc_alert_four_eyes"
    default_message = _(
        "An escalated alert is decided by another compliance officer than the one who escalated it."
    )


class AlertNotReported(Conflict):
    code = "kyc_alert_not_reported"
    default_message = _("Only an alert reported as suspicious can be exported as a report.")
