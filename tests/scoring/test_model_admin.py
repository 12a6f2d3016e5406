"""The ScoreModel admin: versions with their coefficients and metrics, read only; compliance
activates a version (checked first: a refused one leaves the active version); other staff read."""

import copy

import pytest
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.scoring.models import ScoreModel
from apps.scoring.services import model as scorecard
from apps.scoring.services import simulate, training
from tests.identity.test_admin_and_audit import admin_login, staff

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:scoring_scoremodel_changelist"


@pytest.fixture(scope="module")
def trained():
    population = simulate.simulate(3000, seed=13)
    return training.train(population.X, population.y, seed=13)


@pytest.fixture
def versions(trained):
    scorecard.forget_loaded()
    first = scorecard.save_model(
        trained.spec, version="adm-1", trained_on="simulated", metrics=trained.metrics, make_active=True
    )
    second = scorecard.save_model(
        trained.spec, version="adm-2", trained_on="simulated", metrics=trained.metrics
    )
    bad = copy.deepcopy(trained.spec)
    bad["variables"][0].pop("coef")
    broken = ScoreModel.objects.create(version="adm-bad", spec=bad)
    return first, second, broken


def test_a_version_shows_its_coefficients_and_metrics(versions, trained):
    first, _second, broken = versions
    person, device = staff("finance")
    client, _ = admin_login(person, device)
    listing = client.get(reverse(CHANGELIST)).content.decode()
    assert "adm-1" in listing and "adm-2" in listing
    assert f"{trained.metrics['held_out']['auc']:.3f}" in listing
    page = client.get(reverse("admin:scoring_scoremodel_change", args=[first.pk])).content.decode()
    for var in trained.spec["variables"]:
        assert var["name"] in page and f"{var['coef']:.4f}" in page
    assert "pts" in page and "AUC" in page
    broken_page = client.get(reverse("admin:scoring_scoremodel_change", args=[broken.pk])).content.decode()
    assert "missing coefficient" in broken_page


def test_compliance_activates_a_version_and_a_refused_one_leaves_the_active(versions):
    first, second, broken = versions
    officer, device = staff("compliance")
    client, _ = admin_login(officer, device)
    client.post(reverse(CHANGELIST), {"action": "activate_version", "_selected_action": [second.pk]})
    assert ScoreModel.objects.get(active=True) == second
    assert AuditEntry.objects.filter(action="scoring.model.activated", target_label="adm-2").exists()
    client.post(reverse(CHANGELIST), {"action": "activate_version", "_selected_action": [broken.pk]})
    assert ScoreModel.objects.get(active=True) == second
    assert scorecard.active_model().version == "adm-2"


def test_other_staff_read_but_cannot_activate(versions):
    first, second, _broken = versions
    person, device = staff("finance")
    client, _ = admin_login(person, device)
    client.post(reverse(CHANGELIST), {"action": "activate_version", "_selected_action": [second.pk]})
    assert ScoreModel.objects.get(active=True) == first
