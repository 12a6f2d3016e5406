"""The fairness report (distributions per country and city, approval rates by band) and the
admin of the score's life: the report page, the access log, a score opened by staff is a
logged read."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.scoring.models import Score, ScoreAccess, ScreeningReport, ScreeningRequest
from apps.scoring.services import scores
from apps.scoring.services.fairness import EXCLUDED_FEATURES, fairness_report
from tests.identity.factories import UserFactory
from tests.scoring.conftest import build_rent_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(db):
    cache.clear()
    histories = [
        build_rent_history(city="Cotonou", country="BJ"),
        build_rent_history(city="Parakou", country="BJ"),
        build_rent_history(city="Lomé", country="TG"),
    ]
    scores.rescore_all(histories[0].as_of)
    thin = UserFactory()
    scores.rescore(thin.public_id, reason="test")  # no lease: no place
    yield histories
    cache.clear()


def test_distributions_per_country_and_city(scored):
    report = fairness_report()
    assert report.users == 4
    countries = {row.country: row for row in report.by_country}
    assert set(countries) == {"BJ", "TG", "—"}
    assert countries["BJ"].users == 2 and countries["TG"].users == 1
    assert countries["—"].thin_file == 1 and countries["—"].mean is None
    cities = {(row.country, row.city): row for row in report.by_city}
    assert set(cities) == {("BJ", "Cotonou"), ("BJ", "Parakou"), ("TG", "Lomé"), ("—", "—")}
    lome = cities[("TG", "Lomé")]
    stored = Score.objects.get(user=scored[2].tenant)
    assert lome.p10 == lome.p50 == lome.p90 == stored.score and lome.mean == stored.score
    assert sum(lome.band_counts) == 1 and lome.bands == {stored.band: 1}


def test_the_same_history_scores_the_same_in_every_city(scored):
    """No place is a feature: identical payment histories in Cotonou, Parakou and Lomé."""
    values = {Score.objects.get(user=h.tenant).score for h in scored}
    assert len(values) == 1


def _report(org, manager, band: str, recommendation: str, decision: str = ""):
    request = ScreeningRequest.objects.create(
        number=f"SCR-{uuid.uuid4().hex[:8]}",
        organization=org,
        requested_by=manager,
        unit=uuid.uuid4(),
        unit_label="A1",
        rent=80_000,
        currency="XOF",
        applicant_phone="+22901999999",
        consent_token=uuid.uuid4().hex,
        status=ScreeningRequest.Status.ISSUED,
        decision=decision,
    )
    now = timezone.now()
    return ScreeningReport.objects.create(
        request=request,
        number=f"RPT-{uuid.uuid4().hex[:8]}",
        issued_at=now,
        expires_at=now + timedelta(days=30),
        recommendation=recommendation,
        snapshot={"score": {"score": 700, "band": band}},
    )


def test_approval_rates_by_band_from_screening(scored):
    org, manager = scored[0].agency, scored[0].manager
    _report(org, manager, "good", "accept", "accepted")
    _report(org, manager, "good", "conditions", "declined")
    _report(org, manager, "good", "accept")
    _report(org, manager, "poor", "decline", "declined")
    rows = {row.band: row for row in fairness_report().approvals}
    assert set(rows) == {"good", "poor"}
    good = rows["good"]
    assert (good.reports, good.recommended, good.decided, good.accepted) == (3, 3, 2, 1)
    assert good.recommended_rate == 100.0 and good.accepted_rate == 50.0
    assert rows["poor"].recommended_rate == 0.0


def test_the_excluded_features_are_listed():
    from django.utils import translation

    with translation.override("en"):
        names = " ".join(str(name) for name, _why in EXCLUDED_FEATURES)
    for word in ("sex", "ethnicity", "religion", "neighbourhood"):
        assert word in names


# --- admin ---------------------------------------------------------------------------------------


def test_staff_read_the_fairness_report_in_the_admin(scored):
    from tests.wallet.test_safeguarding import admin_client

    client = admin_client(UserFactory(is_staff=True, staff_role="compliance"))
    page = client.get("/admin/scoring/score/fairness/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cotonou" in text and "Lomé" in text and "TG" in text
    listing = client.get("/admin/scoring/score/")
    assert listing.status_code == 200 and "/admin/scoring/score/fairness/" in listing.content.decode()


def test_opening_a_score_in_the_admin_is_a_logged_read(scored):
    from tests.wallet.test_safeguarding import admin_client

    staff = UserFactory(is_staff=True, staff_role="compliance", full_name="Analyste Risque")
    client = admin_client(staff)
    row = Score.objects.get(user=scored[0].tenant)
    page = client.get(f"/admin/scoring/score/{row.pk}/change/")
    assert page.status_code == 200 and str(row.score) in page.content.decode()
    access = ScoreAccess.objects.get(subject=scored[0].tenant)
    assert (access.viewer_id, access.why, access.viewer_label) == (staff.pk, "staff", "Analyste Risque")
    log = client.get("/admin/scoring/scoreaccess/")
    assert log.status_code == 200 and "Analyste Risque" in log.content.decode()
    assert client.post(f"/admin/scoring/scoreaccess/{access.pk}/delete/").status_code == 403
    assert client.post(f"/admin/scoring/score/{row.pk}/delete/").status_code == 403


def test_a_tenant_cannot_open_the_admin_report(scored):
    from django.test import Client

    client = Client()
    client.force_login(scored[0].tenant)
    assert client.get("/admin/scoring/score/fairness/").status_code in (302, 403)
