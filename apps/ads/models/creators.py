"""HokweCreatorStudio: creators, the jobs agencies offer them, their deliverables and their
pay (docs/ads.md, "CreatorStudio")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

from .advertising import Advertiser

__all__ = ["Creator", "CreatorJob", "Deliverable", "RevenueShare"]

USER = settings.AUTH_USER_MODEL


class Creator(BaseModel):
    class Skill(models.TextChoices):
        PHOTO = "photo", _("photographer")
        VIDEO = "video", _("videographer")
        INFLUENCE = "influence", _("influencer")

    user = models.OneToOneField(USER, on_delete=models.PROTECT, related_name="+")
    display_name = models.CharField(_("name shown"), max_length=80)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True, default="")
    bio = models.CharField(_("about"), max_length=500, blank=True, default="")
    payout_phone = models.CharField(_("payout number"), max_length=20, blank=True, default="")
    payout_provider = models.CharField(_("payout provider"), max_length=30, blank=True, default="")
    revenue_share = models.BooleanField(_("share in the ads' results"), default=False)
    suspended = models.BooleanField(_("suspended"), default=False)

    class Meta:
        verbose_name = _("creator")
        verbose_name_plural = _("creators")

    def __str__(self):
        return self.display_name


class CreatorJob(BaseModel):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo shoot")
        VIDEO = "video", _("video")
        PHOTO_VIDEO = "photo_video", _("photos and video")
        INFLUENCE = "influence", _("influencer post")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("a job", "open")
        ASSIGNED = "assigned", pgettext_lazy("a job", "taken")
        DELIVERED = "delivered", pgettext_lazy("a job", "delivered")
        CHANGES = "changes", pgettext_lazy("a job", "changes requested")
        ACCEPTED = "accepted", pgettext_lazy("a job", "accepted")
        PAID = "paid", pgettext_lazy("a job", "paid")
        CANCELLED = "cancelled", pgettext_lazy("a job", "cancelled")

    advertiser = models.ForeignKey(Advertiser, on_delete=models.PROTECT, related_name="creator_jobs")
    listing = models.UUIDField(_("listing"))
    title = models.CharField(_("title"), max_length=120)
    brief = models.TextField(_("brief"), blank=True, default="")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PHOTO)
    city = models.CharField(_("city"), max_length=100, blank=True, default="")
    price = models.BigIntegerField(_("price"))
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    due_on = models.DateField(_("due on"), null=True, blank=True)
    revenue_share_bp = models.PositiveIntegerField(_("revenue share (basis points)"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    creator = models.ForeignKey(Creator, on_delete=models.PROTECT, null=True, blank=True, related_name="jobs")
    # the agency's funds set aside for the job (a ledger hold), and the creator's payout
    hold = models.UUIDField(null=True, blank=True, editable=False)
    payout = models.UUIDField(null=True, blank=True, editable=False)
    feedback = models.TextField(_("feedback"), blank=True, default="")
    assigned_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # why the creator's payout could not be requested yet (kyc limit, no provider): retried daily
    payout_failure = models.CharField(_("payout problem"), max_length=300, blank=True, default="")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("creator job")
        verbose_name_plural = _("creator jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "city"], name="ads_job_open_city")]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="ads_job_price_positive"),
            models.CheckConstraint(
                condition=Q(creator__isnull=True) | ~Q(status="open"), name="ads_job_open_has_no_creator"
            ),
            models.CheckConstraint(
                condition=Q(revenue_share_bp__lte=5000), name="ads_job_share_at_most_half"
            ),
        ]

    def __str__(self):
        return self.title


class Deliverable(BaseModel):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        VIDEO = "video", _("video")

    class Status(models.TextChoices):
        PROCESSING = "processing", pgettext_lazy("a deliverable", "processing")
        READY = "ready", pgettext_lazy("a deliverable", "ready")
        FAILED = "failed", pgettext_lazy("a deliverable", "failed")

    class Review(models.TextChoices):
        PENDING = "pending", pgettext_lazy("a deliverable", "in review")
        APPROVED = "approved", pgettext_lazy("a deliverable", "approved")
        REJECTED = "rejected", pgettext_lazy("a deliverable", "rejected")

    job = models.ForeignKey(CreatorJob, on_delete=models.CASCADE, related_name="deliverables")
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    original = models.FileField(_("file"), upload_to="ads/deliverables/%Y/%m/")
    web = models.FileField(_("web version"), upload_to="ads/deliverables/web/%Y/%m/", blank=True, default="")
    poster = models.FileField(_("poster"), upload_to="ads/deliverables/web/%Y/%m/", blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True, default="")
    size = models.BigIntegerField(default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROCESSING)
    failure = models.CharField(_("failure"), max_length=300, blank=True, default="")
    review = models.CharField(_("review"), max_length=8, choices=Review.choices, default=Review.PENDING)
    attached_at = models.DateTimeField(null=True, blank=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True, default="")
    # the antivirus verdict kept with the file (apps/core/antivirus.py): False when no scanner
    scanned = models.BooleanField(default=False)
    scan_engine = models.CharField(max_length=120, blank=True, default="")
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # the market photo it became once the job was accepted (attached once)
    listing_photo = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["created_at", "id"]


class RevenueShare(models.Model):
    """A creator's share of one day's ad spend on a campaign promoting the listing of a job
    they delivered (optional: the job's revenue_share_bp and the creator's consent)."""

    job = models.ForeignKey(CreatorJob, on_delete=models.CASCADE, related_name="shares")
    day = models.DateField(_("day"))
    basis = models.BigIntegerField(_("ad spend"))
    amount = models.BigIntegerField(_("amount"))
    transfer = models.UUIDField(null=True, blank=True)

    class Meta:
        verbose_name = _("revenue share")
        verbose_name_plural = _("revenue shares")
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="ads_share_once_per_day")]

    def __str__(self):
        return f"{self.job_id} {self.day}"
