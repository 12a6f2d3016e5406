"""The dunning ladder (docs/billing.md, "Dunning"): one row per step of an unpaid invoice,
planned when it becomes overdue, run by the daily task."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

from .invoices import Invoice

__all__ = ["DunningStep"]


class DunningStep(BaseModel):
    class Kind(models.TextChoices):
        RETRY = "retry", _("payment retry")  # a new push to the saved mobile-money number
        REMINDER = "reminder", _("reminder")  # SMS and e-mail with the pay link
        RESTRICT = "restrict", _("restriction")  # the grace period ended: restricted features off
        UNCOLLECTIBLE = "uncollectible", _("marked uncollectible")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("dunning step", "planned")
        DONE = "done", pgettext_lazy("dunning step", "done")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped (paid)")

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="dunning_steps")
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    day = models.PositiveSmallIntegerField(_("days after the due date"))
    scheduled_on = models.DateField(_("scheduled on"), db_index=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PLANNED)
    ran_at = models.DateTimeField(_("ran at"), null=True, blank=True)
    payment_intent = models.UUIDField(null=True, blank=True)
    outcome = models.CharField(
        pgettext_lazy("dunning step", "outcome"), max_length=300, blank=True, default=""
    )

    class Meta:
        ordering = ["scheduled_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "kind", "day"], name="billing_dunning_step_once")
        ]
