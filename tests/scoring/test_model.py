"""The scorecard at run time (services/model.py): range, bands, thin file, reasons in French and
English, monotonicity (property-based), loyalty tiers, checks at load and versioned activation."""

from __future__ import annotations

import copy
from dataclasses import fields, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.scoring.contracts import ScoreBand, ScoreFeatures
from apps.scoring.errors import ModelRejected
from apps.scoring.models import ScoreModel
from apps.scoring.services import model as scorecard
from apps.scoring.services import simulate, training

PROVISIONAL = scorecard.load(scorecard.provisional_spec(), version="provisional-test")


@pytest.fixture(scope="module")
def trained():
    population = simulate.simulate(4000, seed=7)
    result = training.train(population.X, population.y, seed=7)
    return result, scorecard.load(result.spec, version="trained-test")


def features_strategy(min_months=0):
    def build(
        months, on_time, late, partial, unpaid, days, tenure, rec, paid, off, kept, broken, ton, tlate, tdef
    ):
        late = min(late, months)
        return ScoreFeatures(
            months_observed=months,
            on_time_12=min(on_time, 12),
            late_12=min(late, 12),
            partial_12=partial,
            unpaid_12=unpaid,
            avg_days_late_12=float(days if late else 0),
            max_days_late_12=days if late else 0,
            tenure_months=tenure,
            recovery_opened=rec,
            recovery_paid=min(paid, rec),
            recovery_written_off=off,
            promises_kept=kept,
            promises_broken=broken,
            tontine_on_time=ton,
            tontine_late=tlate,
            tontine_defaults=tdef,
            split_streak_max=ton // 2,
            wallet_active_months_6=min(ton, 6),
            kyc_tier=tdef % 4,
        )

    small = st.integers(0, 12)
    return st.builds(
        build,
        st.integers(min_months, 36),
        small,
        small,
        st.integers(0, 6),
        st.integers(0, 6),
        st.integers(0, 120),
        st.integers(0, 72),
        st.integers(0, 4),
        st.integers(0, 4),
        st.integers(0, 2),
        st.integers(0, 5),
        st.integers(0, 5),
        small,
        small,
        st.integers(0, 3),
    )


# -- range, bands, thin file --------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.lists(features_strategy(), min_size=1, max_size=30))
def test_every_score_is_in_300_850_or_a_thin_file_without_a_number(batch):
    for features, (score, band, reasons) in zip(
        batch, scorecard.score_many(batch, model=PROVISIONAL), strict=True
    ):
        if features.months_observed < 6:
            assert score is None and band == ScoreBand.THIN_FILE
            assert [r.code for r in reasons] == ["thin_file"]
        else:
            assert 300 <= score <= 850
            assert band == scorecard.band_for(score) != ScoreBand.THIN_FILE
            assert len(reasons) <= 4


def test_bands_follow_the_documented_edges():
    assert [scorecard.band_for(s) for s in (850, 760, 759, 680, 679, 600, 599, 500, 499, 300, None)] == [
        ScoreBand.EXCELLENT,
        ScoreBand.EXCELLENT,
        ScoreBand.GOOD,
        ScoreBand.GOOD,
        ScoreBand.FAIR,
        ScoreBand.FAIR,
        ScoreBand.WEAK,
        ScoreBand.WEAK,
        ScoreBand.POOR,
        ScoreBand.POOR,
        ScoreBand.THIN_FILE,
    ]


def test_thin_file_gets_no_number_and_a_path_to_build_one(settings):
    five = ScoreFeatures(months_observed=5, on_time_12=5, tenure_months=5)
    (score, band, reasons), (score6, _b, _r) = scorecard.score_many(
        [five, replace(five, months_observed=6, on_time_12=6)], model=PROVISIONAL, language="fr"
    )
    assert score is None and band == ScoreBand.THIN_FILE
    assert reasons[0].text == (
        "Pas encore assez d'historique : payez encore 1 mois de loyer via Hokwe pour obtenir un score"
    )
    assert score6 is not None
    settings.SCORING_THIN_FILE_MONTHS = 12
    ((score, band, reasons),) = scorecard.score_many(
        [replace(five, months_observed=9)], model=PROVISIONAL, language="en"
    )
    assert score is None and "3 more months" in reasons[0].text


# -- monotonicity (property-based) --------------------------------------------------------


def _score(model, features):
    return scorecard.score_many([features], model=model)[0].score


@settings(max_examples=50, deadline=None)
@given(features_strategy(min_months=6), st.integers(1, 6))
def test_more_on_time_months_never_lowers_the_score(features, extra):
    for model in (PROVISIONAL,):
        before = _score(model, features)
        after = _score(model, replace(features, on_time_12=min(features.on_time_12 + extra, 12)))
        assert after >= before
        longer = replace(features, months_observed=features.months_observed + extra)
        assert _score(model, longer) >= before


@settings(max_examples=40, deadline=None)
@given(features_strategy(min_months=6), st.integers(1, 5))
def test_trained_model_more_on_time_months_never_lowers_the_score(trained, features, extra):
    _result, model = trained
    before = _score(model, features)
    assert _score(model, replace(features, on_time_12=min(features.on_time_12 + extra, 12))) >= before


# each raw feature with the direction it may move the score (recovery_paid raises through
# recovery_unresolved; promises_kept is not a model variable)
DIRECTIONS = {
    **{
        v.name: v.direction
        for v in scorecard.VARIABLES.values()
        if v.name in {f.name for f in fields(ScoreFeatures)}
    },
    "recovery_opened": "lowers",
    "recovery_paid": "raises",
}


@settings(max_examples=40, deadline=None)
@given(features_strategy(min_months=6), st.sampled_from(sorted(DIRECTIONS)), st.integers(1, 10))
def test_every_feature_moves_the_score_only_in_its_written_down_direction(trained, features, name, step):
    _result, model = trained
    for m in (PROVISIONAL, model):
        before = _score(m, features)
        after = _score(m, replace(features, **{name: getattr(features, name) + step}))
        if DIRECTIONS[name] == "raises":
            assert after >= before, name
        else:
            assert after <= before, name


# -- reasons ------------------------------------------------------------------------------


LATE = ScoreFeatures(
    months_observed=14,
    on_time_12=8,
    late_12=3,
    unpaid_12=1,
    avg_days_late_12=12.0,
    max_days_late_12=35,
    tenure_months=14,
    kyc_tier=1,
)


def test_reasons_in_french_and_english_top_four_by_points():
    ((score, _band, fr),) = scorecard.score_many([LATE], model=PROVISIONAL, language="fr")
    ((_s, _b, en),) = scorecard.score_many([LATE], model=PROVISIONAL, language="en")
    assert "3 loyers payés en retard au cours des 12 derniers mois" in [r.text for r in fr]
    assert "3 rents paid late in the last 12 months" in [r.text for r in en]
    assert [r.code for r in fr] == [r.code for r in en]
    assert len(fr) == 4
    weights = [abs(r.weight) for r in fr]
    assert weights == sorted(weights, reverse=True)
    for r in fr:
        assert r.direction == ("lowers" if r.weight < 0 else "raises")
    assert {r.code for r in fr} >= {"late_12", "unpaid_12"}
    assert all(r.direction == "lowers" for r in fr if r.code in {"late_12", "unpaid_12"})


def test_a_batch_scores_each_user_as_alone():
    batch = [
        LATE,
        ScoreFeatures(months_observed=30, on_time_12=12, tenure_months=30),
        ScoreFeatures(months_observed=2),
    ]
    together = scorecard.score_many(batch, model=PROVISIONAL, language="fr")
    alone = [scorecard.score_many([f], model=PROVISIONAL, language="fr")[0] for f in batch]
    assert together == alone
    assert scorecard.score_many([], model=PROVISIONAL) == []


# -- loyalty ------------------------------------------------------------------------------


def test_loyalty_tiers_reward_long_regular_tenants():
    base = ScoreFeatures(months_observed=40, on_time_12=12, tenure_months=40)
    assert scorecard.loyalty_tier(base) == "gold"
    assert scorecard.loyalty_tier(replace(base, on_time_12=11)) == "silver"  # 92 % on time
    assert scorecard.loyalty_tier(replace(base, tenure_months=26)) == "silver"
    assert scorecard.loyalty_tier(replace(base, tenure_months=13, on_time_12=10)) == "bronze"
    assert scorecard.loyalty_tier(replace(base, tenure_months=11)) == ""
    assert scorecard.loyalty_tier(replace(base, unpaid_12=1)) == ""
    assert scorecard.loyalty_tier(replace(base, recovery_opened=1)) == ""
    assert scorecard.loyalty_tier(replace(base, recovery_opened=1, recovery_paid=1)) == "gold"
    assert scorecard.loyalty_tiers([base, ScoreFeatures()]) == ["gold", ""]


# -- checks at load -----------------------------------------------------------------------


def _broken(change):
    spec = copy.deepcopy(scorecard.provisional_spec())
    change(spec)
    return spec


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda s: s["variables"][1].pop("coef"), "on_time_12: missing coefficient"),
        (lambda s: s["variables"][1]["woe"].reverse(), "on_time_12: monotonicity violated"),
        (lambda s: s["variables"][2].update(direction="raises"), "late_12: direction must be 'lowers'"),
        (lambda s: s["variables"][2].update(coef=0.4), "late_12: positive coefficient"),
        (lambda s: s["variables"].append({"name": "ethnicity", "coef": -1}), "unknown variable 'ethnicity'"),
        (lambda s: s["variables"][0].update(cuts=[24, 12]), "months_observed: cuts must increase"),
        (lambda s: s["variables"][0]["woe"].pop(), "months_observed: one weight of evidence per bin"),
        (lambda s: s.pop("intercept"), "missing intercept"),
    ],
)
def test_a_bad_spec_is_refused_at_load(change, problem):
    spec = _broken(change)
    assert any(p.startswith(problem) for p in scorecard.check_spec(spec)), scorecard.check_spec(spec)
    with pytest.raises(ModelRejected):
        scorecard.load(spec)


def test_the_provisional_and_a_trained_spec_pass(trained):
    result, _model = trained
    assert scorecard.check_spec(scorecard.provisional_spec()) == []
    assert scorecard.check_spec(result.spec) == []


# -- versions -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_an_active_version_the_provisional_one_scores():
    scorecard.forget_loaded()
    assert scorecard.active_model().version == "provisional-0"


@pytest.mark.django_db
def test_activating_a_refused_version_keeps_the_previous_one(trained):
    result, _model = trained
    scorecard.forget_loaded()
    good = scorecard.save_model(
        result.spec, version="t-good", trained_on="test", metrics={}, make_active=True
    )
    assert scorecard.active_model().version == "t-good"
    bad_spec = copy.deepcopy(result.spec)
    bad_spec["variables"][0].pop("coef")
    with pytest.raises(ModelRejected):  # refused before being stored
        scorecard.save_model(bad_spec, version="t-bad", trained_on="test", metrics={})
    assert not ScoreModel.objects.filter(version="t-bad").exists()
    ScoreModel.objects.create(version="t-bad", spec=bad_spec)  # e.g. imported by hand
    with pytest.raises(ModelRejected):
        scorecard.activate("t-bad")
    good.refresh_from_db()
    assert good.active
    assert list(ScoreModel.objects.filter(active=True).values_list("version", flat=True)) == ["t-good"]
    assert scorecard.active_model().version == "t-good"


@pytest.mark.django_db
def test_an_active_spec_broken_in_the_database_is_refused_at_load(trained):
    result, _model = trained
    scorecard.forget_loaded()
    scorecard.save_model(result.spec, version="t-first", trained_on="test", metrics={}, make_active=True)
    second = scorecard.save_model(
        result.spec, version="t-second", trained_on="test", metrics={}, make_active=True
    )
    assert scorecard.active_model().version == "t-second"
    broken = copy.deepcopy(result.spec)
    broken["variables"][0]["woe"].reverse()  # a monotonicity violation
    second.spec = broken
    second.save()
    assert scorecard.active_model().version == "t-second"  # this process keeps its good copy
    scorecard.forget_loaded()  # a fresh worker: the latest version that passes
    assert scorecard.active_model().version == "t-first"
    assert scorecard.score_many([LATE])[0].score is not None


def test_a_trained_model_explains_a_low_on_time_count_by_the_late_months(trained):
    _result, model = trained
    late = replace(LATE, unpaid_12=0, on_time_12=1, late_12=11)
    ((_score, _band, fr),) = scorecard.score_many([late], model=model, language="fr")
    on_time = [r for r in fr if r.code == "on_time_12"]
    assert on_time and on_time[0].direction == "lowers"
    assert on_time[0].text == "11 loyers payés en retard au cours des 12 derniers mois"
    ((_score, _band, fr),) = scorecard.score_many(
        [replace(late, on_time_12=12, late_12=0)], model=model, language="fr"
    )
    assert "12 loyers payés à l'heure au cours des 12 derniers mois" in [r.text for r in fr]
