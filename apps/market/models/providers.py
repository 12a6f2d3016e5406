"""Local rental services (docs/market.md, "Local services"): providers (movers, plumbers,
electricians, cleaners, painters…) with their trades, zones and photos; quote requests from
seekers and agencies (an agency can send an estate maintenance ticket); quotes paid through
payments; reviews only after a completed job."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

__all__ = [
    "ProviderPhoto",
    "ProviderTrade",
    "ProviderZone",
    "Quote",
    "QuoteRequest",
    "ServiceProvider",
    "ServiceReview",
    "Trade",
]

ORG = "identity.Organization"


class Trade(models.TextChoices):
    MOVER = "mover", _("mover")
    PLUMBER = "plumber", _("plumber")
    ELECTRICIAN = "electrician", _("electrician")
    CLEANER = "cleaner", _("cleaner")
    PAINTER = "painter", _("painter")
    MASON = "mason", _("mason")
    CARPENTER = "carpenter", _("carpenter")
    LOCKSMITH = "locksmith", _("locksmith")
    AIR_CONDITIONING = "air_conditioning", _("air-conditioning technician")
    GARDENER = "gardener", _("gardener")


class ServiceProvider(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("a provider", "awaiting verification")
        ACTIVE = "active", pgettext_lazy("a provider", "active")
        SUSPENDED = "suspended", pgettext_lazy("a provider", "suspended")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("business name"), max_length=120)
    bio = models.TextField(_("about"), blank=True, default="")
    phone = models.CharField(_("phone"), max_length=20)
    status = models.CharField(_("status"), max_length=9, choices=Status.choices, default=Status.PENDING)
    # sum and count of the ratings (1-5), the average is computed on read
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    jobs_done = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["name", "id"]


class ProviderTrade(models.Model):
    provider = models.ForeignKey(ServiceProvider, on_delete=models.CASCADE, related_name="trades")
    trade = models.CharField(_("trade"), max_length=20, choices=Trade.choices)

    class Meta:
        verbose_name = _("trade")
        verbose_name_plural = _("trades")
        constraints = [
            models.UniqueConstraint(fields=["provider", "trade"], name="market_provider_trade_once")
        ]
        indexes = [models.Index(fields=["trade", "provider"], name="market_trade_lookup")]

    def __str__(self):
        return self.get_trade_display()


class ProviderZone(models.Model):
    provider = models.ForeignKey(ServiceProvider, on_delete=models.CASCADE, related_name="zones")
    country = models.CharField(_("country"), max_length=2, default="BJ")
    city = models.CharField(_("city"), max_length=100)
    neighbourhood = models.CharField(
        _("neighbourhood"), max_length=100, blank=True, default=""
    )  # "": whole city

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "country", "city", "neighbourhood"], name="market_provider_zone_once"
            )
        ]
        indexes = [models.Index(fields=["country", "city"], name="market_zone_lookup")]

    def __str__(self):
        return f"{self.city} {self.neighbourhood}".strip()


class ProviderPhoto(BaseModel):
    provider = models.ForeignKey(ServiceProvider, on_delete=models.CASCADE, related_name="photos")
    original = models.ImageField(_("photo"), upload_to="market/providers/%Y/%m/")
    sizes = models.JSONField(default=dict, blank=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("provider photo")
        verbose_name_plural = _("provider photos")
        ordering = ["provider", "id"]


class QuoteRequest(BaseModel):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("a quote request", "open")
        ACCEPTED = "accepted", pgettext_lazy("a quote request", "quote accepted")
        COMPLETED = "completed", pgettext_lazy("a quote request", "completed")
        CANCELED = "canceled", pgettext_lazy("a quote request", "canceled")

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # an agency asking for its properties (a member of it is the requester)
    organization = models.ForeignKey(ORG, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    trade = models.CharField(_("trade"), max_length=20, choices=Trade.choices)
    country = models.CharField(_("country"), max_length=2, default="BJ")
    city = models.CharField(_("city"), max_length=100)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100, blank=True, default="")
    description = models.TextField(_("what needs doing"))
    wanted_by = models.DateField(_("wanted by"), null=True, blank=True)
    # a provider asked directly; empty: open to every active provider of the trade and zone
    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, null=True, blank=True, related_name="direct_requests"
    )
    maintenance_ticket = models.UUIDField(_("maintenance ticket"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=9, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("quote request")
        verbose_name_plural = _("quote requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "trade", "country", "city"], name="market_request_match"),
            models.Index(fields=["requester", "-created_at"], name="market_request_requester"),
        ]


class Quote(BaseModel):
    class Status(models.TextChoices):
        SENT = "sent", pgettext_lazy("a quote", "sent")
        ACCEPTED = "accepted", pgettext_lazy("a quote", "accepted")
        DECLINED = "declined", pgettext_lazy("a quote", "declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("a quote", "withdrawn")
        PAID = "paid", pgettext_lazy("a quote", "paid")
        COMPLETED = "completed", pgettext_lazy("a quote", "job done")

    request = models.ForeignKey(QuoteRequest, on_delete=models.PROTECT, related_name="quotes")
    provider = models.ForeignKey(ServiceProvider, on_delete=models.PROTECT, related_name="quotes")
    amount = models.BigIntegerField(_("amount"))  # minor units
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    message = models.TextField(_("message"), blank=True, default="")
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=9, choices=Status.choices, default=Status.SENT)
    payment_intent = models.UUIDField(_("payment"), null=True, blank=True, unique=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("job done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["request", "amount", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="market_quote_amount_positive"),
            models.UniqueConstraint(
                fields=["request", "provider"],
                condition=Q(status__in=["sent", "accepted", "paid", "completed"]),
                name="market_quote_one_per_provider",
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status__in=["accepted", "paid", "completed"]),
                name="market_quote_one_accepted",
            ),
        ]


class ServiceReview(BaseModel):
    quote = models.OneToOneField(Quote, on_delete=models.PROTECT, related_name="review")
    provider = models.ForeignKey(ServiceProvider, on_delete=models.PROTECT, related_name="reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True, default="")

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["provider", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="market_review_rating_1_5"
            )
        ]
