"""Social-media advertising: a Facebook page (and its Instagram account) connected by OAuth,
listings published or boosted there, and the results imported back (docs/ads.md, "Social")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

from .advertising import Advertiser

__all__ = ["SocialConnection", "SocialPost"]

USER = settings.AUTH_USER_MODEL


class SocialConnection(BaseModel):
    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("a connection", "active")
        EXPIRED = "expired", pgettext_lazy("a connection", "expired")
        REVOKED = "revoked", pgettext_lazy("a connection", "disconnected")

    advertiser = models.ForeignKey(Advertiser, on_delete=models.CASCADE, related_name="social_connections")
    page_id = models.CharField(_("Facebook page"), max_length=64)
    page_name = models.CharField(_("page name"), max_length=200, blank=True, default="")
    instagram_account_id = models.CharField(_("Instagram account"), max_length=64, blank=True, default="")
    ad_account_id = models.CharField(_("ad account"), max_length=64, blank=True, default="")
    # the tokens, sealed together (apps.core.crypto: AES-256-GCM under a wrapped data key, the
    # associated data b"ads.social|" + public_id): the page's access token and the long-lived
    # user token the Marketing API (boosts) needs. Never logged, never returned by any API.
    token_sealed = models.BinaryField(editable=False)
    token_key_id = models.CharField(max_length=32, editable=False)
    token_wrapped = models.BinaryField(editable=False)
    token_expires_at = models.DateTimeField(_("token expires at"), null=True, blank=True)
    scopes = models.JSONField(_("permissions granted"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    connected_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("social page connection")
        verbose_name_plural = _("social page connections")
        constraints = [
            models.UniqueConstraint(fields=["advertiser", "page_id"], name="ads_one_connection_per_page"),
        ]


class SocialPost(BaseModel):
    class Network(models.TextChoices):
        FACEBOOK = "facebook", "Facebook"
        INSTAGRAM = "instagram", "Instagram"

    class Kind(models.TextChoices):
        POST = "post", pgettext_lazy("a social post", "post")
        BOOST = "boost", pgettext_lazy("a social post", "boosted post")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("a social post", "pending")
        PUBLISHED = "published", pgettext_lazy("a social post", "published")
        BOOSTING = "boosting", pgettext_lazy("a social post", "boosting")
        COMPLETED = "completed", pgettext_lazy("a social post", "completed")
        FAILED = "failed", pgettext_lazy("a social post", "failed")

    advertiser = models.ForeignKey(Advertiser, on_delete=models.CASCADE, related_name="social_posts")
    connection = models.ForeignKey(SocialConnection, on_delete=models.PROTECT, related_name="posts")
    network = models.CharField(_("network"), max_length=10, choices=Network.choices, default=Network.FACEBOOK)
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.POST)
    listing = models.UUIDField(_("listing"))
    message = models.TextField(_("message"), blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    external_id = models.CharField(_("post id"), max_length=100, blank=True, default="")
    external_ad_id = models.CharField(_("ad id"), max_length=100, blank=True, default="")
    budget = models.BigIntegerField(_("boost budget"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="XOF")
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True, default="")
    # set when a worker takes the network call (one call per post: a retry finds it taken)
    attempt_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    # what the network created on the way (a boost's campaign, ad set and creative ids)
    external_refs = models.JSONField(default=dict, blank=True, editable=False)
    impressions = models.BigIntegerField(_("impressions"), default=0)
    reach = models.BigIntegerField(_("reach"), default=0)
    clicks = models.BigIntegerField(_("clicks"), default=0)
    spend = models.BigIntegerField(_("spend"), default=0)  # minor units, as the network reports it
    results_imported_at = models.DateTimeField(_("results imported at"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("social post")
        verbose_name_plural = _("social posts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="boost") | Q(budget__gt=0), name="ads_boost_has_budget"),
        ]
