"""Training a HokweValuation version (manage.py scoring_train_valuation): on the generator's
data (`--simulated N`: the known rent function, measured against its noise floor) or on the
platform's agreed rents (every organization's active and ended leases, through estate's api).
80 % trains, 20 % is held out and measured; the version is stored with its metrics and
activated only when it passes its checks (services/valuation_model.py)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.estate import api as estate

from ..errors import ModelRejected
from ..models import ValuationModel
from .valuation_model import lease_rows, store
from .valuation_simulate import held_out, measure, split


def train_simulated(
    n: int, *, seed: int = 7, sigma: float = 0.12, max_iter: int = 300, activate: bool = True, version=None
) -> ValuationModel:
    estimator, vocabulary, train, metrics, residuals = measure(n, seed=seed, sigma=sigma, max_iter=max_iter)
    return store(
        estimator=estimator,
        vocabulary=vocabulary,
        train=train,
        metrics=metrics,
        residuals=residuals,
        source="simulated",
        activate=activate,
        version=version,
    )


def train_platform(
    *, seed: int = 7, max_iter: int = 300, activate: bool = True, today: date | None = None, version=None
) -> ValuationModel:
    today = today or timezone.localdate()
    rows = lease_rows(estate.valuation_leases(), today=today)
    train_i, test_i = split(len(rows), seed=seed)
    train, test = rows.take(train_i), rows.take(test_i)
    if len(train) < 2 or len(test) < 2:
        raise ModelRejected(
            _("Too few training rows: %(rows)s (at least %(minimum)s).")
            % {"rows": len(rows), "minimum": settings.SCORING_VALUATION_MIN_ROWS}
        )
    estimator, vocabulary, metrics, residuals = held_out(train, test, seed=seed, max_iter=max_iter)
    metrics["seed"] = seed
    return store(
        estimator=estimator,
        vocabulary=vocabulary,
        train=train,
        metrics=metrics,
        residuals=residuals,
        source="platform",
        activate=activate,
        version=version,
    )
