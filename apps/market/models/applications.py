"""Applications from a listing (docs/market.md, "Applications").

A seeker applies; the application is published as an event that the screening (scoring)
consumes, which fills `screening` with the screening request's public id. The agent accepts
one: the others are declined, the listing is reserved, and estate's new-lease form opens
pre-filled with `lease_prefill`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

from .listing import Listing

__all__ = ["Application"]

ORG = "identity.Organization"


class Application(BaseModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("an application", "submitted")
        ACCEPTED = "accepted", pgettext_lazy("an application", "accepted")
        DECLINED = "declined", pgettext_lazy("an application", "declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("an application", "withdrawn")

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="applications")
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(_("message"), blank=True, default="")
    household_size = models.PositiveSmallIntegerField(_("household size"), default=1)
    monthly_income = models.BigIntegerField(_("monthly income"), null=True, blank=True)  # minor units
    move_in = models.DateField(_("wished move-in date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    screening = models.UUIDField(_("screening request"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    lease_prefill = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["listing", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "applicant"],
                condition=Q(status__in=["submitted", "accepted"]),
                name="market_application_once",
            ),
            models.UniqueConstraint(
                fields=["listing"], condition=Q(status="accepted"), name="market_application_one_accepted"
            ),
        ]
        indexes = [models.Index(fields=["applicant", "-created_at"], name="market_application_user")]
