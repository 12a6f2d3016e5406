"""valuation tables (see docs/scoring.md « HokweValuation»): the versioned hedonic models."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

__all__ = ["ValuationModel"]


class ValuationModel(BaseModel):
    """A trained hedonic rent model (scikit-learn HistGradientBoostingRegressor on log rent),
    versioned: the fitted estimator (pickled, with its SHA-256), its feature vocabularies,
    held-out metrics and probe predictions that must be reproduced at load. One version is
    active at a time; a version that fails its checks is kept with the reason, never active."""

    version = models.CharField(_("version"), max_length=40, unique=True)
    source = models.CharField(_("trained on"), max_length=20)  # "simulated" | "platform"
    rows = models.PositiveIntegerField(_("training rows"), default=0)
    estimator = models.BinaryField(_("fitted estimator"))
    sha256 = models.CharField(_("SHA-256 of the estimator"), max_length=64)
    spec = models.JSONField(_("features, vocabularies and probes"), default=dict)
    metrics = models.JSONField(_("held-out metrics"), default=dict)
    active = models.BooleanField(_("active"), default=False)
    rejected_reason = models.CharField(_("rejected because"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("valuation model")
        verbose_name_plural = _("valuation models")
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="scoring_one_active_valuation_model"
            )
        ]

    def __str__(self):
        return self.version
