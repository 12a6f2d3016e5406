"""The score's life (docs/scoring.md « The rent score »): each user's current score, the
history of every change, the events already counted (idempotency) and the access log
(who read whose score, and why)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

from ..contracts import ScoreBand

__all__ = ["ProcessedEvent", "Score", "ScoreAccess", "ScoreHistory"]

BAND_CHOICES = [(b.value, b.value) for b in ScoreBand]


class Score(BaseModel):
    """A user's latest score: one row per user, replaced by each rescore. `features` are the
    inputs it was computed from, `reasons` the reason codes (code, direction, weight, text)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)  # None: thin file
    band = models.CharField(_("band"), max_length=12, choices=BAND_CHOICES)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    features = models.JSONField(_("features"), default=dict, blank=True)
    model_version = models.CharField(_("model version"), max_length=40, blank=True, default="")
    loyalty_tier = models.CharField(_("loyalty tier"), max_length=20, blank=True, default="")
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("rent score")
        verbose_name_plural = _("rent scores")
        indexes = [models.Index(fields=["band"], name="scoring_score_band_idx")]

    def __str__(self):
        return f"{self.user_id}: {self.score if self.score is not None else self.band}"


class ScoreHistory(BaseModel):
    """One row each time a user's score, band or model changed (never updated)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    band = models.CharField(_("band"), max_length=12, choices=BAND_CHOICES)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    model_version = models.CharField(_("model version"), max_length=40, blank=True, default="")
    trigger = models.CharField(_("why it was computed"), max_length=80, blank=True, default="")
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("score history")
        verbose_name_plural = _("score history")
        indexes = [models.Index(fields=["user", "computed_at"], name="scoring_history_user_idx")]

    def __str__(self):
        return f"{self.user_id} {self.computed_at:%Y-%m-%d}: {self.score}"


class ProcessedEvent(models.Model):
    """An event (outbox event id) scoring has counted: a second delivery finds it here and
    changes nothing (« an event processed twice changes the score once »)."""

    id = models.BigAutoField(primary_key=True)
    event_id = models.UUIDField(_("event id"), unique=True)
    name = models.CharField(_("event"), max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    processed_at = models.DateTimeField(_("processed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("processed event")
        verbose_name_plural = _("processed events")

    def __str__(self):
        return f"{self.name} {self.event_id}"


class ScoreAccess(models.Model):
    """Every read of a user's score: who read it, whose, why, and when (never updated)."""

    id = models.BigAutoField(primary_key=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("whose score")
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("read by"),
    )
    viewer_label = models.CharField(_("read by (name)"), max_length=150, blank=True, default="")
    why = models.CharField(_("why"), max_length=60)
    accessed_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("score access")
        verbose_name_plural = _("score access log")
        indexes = [models.Index(fields=["subject", "accessed_at"], name="scoring_access_subject_idx")]

    def __str__(self):
        return f"{self.subject_id} read by {self.viewer_id} ({self.why})"
