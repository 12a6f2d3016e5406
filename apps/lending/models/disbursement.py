"""A loan's disbursement, recorded before any money moves (docs/lending.md, "Lifecycle").

The row is written and committed first (`pending`), the payment intent of a rent due is
stored on it before it is paid, and every ledger move carries an idempotency key derived
from the loan: a disbursement retried after a timeout or a crash finds what was already
done and finishes it, never paying twice."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

from .loan import Loan

__all__ = ["Disbursement"]


class Disbursement(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("a disbursement", "under way")
        DONE = "done", pgettext_lazy("a disbursement", "done")

    loan = models.OneToOneField(Loan, on_delete=models.PROTECT, related_name="disbursement")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    net_amount = models.BigIntegerField(_("paid out"))  # the principal less the upfront fee
    fee = models.BigIntegerField(_("upfront fee"), default=0)
    intent = models.UUIDField(_("rent due payment intent"), null=True, blank=True)  # payments' intent
    to_due = models.BigIntegerField(_("paid to the rent due"), default=0)
    to_wallet = models.BigIntegerField(_("paid to the wallet"), default=0)
    to_owner = models.BigIntegerField(_("paid to the owner's balance"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True, default="")
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    net_amount__gt=0, fee__gte=0, to_due__gte=0, to_wallet__gte=0, to_owner__gte=0
                ),
                name="lending_disbursement_amounts",
            )
        ]

    def __str__(self):
        return f"{self.loan_id} ({self.status})"
