"""Scheduled reports (docs/analytics.md, « Scheduled reports »): an organization subscribes its
members to a report, weekly or monthly, e-mailed as a PDF with a link."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel


class ReportSubscription(BaseModel):
    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("weekly")
        MONTHLY = "monthly", _("monthly")

    organization = models.UUIDField(_("organization"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    report = models.CharField(_("report"), max_length=40)
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    last_period = models.DateField(_("last period sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user", "report", "frequency"], name="analytics_subscription_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} ({self.frequency})"


class ReportDelivery(BaseModel):
    """One sending of a subscription for one period: written before the e-mail goes, so a
    retried beat sends it once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    subscription = models.ForeignKey(ReportSubscription, on_delete=models.CASCADE, related_name="deliveries")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "period_start"], name="analytics_delivery_once")
        ]
