"""Saved searches with alerts, favourites and recently viewed listings (docs/market.md,
"Search")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

from .listing import Listing

__all__ = ["Favourite", "RecentView", "SavedSearch"]


class SavedSearch(BaseModel):
    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        PUSH = "push", _("push notification")
        EMAIL = "email", _("e-mail")
        NONE = "none", _("no alert")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    # the SearchQuery's fields (contracts.SearchQuery), as cleaned by services.search.clean_query
    query = models.JSONField(_("criteria"))
    channel = models.CharField(_("alert by"), max_length=5, choices=Channel.choices, default=Channel.SMS)
    active = models.BooleanField(_("alerts on"), default=True)
    # the alert run sends listings published after this moment, then moves it
    alerted_up_to = models.DateTimeField(_("alerted up to"))
    last_alert_at = models.DateTimeField(_("last alert"), null=True, blank=True)
    last_alert_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["user", "-created_at"]
        indexes = [models.Index(fields=["active", "alerted_up_to"], name="market_saved_due")]


class Favourite(BaseModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        ordering = ["user", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "listing"], name="market_favourite_once")]


class RecentView(BaseModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField(_("viewed at"))

    class Meta:
        verbose_name = _("recently viewed")
        verbose_name_plural = _("recently viewed")
        ordering = ["user", "-viewed_at"]
        constraints = [models.UniqueConstraint(fields=["user", "listing"], name="market_recent_once")]
        indexes = [models.Index(fields=["user", "-viewed_at"], name="market_recent_user")]
