"""Listings (docs/market.md, "Listings").

A listing is an offer to rent or sell one home. It is published in one click from a vacant
unit under management (`unit` holds estate's unit public id, `verified` is set: the rent is
the real one and the agency is KYC-verified), or created by an independent owner after KYC
(`owner` is the user, no organization). Coordinates are floats on purpose: they are a
position, not money; prices are integers in minor units with their currency.

`search_text` is the accent-free, lower-case text the search indexes read (title,
description, city, neighbourhood, address, kind), kept by the listing services; on
PostgreSQL migration 0002 indexes it with a GIN full-text index (configuration
`french_unaccent`) and a GIN trigram index, and the position with a GiST index on
`ll_to_earth(latitude, longitude)` (earthdistance).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

from ..contracts import ListingKind, ListingPurpose, ListingStatus

__all__ = ["Listing", "ListingModeration", "ListingPhoto", "ListingPriceChange"]

ORG = "identity.Organization"

KIND_LABELS = {
    ListingKind.ENTRER_COUCHER: _("single room (entrer-coucher)"),
    ListingKind.ROOM_LIVING: _("room and living room"),
    ListingKind.STUDIO: _("studio"),
    ListingKind.APARTMENT: _("apartment"),
    ListingKind.VILLA: _("villa"),
    ListingKind.HOUSE: _("house"),
    ListingKind.SHOP: _("shop"),
    ListingKind.OFFICE: _("office"),
    ListingKind.LAND: _("land"),
}
PURPOSE_LABELS = {ListingPurpose.RENT: _("for rent"), ListingPurpose.SALE: _("for sale")}
STATUS_LABELS = {
    ListingStatus.DRAFT: pgettext_lazy("a listing", "draft"),
    ListingStatus.IN_REVIEW: pgettext_lazy("a listing", "in review"),
    ListingStatus.PUBLISHED: pgettext_lazy("a listing", "published"),
    ListingStatus.RESERVED: pgettext_lazy("a listing", "reserved"),
    ListingStatus.LET: pgettext_lazy("a listing", "let"),
    ListingStatus.SOLD: pgettext_lazy("a listing", "sold"),
    ListingStatus.WITHDRAWN: pgettext_lazy("a listing", "withdrawn"),
    ListingStatus.EXPIRED: pgettext_lazy("a listing", "expired"),
}


def _choices(enum, labels):
    return [(member.value, labels[member]) for member in enum]


class Listing(BaseModel):
    # who offers it: an organization (agency or owner organization) or an independent owner
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.UUIDField(_("unit under management"), null=True, blank=True, db_index=True)
    verified = models.BooleanField(_("verified by Hokwe"), default=False)

    purpose = models.CharField(
        _("purpose"), max_length=4, choices=_choices(ListingPurpose, PURPOSE_LABELS), default="rent"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=_choices(ListingKind, KIND_LABELS))
    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(_("description"), blank=True, default="")
    rooms = models.PositiveSmallIntegerField(_("rooms"), default=1)
    area_m2 = models.PositiveIntegerField(_("area (m²)"), null=True, blank=True)
    furnished = models.BooleanField(_("furnished"), default=False)
    # amenities: one column each, so filters and facets are plain indexed predicates
    water = models.BooleanField(_("running water"), default=False)
    own_meter = models.BooleanField(_("own electricity meter"), default=False)
    parking = models.BooleanField(_("parking"), default=False)
    air_conditioning = models.BooleanField(_("air conditioning"), default=False)
    security = models.BooleanField(_("guard or secured compound"), default=False)

    price = models.BigIntegerField(_("price"))  # monthly rent, or sale price; minor units
    charges = models.BigIntegerField(_("monthly charges"), default=0)
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    deposit_months = models.PositiveSmallIntegerField(_("deposit (months of rent)"), default=0)
    advance_months = models.PositiveSmallIntegerField(_("advance (months of rent)"), default=0)
    agency_fee = models.BigIntegerField(_("agency fee"), default=0)

    country = models.CharField(_("country"), max_length=2, default="BJ")
    city = models.CharField(_("city"), max_length=100)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100, blank=True, default="")
    address = models.CharField(_("address"), max_length=300, blank=True, default="")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=_choices(ListingStatus, STATUS_LABELS), default="draft"
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    # moderation flags raised by the rules (codes, see services/moderation.py)
    flags = models.JSONField(_("moderation flags"), default=list, blank=True)
    # what the search indexes read: accent-free, lower case (services keep it)
    search_text = models.TextField(default="", blank=True, editable=False)
    photo_count = models.PositiveSmallIntegerField(default=0, editable=False)
    cover = models.CharField(max_length=300, blank=True, default="", editable=False)  # thumb path

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="market_listing_price_positive"),
            models.CheckConstraint(condition=Q(charges__gte=0), name="market_listing_charges_non_negative"),
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | Q(owner__isnull=False),
                name="market_listing_has_offerer",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90)
                    & Q(latitude__lte=90)
                    & Q(longitude__gte=-180)
                    & Q(longitude__lte=180)
                ),
                name="market_listing_position_valid",
            ),
            # one live listing per managed unit
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(unit__isnull=False)
                & Q(status__in=["draft", "in_review", "published", "reserved"]),
                name="market_listing_one_live_per_unit",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "purpose", "city", "price"], name="market_listing_browse"),
            models.Index(fields=["status", "published_at"], name="market_listing_recent"),
            models.Index(fields=["organization", "status"], name="market_listing_org"),
        ]

    def __str__(self):
        return self.title


class ListingPhoto(BaseModel):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    original = models.ImageField(_("photo"), upload_to="market/photos/%Y/%m/")
    # resized copies, EXIF stripped: {"thumb": path, "medium": path, "large": path}
    sizes = models.JSONField(default=dict, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    phash = models.CharField(_("perceptual hash"), max_length=16, blank=True, default="", db_index=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("listing photo")
        verbose_name_plural = _("listing photos")
        ordering = ["listing", "position", "id"]


class ListingPriceChange(BaseModel):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="price_changes")
    old_price = models.BigIntegerField(_("old price"))
    new_price = models.BigIntegerField(_("new price"))
    currency = models.CharField(_("currency"), max_length=3)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("price change")
        verbose_name_plural = _("price history")
        ordering = ["listing", "-created_at"]


class ListingModeration(BaseModel):
    """One decision or note in a listing's moderation (staff, or the rules)."""

    class Decision(models.TextChoices):
        SUBMITTED = "submitted", _("submitted for review")
        FLAGGED = "flagged", _("flagged by the rules")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="moderation")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    flags = models.JSONField(default=list, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True, default="")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        ordering = ["listing", "-created_at"]
