"""dispute tables (see docs/scoring.md « Surfaces »): « contester une ligne » — a tenant
disputes one month of their rent history; staff decide within SCORING_DISPUTE_DAYS."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

__all__ = ["RentLineDispute"]


class RentLineDispute(BaseModel):
    """A tenant's dispute of one rent line (a lease's month). While it is open the line is
    shown as disputed; upheld, the line is left out of the score and of bureau reports;
    rejected, the line stands. The decision is audited (apps.core.audit)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("dispute status", "Open")
        UPHELD = "upheld", _("Upheld")
        REJECTED = "rejected", _("Rejected")

    class Reason(models.TextChoices):
        PAID_ON_TIME = "paid_on_time", _("I paid this month on time")
        PAID_MORE = "paid_more", _("I paid more than shown")
        NOT_MY_LEASE = "not_my_lease", _("This is not my lease")
        AMOUNT_WRONG = "amount_wrong", _("The rent amount is wrong")
        OTHER = "other", _("Something else")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rent_disputes")
    lease = models.UUIDField(_("lease"))
    organization = models.UUIDField(_("organization"))
    month = models.CharField(_("month"), max_length=7)  # "2026-05"
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    details = models.TextField(_("details"), blank=True, default="", max_length=2000)
    line = models.JSONField(_("the line as shown when disputed"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    respond_by = models.DateField(_("decide by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("decision note"), blank=True, default="", max_length=2000)

    class Meta:
        verbose_name = _("rent line dispute")
        verbose_name_plural = _("rent line disputes")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lease", "month"],
                condition=Q(status="open"),
                name="scoring_one_open_dispute_per_line",
            )
        ]
        indexes = [models.Index(fields=["status", "respond_by"], name="scoring_dispute_due")]

    def __str__(self):
        return f"{self.month} · {self.get_status_display()}"
