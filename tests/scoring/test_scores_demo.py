"""The demo: a scorecard trained on simulated data when none is active, then every demo
tenant scored with reasons; a second run changes nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from apps.scoring import demo
from apps.scoring.models import Score, ScoreHistory, ScoreModel
from tests.identity.factories import UserFactory
from tests.scoring.conftest import build_rent_history

pytestmark = pytest.mark.django_db


def test_the_demo_trains_a_scorecard_and_scores_the_tenants(db):
    cache.clear()
    history = build_rent_history()
    ctx = {}
    demo.seed(ctx)
    model = ScoreModel.objects.get(active=True)
    assert model.version.startswith("simulated") and model.metrics["held_out"]["auc"] > 0.6
    row = Score.objects.get(user=history.tenant)
    assert row.score is not None and row.model_version == model.version
    assert row.reasons and all(r["text"]["fr"] and r["text"]["en"] for r in row.reasons)
    assert ctx["scoring_scores"]["users"] == 1

    demo.seed(ctx)  # idempotent: the active model stays, no score changes
    assert ScoreModel.objects.count() == 1
    assert ctx["scoring_scores"] == {"users": 1, "created": 0, "updated": 0, "history": 0}
    assert ScoreHistory.objects.filter(user=history.tenant).count() == 1
    cache.clear()


def test_a_demo_tenant_with_a_short_history_gets_the_way_to_build_one(db):
    from datetime import date

    from tests.fixtures.estate import first_of_month, lease_for, managed_property
    from tests.identity.factories import MembershipFactory, OrganizationFactory

    cache.clear()
    agency = OrganizationFactory(kind="agency")
    manager = MembershipFactory(organization=agency, role="owner").user
    tenant = UserFactory()
    lease_for(
        manager,
        managed_property(agency),
        tenant,
        start_date=first_of_month(date.today(), 2),
        deposit_months=0,
    )
    demo.seed({})
    row = Score.objects.get(user=tenant)
    assert row.score is None and row.band == "thin_file"
    assert [r["code"] for r in row.reasons] == ["thin_file"]
    cache.clear()
