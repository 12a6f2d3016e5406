"""The figures, kept up to date from events (docs/analytics.md, « Rollups »).

One row per (organization, scope, grain, period, metric, dimension, currency): the
organization's own figure (scope « org », scope_id = the organization), a property's and an
owner's within that organization. Grain « d » (a day) and « m » (a month: period = its first
day). A sum metric's row adds up its facts; a gauge's row holds the last value."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rollup(models.Model):
    class Scope(models.TextChoices):
        ORG = "org", _("organization")
        PROPERTY = "property", _("property")
        OWNER = "owner", _("owner")

    class Grain(models.TextChoices):
        DAY = "d", _("day")
        MONTH = "m", _("month")

    id = models.BigAutoField(primary_key=True)
    organization = models.UUIDField(_("organization"))
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices)
    scope_id = models.UUIDField(_("scope id"))
    grain = models.CharField(_("grain"), max_length=1, choices=Grain.choices)
    period = models.DateField(_("period"))
    metric = models.CharField(_("metric"), max_length=40)
    dimension = models.CharField(_("dimension"), max_length=60, blank=True, default="")
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="")
    value = models.BigIntegerField(_("value"), default=0)
    count = models.BigIntegerField(_("count"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rollup")
        verbose_name_plural = _("rollups")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "organization",
                    "scope",
                    "scope_id",
                    "grain",
                    "period",
                    "metric",
                    "dimension",
                    "currency",
                ],
                name="analytics_rollup_key",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "grain", "metric", "period"], name="analytics_rollup_org_metric"
            ),
            models.Index(fields=["grain", "metric", "period"], name="analytics_rollup_metric"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.scope}:{self.scope_id} {self.grain}{self.period} = {self.value}"


class AppliedEvent(models.Model):
    """An event whose facts are in the rollups: applying it again adds nothing."""

    event_id = models.UUIDField(_("event id"), primary_key=True)
    name = models.CharField(_("event"), max_length=120)
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("applied event")
        verbose_name_plural = _("applied events")

    def __str__(self) -> str:
        return f"{self.name} {self.event_id}"


class Drift(models.Model):
    """A day's figure that does not match the source rows re-derived the next night: reported
    (admin, metric, log), and repaired on a staff action."""

    id = models.BigAutoField(primary_key=True)
    day = models.DateField(_("day"))
    organization = models.UUIDField(_("organization"))
    metric = models.CharField(_("metric"), max_length=40)
    dimension = models.CharField(_("dimension"), max_length=60, blank=True, default="")
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="")
    rollup_value = models.BigIntegerField(_("figure kept"))
    source_value = models.BigIntegerField(_("figure from the source"))
    rollup_count = models.BigIntegerField(_("count kept"), default=0)
    source_count = models.BigIntegerField(_("count from the source"), default=0)
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    repaired_at = models.DateTimeField(_("repaired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("drift")
        verbose_name_plural = _("drifts")
        ordering = ["-day", "organization", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "organization", "metric", "dimension", "currency"], name="analytics_drift_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.metric}: {self.rollup_value} ≠ {self.source_value}"
