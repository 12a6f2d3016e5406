"""Product analytics (docs/analytics.md, « Product analytics »): the mobile apps' events, the
export cursor towards PostHog or Matomo, and the payment outcomes behind the success-rate
metric (« Payment success monitoring »).

`ProductEvent` is a partitioned table on PostgreSQL (PARTITION BY RANGE (occurred_at), one
partition a month, created by migration 0002 and kept by the `analytics.product_partitions`
job) and a plain table on SQLite. PostgreSQL wants the partition key in every unique key, so
the primary key is (occurred_at, event_id): a replayed event (same id, same time) is a
conflict, and `INSERT … ON CONFLICT DO NOTHING` counts it once."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ExportCursor", "ProductEvent"]


class ProductEvent(models.Model):
    pk = models.CompositePrimaryKey("occurred_at", "event_id")
    occurred_at = models.DateTimeField(_("occurred at"))
    event_id = models.UUIDField(_("event id"))
    name = models.CharField(_("event"), max_length=80)
    user = models.UUIDField(_("user"), null=True, blank=True)  # the sender's public id
    anonymous_id = models.CharField(_("anonymous id"), max_length=64, blank=True, default="")
    session_id = models.CharField(_("session"), max_length=64, blank=True, default="")
    properties = models.JSONField(_("properties"), default=dict, blank=True)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        db_table = "analytics_product_event"
        verbose_name = _("product event")
        verbose_name_plural = _("product events")
        indexes = [
            models.Index(fields=["received_at", "event_id"], name="analytics_pe_received"),
            models.Index(fields=["name", "occurred_at"], name="analytics_pe_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.occurred_at:%Y-%m-%d %H:%M}"


class ExportCursor(models.Model):
    """How far the export to one provider went, in the order events were received
    (received_at, event_id), and who holds the lease to send the next batch."""

    provider = models.CharField(_("provider"), max_length=20, unique=True)
    received_at = models.DateTimeField(_("last received at"), null=True, blank=True)
    event_id = models.UUIDField(_("last event id"), null=True, blank=True)
    exported = models.BigIntegerField(_("events exported"), default=0)
    lease_token = models.UUIDField(_("lease"), null=True, blank=True)
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True, default="")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("export cursor")
        verbose_name_plural = _("export cursors")

    def __str__(self) -> str:
        return self.provider
