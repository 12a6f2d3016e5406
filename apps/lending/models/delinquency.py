"""Delinquency tables (docs/lending.md, "Delinquency, restructuring and write-off"): the
nightly aging snapshot per day, currency and bucket (the PAR trend), restructurings (the
old and the new schedule, who and why) and write-offs (what the book gave up, how it was
posted), and the handover of a loan to recovery."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

from ..contracts import Bucket
from .loan import BUCKET_LABELS, Loan
from .product import _choices

__all__ = ["AgingSnapshot", "LoanHandover", "Restructuring", "WriteOff"]


class AgingSnapshot(BaseModel):
    """The loan book on a day, per currency and bucket, as the nightly run left it (one row
    per day, currency and bucket; a re-run of the day replaces it)."""

    day = models.DateField(_("day"))
    currency = models.CharField(_("currency"), max_length=3)
    bucket = models.CharField(_("bucket"), max_length=8, choices=_choices(Bucket, BUCKET_LABELS))
    loans = models.PositiveIntegerField(_("loans"), default=0)
    principal = models.BigIntegerField(_("principal owed"), default=0)
    outstanding = models.BigIntegerField(_("owed"), default=0)  # principal, interest, fees billed
    provision = models.BigIntegerField(_("provision"), default=0)

    class Meta:
        verbose_name = _("aging snapshot")
        verbose_name_plural = _("aging snapshots")
        ordering = ["-day", "currency", "bucket"]
        constraints = [
            models.UniqueConstraint(fields=["day", "currency", "bucket"], name="lending_aging_once"),
        ]

    def __str__(self):
        return f"{self.day} {self.currency} {self.bucket}"


class Restructuring(BaseModel):
    """A new schedule for what a loan owes (audited): the unpaid lines of version
    `from_version` are superseded by the lines of `to_version`."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="restructurings")
    from_version = models.PositiveSmallIntegerField(_("old schedule version"))
    to_version = models.PositiveSmallIntegerField(_("new schedule version"))
    owed = models.BigIntegerField(_("owed when restructured"))
    term = models.PositiveSmallIntegerField(_("new term (instalments)"))
    annual_rate_bps = models.PositiveIntegerField(_("new nominal annual rate (basis points)"))
    first_due_date = models.DateField(_("new first due date"))
    old_schedule = models.JSONField(_("old schedule (unpaid lines)"), default=list)
    new_schedule = models.JSONField(_("new schedule"), default=list)
    reason = models.CharField(_("reason"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("restructuring")
        verbose_name_plural = _("restructurings")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "to_version"], name="lending_restructuring_once"),
        ]

    def __str__(self):
        return f"{self.loan} v{self.to_version}"


class WriteOff(BaseModel):
    """What the loan book gave up on a loan, and how it was posted: the allowance for losses
    first (`from_provisions`), the rest as an expense (`to_expense`)."""

    loan = models.OneToOneField(Loan, on_delete=models.PROTECT, related_name="write_off")
    currency = models.CharField(_("currency"), max_length=3)
    amount = models.BigIntegerField(_("written off"))
    principal = models.BigIntegerField(_("principal"))
    interest = models.BigIntegerField(_("interest"))
    fees = models.BigIntegerField(_("fees and penalties"))
    from_provisions = models.BigIntegerField(_("taken from the allowance for losses"))
    to_expense = models.BigIntegerField(_("charged as an expense"))
    bucket = models.CharField(_("bucket"), max_length=8, choices=_choices(Bucket, BUCKET_LABELS))
    days_past_due = models.PositiveIntegerField(_("days past due"), default=0)
    written_off_on = models.DateField(_("written off on"))
    transfer = models.UUIDField(_("ledger transfer"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("write-off")
        verbose_name_plural = _("write-offs")
        ordering = ["-written_off_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="lending_write_off_positive"),
        ]

    def __str__(self):
        return f"{self.loan} {self.amount}"


class LoanHandover(BaseModel):
    """A loan handed to recovery by the nightly run when it reached the configured bucket
    (LENDING_RECOVERY_BUCKET): once per loan."""

    loan = models.OneToOneField(Loan, on_delete=models.PROTECT, related_name="handover")
    case = models.UUIDField(_("recovery case"), null=True, blank=True)
    bucket = models.CharField(_("bucket"), max_length=8, choices=_choices(Bucket, BUCKET_LABELS))
    amount = models.BigIntegerField(_("owed when handed over"))
    handed_over_on = models.DateField(_("handed over on"))

    class Meta:
        verbose_name = _("handover to recovery")
        verbose_name_plural = _("handovers to recovery")

    def __str__(self):
        return f"{self.loan} -> {self.case}"
