"""The simulated tenant population (services/simulate.py): reproducible, consistent features,
and the documented process visible in the outcome."""

from __future__ import annotations

import numpy as np
import pytest

from apps.scoring.contracts import ScoreFeatures
from apps.scoring.services import simulate
from apps.scoring.services.model import FEATURE_FIELDS


@pytest.fixture(scope="module")
def population():
    return simulate.simulate(8000, seed=9)


def col(population, name):
    return population.X[:, FEATURE_FIELDS.index(name)]


def test_a_seed_gives_the_same_population_and_another_seed_another():
    a, b, c = simulate.simulate(500, seed=1), simulate.simulate(500, seed=1), simulate.simulate(500, seed=2)
    assert np.array_equal(a.X, b.X) and np.array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)


def test_features_are_consistent_like_the_platform_s(population):
    months = col(population, "months_observed")
    assert months.min() >= 1 and months.max() <= 24
    counted = sum(col(population, n) for n in ("on_time_12", "late_12", "partial_12", "unpaid_12"))
    assert (counted == np.minimum(months, 12)).all()
    assert (col(population, "tenure_months") <= months).all()
    opened = col(population, "recovery_opened")
    assert (col(population, "recovery_paid") + col(population, "recovery_written_off") <= opened).all()
    late = col(population, "late_12")
    assert (col(population, "avg_days_late_12")[late == 0] == 0).all()
    assert (col(population, "avg_days_late_12") <= col(population, "max_days_late_12")).all()
    assert col(population, "wallet_active_months_6").max() <= 6


def test_the_outcome_follows_the_behaviour_types(population):
    assert 0.05 < population.y.mean() < 0.2
    rates = [population.y[population.kind == k].mean() for k in range(len(simulate.TYPES))]
    assert rates == sorted(rates)  # steady < stretched < volatile < distressed
    shares = np.bincount(population.kind, minlength=4) / len(population.kind)
    assert shares[0] == pytest.approx(0.55, abs=0.03)
    # the history says something: unpaid months in the past year go with the outcome
    unpaid = col(population, "unpaid_12") > 0
    assert population.y[unpaid].mean() > 3 * population.y[~unpaid].mean()


def test_rows_are_score_features_with_an_outcome():
    rows = simulate.simulated_rows(50, seed=3)
    assert len(rows) == 50
    features, outcome = rows[0]
    assert isinstance(features, ScoreFeatures) and isinstance(outcome, bool)
    assert isinstance(features.avg_days_late_12, float) and isinstance(features.on_time_12, int)
