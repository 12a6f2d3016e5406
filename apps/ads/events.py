"""PUBLIC: the domain events ads publishes (apps.core.events.DomainEvent subclasses,
`name = "ads.EventName"`, JSON-valued fields only). Each part appends its own."""

from __future__ import annotations

from dataclasses import dataclass

from apps.core.events import DomainEvent


@dataclass(frozen=True)
class CampaignBudgetSpent(DomainEvent):
    """A campaign's total budget (or its advertiser's balance) is spent: delivery stopped."""

    name = "ads.CampaignBudgetSpent"

    campaign_id: str
    advertiser_id: str
    charged: int
    currency: str


@dataclass(frozen=True)
class AdSpendCharged(DomainEvent):
    """Spend drawn from an advertiser's balance (or metered for its invoice): one per charge."""

    name = "ads.AdSpendCharged"

    campaign_id: str
    advertiser_id: str
    organization_id: str  # "" for an independent advertiser
    listing_ids: list
    amount: int
    currency: str
    day: str
