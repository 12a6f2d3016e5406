"""Scoring's refusals (problem details on REST, typed errors on GraphQL, translated)."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


class ModelRejected(DomainError):
    code = "scoring_model_rejected"
    status = 400
    default_message = _("This scoring model fails its checks and was not loaded.")


# --- tenant side and bureau: disputes, consent, monthly reports ---
from apps.core.errors import Conflict as _Conflict  # noqa: E402
from apps.core.errors import NotFound as _NotFound  # noqa: E402


class RentLineNotFound(_NotFound):
    code = "scoring_rent_line_not_found"
    default_message = _("This month is not in your rent history.")


class DisputeAlreadyOpen(_Conflict):
    code = "scoring_dispute_already_open"
    default_message = _("You already contested this line: the team is looking at it.")


class DisputeAlreadyDecided(_Conflict):
    code = "scoring_dispute_already_decided"
    default_message = _("This dispute was already decided.")


class DisputeDecisionInvalid(DomainError):
    code = "scoring_dispute_invalid"
    status = 400
    default_message = _("Choose one of the listed answers.")


class BureauAlreadyReported(_Conflict):
    code = "scoring_bureau_already_reported"
    default_message = _("This month was already reported to this bureau.")


class BureauProviderUnknown(DomainError):
    code = "scoring_bureau_provider_unknown"
    status = 400
    default_message = _("No credit bureau provider by this name is configured.")


# --- tenant screening ----------------------------------------------------------------------


class ScreeningConsentMissing(DomainError):
    code = "scoring_screening_consent_missing"
    status = 409
    default_message = _(
        "The applicant has not consented yet: the report is issued once they confirm with the code sent to "
        "their phone."
    )


class ScreeningConsentWithdrawn(DomainError):
    code = "scoring_screening_consent_withdrawn"
    status = 409
    default_message = _("The applicant withdrew their consent: this screening can no longer be used.")


class ScreeningConsentExpired(DomainError):
    code = "scoring_screening_consent_expired"
    status = 409
    default_message = _("The applicant's consent has expired: ask for a new screening.")


class ScreeningReportExpired(DomainError):
    code = "scoring_screening_report_expired"
    status = 410
    default_message = _(
        "This screening report is more than 30 days old and has expired: ask for a new screening."
    )


class ScreeningNotTheApplicant(DomainError):
    code = "scoring_screening_not_applicant"
    status = 403
    default_message = _("This screening request was sent to another phone number.")


class ScreeningAlreadyAnswered(DomainError):
    code = "scoring_screening_already_answered"
    status = 409
    default_message = _("The applicant has already answered this request.")


class ScreeningPolicyInvalid(DomainError):
    code = "scoring_screening_policy_invalid"
    status = 400
    default_message = _("These thresholds are not consistent.")
