"""Ads' refusals (problem details on REST, typed errors on GraphQL, translated). Each part
appends its own under a `# --- <part> ---` comment."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


class AdvertiserNotFound(DomainError):
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


class CampaignNotFound(DomainError):
    code = "ads_campaign_not_found"
    status = 404
    default_message = _("This campaign does not exist or is not yours.")


class CreativeNotFound(DomainError):
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
