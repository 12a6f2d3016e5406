"""Ads' refusals (problem details on REST, typed errors on GraphQL, translated). Each part
appends its own under a `# --- <part> ---` comment."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError, NotFound


class AdvertiserNotFound(NotFound):
    code = "ads_advertiser_not_found"
    status = 404
    default_message = _("This advertiser does not exist or is not yours.")


class AdvertiserNotVerified(DomainError):
    code = "ads_advertiser_not_verified"
    status = 403
    default_message = _(
        "Advertising on Hokwe needs a verified identity: verify your organization (or your ID) first."
    )


class AdvertiserSuspended(DomainError):
    code = "ads_advertiser_suspended"
    status = 403
    default_message = _("This advertiser is suspended: contact Hokwe support.")


# --- advertising ---


class CampaignNotFound(NotFound):
    code = "ads_campaign_not_found"
    status = 404
    default_message = _("This campaign does not exist or is not yours.")


class CreativeNotFound(NotFound):
    code = "ads_creative_not_found"
    status = 404
    default_message = _("This ad does not exist or is not yours.")


class InvalidCampaign(DomainError):
    code = "ads_campaign_invalid"
    status = 400
    default_message = _("This campaign is not valid.")


class CampaignStateConflict(DomainError):
    code = "ads_campaign_state"
    status = 409
    default_message = _("This campaign cannot do that in its current state.")


class CreativeRefused(DomainError):
    code = "ads_creative_refused"
    status = 400
    default_message = _("This ad was refused.")


class InsufficientAdBalance(DomainError):
    code = "ads_balance_insufficient"
    status = 409
    default_message = _("Your ad balance is too low: top it up first.")


class InvalidTopUp(DomainError):
    code = "ads_topup_invalid"
    status = 400
    default_message = _("This top-up is not valid.")


class UnknownPlacement(DomainError):
    code = "ads_placement_unknown"
    status = 400
    default_message = _("Unknown placement.")


# --- creators ---
from apps.core.errors import Conflict as _CreatorsConflict  # noqa: E402
from apps.core.errors import NotFound as _CreatorsNotFound  # noqa: E402


class CreatorNotVerified(DomainError):
    code = "ads_creator_not_verified"
    status = 403
    default_message = _(
        "Creators on Hokwe verify their identity first: send your ID (KYC) in your Hokwe space, then try again."
    )


class CreatorNotFound(_CreatorsNotFound):
    code = "ads_creator_not_found"
    default_message = _("You have no creator profile yet.")


class CreatorSuspended(DomainError):
    code = "ads_creator_suspended"
    status = 403
    default_message = _("Your creator profile is suspended: contact Hokwe support.")


class CreatorJobNotFound(_CreatorsNotFound):
    code = "ads_job_not_found"
    default_message = _("This job does not exist or is not yours.")


class DeliverableNotFound(_CreatorsNotFound):
    code = "ads_deliverable_not_found"
    default_message = _("This file does not exist or is not yours.")


class InvalidCreatorJob(DomainError):
    code = "ads_job_invalid"
    status = 400
    default_message = _("This job is not valid.")


class CreatorJobTaken(_CreatorsConflict):
    code = "ads_job_taken"
    default_message = _("Another creator took this job first.")


class CreatorJobState(_CreatorsConflict):
    code = "ads_job_state"
    default_message = _("This job cannot do that in its current state.")


class InvalidDeliverable(DomainError):
    code = "ads_deliverable_invalid"
    status = 400
    default_message = _("Send a photo (JPEG, PNG or WebP) or a video (MP4, MOV or WebM).")


class DeliverableTooLarge(DomainError):
    code = "ads_deliverable_too_large"
    status = 413
    default_message = _("This file is too large.")


class DeliverableInfected(DomainError):
    code = "ads_deliverable_infected"
    status = 422
    default_message = _("The antivirus found a threat in this file: it was refused.")


class ScannerUnavailable(DomainError):
    code = "ads_scanner_unavailable"
    status = 503
    default_message = _("The antivirus cannot check files right now. Try again in a few minutes.")


# --- social ---


class SocialConnectionNotFound(DomainError):
    code = "ads_social_connection_not_found"
    status = 404
    default_message = _("This page connection does not exist or is not yours.")


class SocialPostNotFound(DomainError):
    code = "ads_social_post_not_found"
    status = 404
    default_message = _("This social post does not exist or is not yours.")


class SocialStateInvalid(DomainError):
    code = "ads_social_state_invalid"
    status = 400
    default_message = _("This connection link has expired or was already used: start again.")


class InvalidSocialPost(DomainError):
    code = "ads_social_post_invalid"
    status = 400
    default_message = _("This post cannot be published.")


class SocialPostState(DomainError):
    code = "ads_social_post_state"
    status = 409
    default_message = _("This post cannot do that in its current state.")


class SocialTokenExpired(DomainError):
    code = "ads_social_token_expired"
    status = 409
    default_message = _("Facebook no longer accepts Hokwe's access to this page: connect it again.")


class SocialNetworkUnavailable(DomainError):
    code = "ads_social_unavailable"
    status = 503
    default_message = _("Facebook did not answer. Try again in a few minutes.")
