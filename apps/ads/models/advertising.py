"""Advertisers, campaigns, creatives and what delivery counted (docs/ads.md).

Money is integer minor units with a currency. Delivery counts spend in thousandths of a minor
unit (`*_milli`): a CPM of 1,000 FCFA costs 1 FCFA an impression, a CPM of 1,500 costs 1.5;
the ledger is charged whole minor units, the remainder carried to the next charge.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

from ..contracts import CampaignStatus, CreativeKind, CreativeStatus, Pricing

__all__ = [
    "Advertiser",
    "AdvertiserState",
    "Campaign",
    "CampaignDay",
    "Conversion",
    "Creative",
    "DeliveryMark",
    "DeliveryState",
    "TopUp",
]

ORG = "identity.Organization"
USER = settings.AUTH_USER_MODEL


class Advertiser(BaseModel):
    class Kind(models.TextChoices):
        AGENCY = "agency", _("agency")
        OWNER = "owner", _("owner")
        SERVICE = "service", _("local service provider")

    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.AGENCY)
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    # the prepaid ad balance: a ledger liability account that cannot go below zero
    balance_account = models.UUIDField(_("ad balance account"), null=True, blank=True)
    suspended = models.BooleanField(_("suspended"), default=False)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("advertiser")
        verbose_name_plural = _("advertisers")
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | Q(owner__isnull=False),
                name="ads_advertiser_has_owner",
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(organization__isnull=False),
                name="ads_one_advertiser_per_org",
            ),
            models.UniqueConstraint(
                fields=["owner"],
                condition=Q(owner__isnull=False, organization__isnull=True),
                name="ads_one_advertiser_per_owner",
            ),
        ]

    def __str__(self):
        return self.name


PRICING_LABELS = {
    Pricing.CPM: _("per 1,000 impressions"),
    Pricing.CPC: _("per click"),
    Pricing.FLAT: _("flat fee"),
}
STATUS_LABELS = {
    CampaignStatus.DRAFT: pgettext_lazy("a campaign", "draft"),
    CampaignStatus.ACTIVE: pgettext_lazy("a campaign", "active"),
    CampaignStatus.PAUSED: pgettext_lazy("a campaign", "paused"),
    CampaignStatus.EXHAUSTED: pgettext_lazy("a campaign", "budget spent"),
    CampaignStatus.ENDED: pgettext_lazy("a campaign", "ended"),
    CampaignStatus.ARCHIVED: pgettext_lazy("a campaign", "archived"),
}


class Campaign(BaseModel):
    advertiser = models.ForeignKey(Advertiser, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("name"), max_length=120)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=[(s.value, STATUS_LABELS[s]) for s in CampaignStatus],
        default=CampaignStatus.DRAFT,
    )
    pricing = models.CharField(
        _("pricing"),
        max_length=4,
        choices=[(p.value, PRICING_LABELS[p]) for p in Pricing],
        default=Pricing.CPC,
    )
    bid = models.BigIntegerField(_("bid"))  # CPM: per 1,000 impressions; CPC: per click; flat: the fee
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    total_budget = models.BigIntegerField(_("total budget"))
    daily_budget = models.BigIntegerField(_("daily budget"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=5)  # 1 (low) … 10 (high)
    frequency_cap = models.PositiveSmallIntegerField(_("impressions per viewer per day"), default=5)
    placements = models.JSONField(_("placements"), default=list, blank=True)
    cities = models.JSONField(_("cities"), default=list, blank=True)  # empty: everywhere
    neighbourhoods = models.JSONField(_("neighbourhoods"), default=list, blank=True)
    audiences = models.JSONField(_("audiences"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # what delivery counted (synchronised from the delivery store) and what the ledger was charged
    impressions = models.BigIntegerField(_("impressions"), default=0)
    clicks = models.BigIntegerField(_("clicks"), default=0)
    conversions = models.BigIntegerField(_("conversions"), default=0)
    spent_milli = models.BigIntegerField(_("spend (thousandths)"), default=0)
    charged = models.BigIntegerField(_("charged"), default=0)
    flat_transfer = models.UUIDField(null=True, blank=True, editable=False)  # the flat fee's ledger transfer
    synced_at = models.DateTimeField(null=True, blank=True, editable=False)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    exhausted_at = models.DateTimeField(_("budget spent at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "advertiser"], name="ads_campaign_status")]
        constraints = [
            models.CheckConstraint(condition=Q(bid__gt=0), name="ads_campaign_bid_positive"),
            models.CheckConstraint(condition=Q(total_budget__gt=0), name="ads_campaign_budget_positive"),
            models.CheckConstraint(
                condition=Q(daily_budget__isnull=True)
                | (Q(daily_budget__gt=0) & Q(daily_budget__lte=F("total_budget"))),
                name="ads_campaign_daily_within_total",
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1) & Q(priority__lte=10), name="ads_campaign_priority"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="ads_campaign_dates"
            ),
            # what is charged never exceeds the budget: the database holds the no-overspend rule too
            models.CheckConstraint(
                condition=Q(charged__lte=F("total_budget")), name="ads_campaign_no_overspend"
            ),
        ]

    def __str__(self):
        return self.name


KIND_LABELS = {
    CreativeKind.LISTING: _("promoted listing"),
    CreativeKind.BANNER: _("image banner"),
    CreativeKind.TEXT: _("text ad"),
}
CREATIVE_STATUS_LABELS = {
    CreativeStatus.PENDING: pgettext_lazy("a creative", "in review"),
    CreativeStatus.APPROVED: pgettext_lazy("a creative", "approved"),
    CreativeStatus.REJECTED: pgettext_lazy("a creative", "rejected"),
}


class Creative(BaseModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="creatives")
    kind = models.CharField(
        _("kind"), max_length=8, choices=[(k.value, KIND_LABELS[k]) for k in CreativeKind]
    )
    listing = models.UUIDField(_("listing"), null=True, blank=True)  # market's listing public id
    headline = models.CharField(_("headline"), max_length=90, blank=True, default="")
    body = models.CharField(_("text"), max_length=200, blank=True, default="")
    image = models.FileField(_("image"), upload_to="ads/creatives/%Y/%m/", blank=True, default="")
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    link_url = models.URLField(_("link"), max_length=500, blank=True, default="")
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=[(s.value, CREATIVE_STATUS_LABELS[s]) for s in CreativeStatus],
        default=CreativeStatus.PENDING,
    )
    flags = models.JSONField(_("moderation flags"), default=list, blank=True)
    rejection_reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("creative")
        verbose_name_plural = _("creatives")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=CreativeKind.LISTING) | Q(listing__isnull=False),
                name="ads_listing_creative_has_listing",
            ),
        ]

    def __str__(self):
        return self.headline or str(self.public_id)


class CampaignDay(models.Model):
    """A campaign's counted results for one day (the delivery store's counters, synchronised)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("day"))
    impressions = models.BigIntegerField(_("impressions"), default=0)
    clicks = models.BigIntegerField(_("clicks"), default=0)
    conversions = models.BigIntegerField(_("conversions"), default=0)
    spent_milli = models.BigIntegerField(_("spend (thousandths)"), default=0)
    filtered = models.BigIntegerField(_("filtered (bots, duplicates)"), default=0)

    class Meta:
        verbose_name = _("campaign day")
        verbose_name_plural = _("campaign days")
        constraints = [models.UniqueConstraint(fields=["campaign", "day"], name="ads_campaign_day_unique")]

    def __str__(self):
        return f"{self.campaign_id} {self.day}"


class Conversion(BaseModel):
    class Kind(models.TextChoices):
        INQUIRY = "inquiry", _("inquiry")
        VISIT = "visit", _("booked visit")
        APPLICATION = "application", _("application")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="conversion_rows")
    creative = models.ForeignKey(Creative, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    listing = models.UUIDField(_("listing"))
    user = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    clicked_at = models.DateTimeField(_("clicked at"))
    source = models.CharField(max_length=64, unique=True)  # the market event's id: counted once

    class Meta:
        verbose_name = _("conversion")
        verbose_name_plural = _("conversions")


class TopUp(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("a top-up", "pending")
        PAID = "paid", pgettext_lazy("a top-up", "paid")
        FAILED = "failed", pgettext_lazy("a top-up", "failed")

    advertiser = models.ForeignKey(Advertiser, on_delete=models.PROTECT, related_name="topups")
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    intent = models.UUIDField(_("payment"), unique=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("ad balance top-up")
        verbose_name_plural = _("ad balance top-ups")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="ads_topup_positive")]


# --- the database delivery store (services/store_db.py): the embedded default's, and the
# benchmark's PostgreSQL-only baseline. The Redis store keeps the same state in Redis. ---


class DeliveryState(models.Model):
    """A loaded campaign's delivery state: what the pick reads and the beacons decrement."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, primary_key=True, related_name="+")
    advertiser_id = models.BigIntegerField()
    live = models.BooleanField(default=True)
    placements = models.JSONField(default=list)
    cities = models.JSONField(default=list)  # lower-case; empty: everywhere
    neighbourhoods = models.JSONField(default=list)
    audiences = models.JSONField(default=list)
    languages = models.JSONField(default=list)
    creatives = models.JSONField(default=dict)  # placement → [creative public ids]
    pricing = models.CharField(max_length=4)
    cost_milli = models.BigIntegerField()  # one impression (CPM) or one click (CPC); 0 for flat
    score = models.BigIntegerField()  # the ranking: priority, then expected revenue per impression
    budget_milli = models.BigIntegerField()  # what is left of the total budget
    daily_milli = models.BigIntegerField(default=0)  # 0: no daily budget
    day = models.DateField()
    spent_day_milli = models.BigIntegerField(default=0)
    cap = models.PositiveIntegerField(default=0)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("delivery state")
        verbose_name_plural = _("delivery states")
        indexes = [models.Index(fields=["live", "-score"], name="ads_delivery_rank")]

    def __str__(self):
        return f"delivery {self.campaign_id}"


class AdvertiserState(models.Model):
    """An advertiser's balance as delivery sees it (thousandths of a minor unit)."""

    advertiser = models.OneToOneField(
        Advertiser, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    balance_milli = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("advertiser delivery balance")
        verbose_name_plural = _("advertiser delivery balances")

    def __str__(self):
        return f"balance {self.advertiser_id}"


class DeliveryMark(models.Model):
    """A counted key with an expiry: a beacon already seen, a viewer's impressions of a
    campaign today, a viewer's beacons this minute, a viewer's last click on a listing."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.BigIntegerField(default=0)
    value = models.CharField(max_length=200, blank=True, default="")
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("delivery mark")
        verbose_name_plural = _("delivery marks")

    def __str__(self):
        return self.key
