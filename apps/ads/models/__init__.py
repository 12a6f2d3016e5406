"""Tables (BaseModel subclasses); invariants the database can hold are constraints."""

from .advertising import Advertiser, Campaign, CampaignDay, Conversion, Creative, TopUp
from .creators import Creator, CreatorJob, Deliverable, RevenueShare
from .social import SocialConnection, SocialPost

__all__ = [
    "Advertiser",
    "Campaign",
    "CampaignDay",
    "Conversion",
    "Creative",
    "Creator",
    "CreatorJob",
    "Deliverable",
    "RevenueShare",
    "SocialConnection",
    "SocialPost",
    "TopUp",
]
