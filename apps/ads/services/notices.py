"""What ads tells advertisers (messages.py templates, through notifications)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from apps.identity import api as identity
from apps.identity.contracts import MANAGE_ROLES
from apps.notifications import api as notifications

from .. import messages
from ..models import Campaign


def budget_spent(*, campaign_id: str) -> int:
    """The managers of the campaign's advertiser hear it stopped, once per campaign and charge."""
    campaign = Campaign.objects.select_related("advertiser").filter(public_id=campaign_id).first()
    if campaign is None:
        return 0
    advertiser = campaign.advertiser
    if advertiser.organization_id:
        recipients = [
            str(u.public_id)
            for u in identity.members_of(organization_id=advertiser.organization_id, roles=MANAGE_ROLES)
        ]
        organization = identity.get_organization(id=advertiser.organization_id).public_id
    else:
        recipients = [str(identity.get_user(id=advertiser.owner_id).public_id)]
        organization = None
    for recipient in recipients:
        notifications.send(
            recipient,
            messages.ADS_CAMPAIGN_BUDGET_SPENT,
            {
                "campaign": campaign.name[:80],
                "charged": {"amount": campaign.charged, "currency": campaign.currency},
                "url": settings.ADS_MANAGER_BASE_URL.rstrip("/")
                + reverse("manager:ads-campaign", args=[campaign.public_id]),
            },
            idempotency_key=f"ads:spent:{campaign.public_id}:{campaign.charged}:{recipient}",
            organization=organization,
        )
    return len(recipients)
