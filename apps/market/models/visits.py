"""Visit slots and bookings (docs/market.md, "Visits and booking").

The agent or owner publishes slots on a listing; a seeker books one. No double booking,
held by the database: one live booking per slot (a partial unique constraint, on every
backend), and on PostgreSQL no two open slots of one host overlap in time (an exclusion
constraint over `tstzrange(starts_at, ends_at)`, migration 0002, btree_gist)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

from .listing import Listing

__all__ = ["VisitBooking", "VisitSlot"]

ORG = "identity.Organization"


class VisitSlot(BaseModel):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("a visit slot", "open")
        CANCELED = "canceled", pgettext_lazy("a visit slot", "canceled")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="slots")
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    meeting_point = models.CharField(_("meeting point"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("visit slot")
        verbose_name_plural = _("visit slots")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="market_slot_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["listing", "status", "starts_at"], name="market_slot_listing"),
            models.Index(fields=["host", "starts_at"], name="market_slot_host"),
        ]


class VisitBooking(BaseModel):
    class Status(models.TextChoices):
        BOOKED = "booked", pgettext_lazy("a visit", "booked")
        CANCELED = "canceled", pgettext_lazy("a visit", "canceled")
        NO_SHOW = "no_show", pgettext_lazy("a visit", "no-show")
        DONE = "done", pgettext_lazy("a visit", "done")

    slot = models.ForeignKey(VisitSlot, on_delete=models.PROTECT, related_name="bookings")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # the seeker: a signed-in user, or an anonymous visitor known by name and phone
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    seeker_name = models.CharField(_("name"), max_length=120)
    seeker_phone = models.CharField(_("phone"), max_length=20)
    starts_at = models.DateTimeField(_("starts at"))  # the slot's, kept for the calendars
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.BOOKED)
    # short code printed in the SMS: the anonymous seeker's key to cancel or reschedule
    code = models.CharField(_("booking code"), max_length=12, unique=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    rescheduled_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="rescheduled_to"
    )
    canceled_by = models.CharField(max_length=6, blank=True, default="")  # "seeker" | "host"
    idempotency_key = models.CharField(max_length=120, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"], condition=Q(status="booked"), name="market_booking_one_per_slot"
            ),
        ]
        indexes = [
            models.Index(fields=["host", "starts_at"], name="market_booking_host"),
            models.Index(fields=["organization", "starts_at"], name="market_booking_org"),
            models.Index(fields=["status", "starts_at"], name="market_booking_due"),
        ]
