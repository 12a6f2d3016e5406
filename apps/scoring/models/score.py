"""score tables (see docs/scoring.md): the versioned scorecard models."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

__all__ = ["ScoreModel"]


class ScoreModel(BaseModel):
    """A trained scorecard, versioned: its bins, weights of evidence and coefficients are
    stored here and shown in the admin. One version is active at a time."""

    version = models.CharField(_("version"), max_length=40, unique=True)
    trained_on = models.CharField(_("trained on"), max_length=200, blank=True, default="")
    spec = models.JSONField(_("bins, weights and coefficients"), default=dict)
    metrics = models.JSONField(_("held-out metrics"), default=dict)
    active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("score model")
        verbose_name_plural = _("score models")
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="scoring_one_active_model"
            )
        ]

    def __str__(self):
        return self.version
