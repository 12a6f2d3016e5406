"""Tables (BaseModel subclasses); invariants the database can hold are constraints."""

from .advertising import (
    Advertiser,
    AdvertiserState,
    Campaign,
    CampaignDay,
    Conversion,
    Creative,
    DeliveryMark,
    DeliveryState,
    TopUp,
)
from .creators import Creator, CreatorJob, Deliverable, RevenueShare
from .social import SocialConnection, SocialPost

__all__ = [
    "Advertiser",
    "AdvertiserState",
    "Campaign",
    "CampaignDay",
    "Conversion",
    "Creative",
    "Creator",
    "DeliveryMark",
    "DeliveryState",
    "CreatorJob",
    "Deliverable",
    "RevenueShare",
    "SocialConnection",
    "SocialPost",
    "TopUp",
]
