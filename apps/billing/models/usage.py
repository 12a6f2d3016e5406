"""Metering (docs/billing.md, "Metering"): usage computed from the outbox events as they are
handled, into counters per subscription, metric and period; never recounted from the raw
history at invoice time."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalog import BillableMetric
from .subscriptions import Subscription

__all__ = ["UsageCounter", "UsageEvent", "UsageUnique"]


class UsageEvent(models.Model):
    """One metered event, once: (`metric`, `event_id`) is unique, so an event delivered twice
    counts once. Kept for the audit of a usage line and pruned after the invoice."""

    id = models.BigAutoField(primary_key=True)
    metric = models.ForeignKey(BillableMetric, on_delete=models.PROTECT, related_name="+")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    event_id = models.CharField(max_length=64)
    value = models.BigIntegerField(default=1)
    occurred_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["metric", "event_id"], name="billing_usage_event_once")
        ]

    def __str__(self):
        return f"{self.metric_id}:{self.event_id}"


class UsageCounter(models.Model):
    """The aggregate invoicing reads: one row per subscription, metric and period."""

    id = models.BigAutoField(primary_key=True)
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="usage")
    metric = models.ForeignKey(BillableMetric, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period start"))
    value = models.BigIntegerField(_("value"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "metric", "period_start"], name="billing_one_counter_per_period"
            )
        ]

    def __str__(self):
        return f"{self.metric_id}@{self.period_start}: {self.value}"


class UsageUnique(models.Model):
    """The distinct values seen by a unique-count metric in a period (the counter holds how many)."""

    id = models.BigAutoField(primary_key=True)
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    metric = models.ForeignKey(BillableMetric, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    value = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "metric", "period_start", "value"], name="billing_unique_value_once"
            )
        ]

    def __str__(self):
        return self.value
