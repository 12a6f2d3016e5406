"""The catalog (docs/billing.md, "Catalog"): billable metrics, products, plans and their
versions (immutable once a subscription uses one), prices, add-ons and coupons. Staff edit
it in the admin; prices are integers in the version's currency (minor units)."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

from ..contracts import Aggregation, Interval, PriceKind, ProductKind, TierMode, VersionStatus
from ..errors import VersionLocked

__all__ = ["AddOn", "BillableMetric", "Coupon", "Plan", "PlanVersion", "Price", "Product"]


def _choices(enum, labels=None):
    labels = labels or {}
    return [(m.value, labels.get(m, m.value)) for m in enum]


AGGREGATION_LABELS = {
    Aggregation.COUNT: _("count of events"),
    Aggregation.SUM: _("sum of a field"),
    Aggregation.UNIQUE_COUNT: _("count of distinct values"),
}
INTERVAL_LABELS = {Interval.MONTH: _("monthly"), Interval.YEAR: _("yearly")}
VERSION_LABELS = {
    VersionStatus.DRAFT: _("draft"),
    VersionStatus.PUBLISHED: _("published"),
    VersionStatus.RETIRED: _("retired"),
}
PRICE_KIND_LABELS = {
    PriceKind.FLAT: _("flat fee"),
    PriceKind.PER_UNIT: _("per unit"),
    PriceKind.USAGE: _("usage"),
}
TIER_LABELS = {
    TierMode.NONE: _("one price"),
    TierMode.GRADUATED: _("graduated"),
    TierMode.VOLUME: _("volume"),
}


class BillableMetric(BaseModel):
    """What is metered from the outbox events: `event_name` events whose payload matches
    `filters` (equality on payload keys), aggregated per organization named by the payload's
    `organization_field`."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True, default="")
    event_name = models.CharField(_("event"), max_length=120, help_text=_("e.g. notifications.MessageSent"))
    filters = models.JSONField(_("filters"), default=dict, blank=True, help_text=_('e.g. {"channel": "sms"}'))
    aggregation = models.CharField(
        _("aggregation"), max_length=12, choices=_choices(Aggregation, AGGREGATION_LABELS)
    )
    field = models.CharField(
        _("payload field"), max_length=60, blank=True, default="", help_text=_("summed or counted distinct")
    )
    organization_field = models.CharField(_("organization field"), max_length=60, default="organization")
    unit_name = models.CharField(_("unit name"), max_length=40, blank=True, default="")

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["event_name"], name="billing_metric_event_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(aggregation="count") | ~Q(field=""), name="billing_metric_field_when_not_count"
            )
        ]

    def __str__(self):
        return self.name


class Product(BaseModel):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, default="")
    kind = models.CharField(_("kind"), max_length=8, choices=_choices(ProductKind), default=ProductKind.BASE)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.name


class Plan(BaseModel):
    """A plan customers subscribe to (« Essentiel », « Agence », « Pro »); what it costs and
    grants lives on its versions."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="plans")
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, default="")
    is_public = models.BooleanField(_("offered on the billing page"), default=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("lower first; upgrade = higher")
    )

    class Meta:
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class PlanVersion(BaseModel):
    """One version of a plan's terms. Immutable once `locked_at` is set (the first
    subscription on it): a change is a new version."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=_choices(VersionStatus, VERSION_LABELS),
        default=VersionStatus.DRAFT,
    )
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    interval = models.CharField(
        _("billing interval"),
        max_length=5,
        choices=_choices(Interval, INTERVAL_LABELS),
        default=Interval.MONTH,
    )
    trial_days = models.PositiveSmallIntegerField(_("trial days"), default=0)
    # {"estate.units": 50, "recovery.sms_campaigns": true, "estate.e_signatures": 20, …}:
    # a bool enables a feature, an int is a limit, null = no limit (docs/billing.md, "Entitlements").
    entitlements = models.JSONField(_("entitlements"), default=dict, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    locked_at = models.DateTimeField(_("in use since"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="billing_one_version_number")]

    def __str__(self):
        return f"{self.plan} v{self.number}"

    # the terms a subscription relies on: frozen once `locked_at` is set (services/catalog.py)
    FROZEN = ("plan_id", "number", "currency", "interval", "trial_days", "entitlements")

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if self.pk and (fields is None or set(fields) & {f.removesuffix("_id") for f in self.FROZEN}):
            stored = type(self).objects.filter(pk=self.pk).values("locked_at", *self.FROZEN).first()
            if stored and stored["locked_at"] and any(stored[f] != getattr(self, f) for f in self.FROZEN):
                raise VersionLocked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if type(self).objects.filter(pk=self.pk, locked_at__isnull=False).exists():
            raise VersionLocked()
        return super().delete(*args, **kwargs)


class Price(BaseModel):
    """A charge of a plan version (or of an add-on): flat, per unit (the quantity read at the
    period start from a quantity source, e.g. `estate.units`) or usage (a billable metric, in
    arrears); tiered by `tiers` when `tier_mode` is not none."""

    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="prices", null=True, blank=True
    )
    addon = models.ForeignKey("AddOn", on_delete=models.CASCADE, related_name="prices", null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=_choices(PriceKind, PRICE_KIND_LABELS))
    name = models.CharField(_("name on the invoice"), max_length=120)
    metric = models.ForeignKey(
        BillableMetric, on_delete=models.PROTECT, related_name="prices", null=True, blank=True
    )
    quantity_source = models.CharField(
        _("quantity source"),
        max_length=60,
        blank=True,
        default="",
        help_text=_("per-unit prices: e.g. estate.units"),
    )
    amount = models.BigIntegerField(_("amount / unit amount"), default=0, validators=[MinValueValidator(0)])
    tier_mode = models.CharField(
        _("tiers"), max_length=10, choices=_choices(TierMode, TIER_LABELS), default=TierMode.NONE
    )
    tiers = models.JSONField(
        _("tiers"),
        default=list,
        blank=True,
        help_text=_('[{"up_to": 10, "unit_amount": 0, "flat_amount": 0}, …]'),
    )
    free_units = models.PositiveIntegerField(_("included units"), default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(version__isnull=False) & Q(addon__isnull=True))
                | (Q(version__isnull=True) & Q(addon__isnull=False)),
                name="billing_price_of_version_or_addon",
            ),
            models.CheckConstraint(
                condition=~Q(kind="usage") | Q(metric__isnull=False), name="billing_usage_price_has_metric"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="billing_price_amount_not_negative"),
        ]

    def __str__(self):
        return self.name

    def _refuse_when_locked(self) -> None:
        versions = {self.version_id}
        if self.pk:
            versions |= set(type(self).objects.filter(pk=self.pk).values_list("version_id", flat=True))
        versions.discard(None)
        if versions and PlanVersion.objects.filter(pk__in=versions, locked_at__isnull=False).exists():
            raise VersionLocked()

    def save(self, *args, **kwargs):
        self._refuse_when_locked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_when_locked()
        return super().delete(*args, **kwargs)


class AddOn(BaseModel):
    """Bought on top of a plan, per period (its prices), granting more entitlements."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="addons")
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, default="")
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    interval = models.CharField(
        _("billing interval"),
        max_length=5,
        choices=_choices(Interval, INTERVAL_LABELS),
        default=Interval.MONTH,
    )
    entitlements = models.JSONField(_("entitlements added"), default=dict, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.name


class Coupon(BaseModel):
    """A discount: a percentage (basis points) or an amount, for `duration_periods` periods
    (None: forever), redeemable `max_redemptions` times until `redeem_by`."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    percent_bps = models.PositiveIntegerField(_("percentage (basis points)"), null=True, blank=True)
    amount = models.BigIntegerField(_("amount off"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="")
    duration_periods = models.PositiveSmallIntegerField(_("periods"), null=True, blank=True)
    max_redemptions = models.PositiveIntegerField(_("max redemptions"), null=True, blank=True)
    redeem_by = models.DateField(_("redeem by"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(percent_bps__isnull=False) & Q(amount__isnull=True) & Q(percent_bps__lte=10_000))
                | (Q(percent_bps__isnull=True) & Q(amount__isnull=False) & Q(amount__gt=0) & ~Q(currency="")),
                name="billing_coupon_percent_or_amount",
            )
        ]

    def __str__(self):
        return self.code
