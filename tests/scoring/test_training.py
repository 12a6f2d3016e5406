"""Training the scorecard (services/training.py) and the `scoring_train` command: monotone
binning, refusal of a violating model, held-out metrics, stored and activated versions."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from apps.scoring.errors import ModelRejected
from apps.scoring.models import ScoreModel
from apps.scoring.services import model as scorecard
from apps.scoring.services import simulate, training


@pytest.fixture(scope="module")
def trained():
    population = simulate.simulate(5000, seed=11)
    return training.train(population.X, population.y, seed=11)


def test_held_out_metrics_are_reported_and_discriminate(trained):
    held = trained.metrics["held_out"]
    assert held["rows"] == 1500  # 30 % held out
    assert held["auc"] > 0.8
    assert held["gini"] == pytest.approx(2 * held["auc"] - 1, abs=1e-3)
    assert 0.4 < held["ks"] < 1
    assert 0 < held["brier"] < 0.15
    assert len(held["calibration"]) == 10
    predicted = [row["predicted"] for row in held["calibration"]]
    assert predicted == sorted(predicted)
    # calibrated: the riskiest decile's observed rate is near its predicted one, far above the safest
    top, bottom = held["calibration"][-1], held["calibration"][0]
    assert abs(top["observed"] - top["predicted"]) < 0.15
    assert top["observed"] > 5 * max(bottom["observed"], 0.01)
    bands = held["bands"]
    assert bands["poor"]["bad_rate"] > bands["fair"]["bad_rate"] > bands["excellent"]["bad_rate"]


def test_every_kept_variable_has_woe_monotone_in_its_direction(trained):
    assert trained.spec["variables"]
    for var in trained.spec["variables"]:
        steps = np.diff(var["woe"])
        if var["direction"] == "raises":
            assert (steps >= 0).all(), var["name"]
        else:
            assert (steps <= 0).all(), var["name"]
        assert var["coef"] <= 0
        assert sum(b["rows"] for b in var["bins"]) == trained.spec["training"]["train_rows"]
    kept = {v["name"] for v in trained.spec["variables"]}
    assert {"on_time_12", "unpaid_12"} <= kept
    assert kept.isdisjoint(trained.spec["dropped"])
    assert scorecard.check_spec(trained.spec) == []


def test_binning_merges_bins_until_the_woe_is_monotone():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 10, size=20_000).astype(float)
    # U-shaped risk: a "raises" variable whose raw bins are not monotone
    p_bad = np.where(x < 3, 0.3, np.where(x < 7, 0.05, 0.15))
    y = rng.random(len(x)) < p_bad
    cuts, woe, total, bads, iv = training.bin_variable(x, y, "raises")
    assert len(cuts) < 9
    assert (np.diff(woe) >= 0).all()
    assert total.sum() == len(x) and iv > 0
    cuts, woe, *_ = training.bin_variable(x, y, "lowers")
    assert (np.diff(woe) <= 0).all()


def test_a_variable_with_no_monotone_evidence_is_left_out():
    population = simulate.simulate(3000, seed=5)
    X = population.X.copy()
    kyc = scorecard.FEATURE_FIELDS.index("kyc_tier")
    X[:, kyc] = np.where(population.y, 3, 0)  # higher tier = riskier: against its direction
    result = training.train(X, population.y, seed=5)
    assert "kyc_tier" in result.spec["dropped"]
    assert "kyc_tier" not in {v["name"] for v in result.spec["variables"]}


def test_training_refuses_data_without_both_outcomes():
    population = simulate.simulate(1000, seed=2)
    with pytest.raises(ModelRejected):
        training.train(population.X, np.zeros(1000, dtype=bool))


@pytest.mark.django_db
def test_command_trains_on_a_simulated_population_and_activates_the_version():
    scorecard.forget_loaded()
    call_command("scoring_train", "--simulated", "3000", "--seed", "4")
    row = ScoreModel.objects.get(active=True)
    assert row.version.startswith("sim-")
    assert "3000 tenants" in row.trained_on
    assert row.metrics["held_out"]["auc"] > 0.75
    assert scorecard.active_model().version == row.version
    call_command("scoring_train", "--simulated", "2000", "--seed", "5", "--no-activate")
    assert ScoreModel.objects.count() == 2
    assert ScoreModel.objects.get(active=True) == row


@pytest.mark.django_db
def test_command_on_an_empty_platform_refuses_and_keeps_the_active_version():
    with pytest.raises(CommandError, match="refused"):
        call_command("scoring_train", "--platform")
    assert not ScoreModel.objects.exists()
    with pytest.raises(CommandError):
        call_command("scoring_train", "--simulated", "10")


def test_platform_dataset_reads_features_at_the_cutoff_and_the_outcome_after(rent_history):
    from datetime import date, timedelta

    today = date.today()
    X, y = training.platform_dataset(today=today, horizon_months=12)
    assert X.shape == (1, len(scorecard.columns()))  # the fields, then the registered sources'
    months = X[0, scorecard.FEATURE_FIELDS.index("months_observed")]
    assert 1 <= months <= 2  # the lease's first month(s), as they were 12 months ago
    assert y.tolist() == [False]  # the half-paid due is not 90 days past due yet
    later = today + timedelta(days=75)
    _X, y = training.platform_dataset(today=later, horizon_months=12)
    assert y.tolist() == [True]  # now it is: a 90-day serious delinquency after the cutoff
