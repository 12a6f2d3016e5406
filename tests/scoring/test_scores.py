"""The score's life: rescore one user (stored, history kept when it changes, cached in
Redis), the nightly batch, reading a score (logged: who, whose, why) and who may read it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from apps.core.errors import Forbidden, NotFound
from apps.scoring import api as scoring
from apps.scoring.contracts import ScoreBand
from apps.scoring.models import Score, ScoreAccess, ScoreHistory
from apps.scoring.services import scores
from tests.fixtures.estate import pay_rent
from tests.scoring.conftest import build_rent_history

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_rescore_stores_the_score_with_reasons_and_caches_it(
    rent_history, django_capture_on_commit_callbacks
):
    tenant = rent_history.tenant
    with django_capture_on_commit_callbacks(execute=True):
        info = scores.rescore(tenant.public_id, reason="test", today=rent_history.as_of, language="fr")
    assert info.score is not None and 300 <= info.score <= 850
    assert info.band not in (ScoreBand.THIN_FILE,)
    assert info.features.months_observed == 13 and info.features.late_12 == 2
    assert 1 <= len(info.reasons) <= 4
    assert all(r.direction in ("raises", "lowers") and r.text for r in info.reasons)
    row = Score.objects.get(user=tenant)
    assert (row.score, row.band) == (info.score, info.band)
    assert {lang for r in row.reasons for lang in r["text"]} == {"fr", "en"}
    assert ScoreHistory.objects.filter(user=tenant).count() == 1
    cached = cache.get(scores.cache_key(tenant.public_id))
    assert cached["score"] == info.score and cached["band"] == str(info.band)


def test_the_same_facts_twice_keep_one_history_row(rent_history, django_capture_on_commit_callbacks):
    tenant = rent_history.tenant
    with django_capture_on_commit_callbacks(execute=True):
        first = scores.rescore(tenant.public_id, reason="a", today=rent_history.as_of)
        second = scores.rescore(tenant.public_id, reason="b", today=rent_history.as_of)
    assert first.score == second.score
    assert ScoreHistory.objects.filter(user=tenant).count() == 1
    assert Score.objects.filter(user=tenant).count() == 1


def test_a_change_in_the_facts_adds_history(rent_history, django_capture_on_commit_callbacks):
    tenant = rent_history.tenant
    scores.rescore(tenant.public_id, reason="before", today=rent_history.as_of)
    # the partly paid month and the unpaid one are paid in full, on the last day
    owed = sum(d.total for d in rent_history.dues[11:]) - rent_history.dues[11].total // 2
    with django_capture_on_commit_callbacks(execute=True):
        pay_rent(
            rent_history.manager, rent_history.lease, owed, received_on=rent_history.as_of, reference="ALL"
        )
    after = scores.rescore(tenant.public_id, reason="paid", today=rent_history.as_of)
    assert after.features.partial_12 == 0 and after.features.unpaid_12 == 0
    history = list(ScoreHistory.objects.filter(user=tenant).order_by("computed_at", "id"))
    # estate's events rescored the tenant as soon as the payment was applied (handlers.py)
    assert history[0].trigger == "before" and len(history) >= 2
    assert {h.trigger for h in history[1:]} & {"estate.RentDuePaid", "estate.RentPaymentApplied"}
    assert Score.objects.get(user=tenant).score > history[0].score


def test_thin_file_has_no_number_and_says_how_to_build_one(db, django_capture_on_commit_callbacks):
    from tests.identity.factories import UserFactory

    user = UserFactory()
    with translation.override("fr"):
        info = scores.get_score(user.public_id, viewer=user, why="self")
    assert info.score is None and info.band == ScoreBand.THIN_FILE
    assert info.reasons and info.reasons[0].code == "thin_file"
    assert Score.objects.filter(user=user, score=None, band="thin_file").exists()


def test_get_score_logs_every_read(rent_history):
    from tests.identity.factories import UserFactory

    tenant = rent_history.tenant
    staff = UserFactory(is_staff=True, staff_role="compliance", full_name="Analyste Risque")
    scoring.get_score(tenant.public_id, viewer=tenant, why="self")
    scoring.get_score(tenant.public_id, viewer=staff, why="staff")
    scoring.get_score(tenant.public_id, viewer=None, why="system")
    log = list(
        ScoreAccess.objects.filter(subject=tenant)
        .order_by("id")
        .values_list("viewer_id", "why", "viewer_label")
    )
    assert log == [
        (tenant.pk, "self", tenant.full_name),
        (staff.pk, "staff", "Analyste Risque"),
        (None, "system", "system"),
    ]


def test_a_user_never_reads_another_users_score(rent_history):
    from tests.identity.factories import UserFactory

    other = UserFactory()
    with pytest.raises(Forbidden):
        scoring.get_score(rent_history.tenant.public_id, viewer=other, why="self")
    with pytest.raises(Forbidden):
        scoring.get_score(rent_history.tenant.public_id, viewer=other, why="staff")
    with pytest.raises(Forbidden):
        scoring.get_score(rent_history.tenant.public_id, viewer=other, why="system")
    with pytest.raises(ValueError):
        scoring.get_score(rent_history.tenant.public_id, viewer=other, why="curiosity")
    assert not ScoreAccess.objects.filter(subject=rent_history.tenant).exists()
    assert not Score.objects.filter(user=rent_history.tenant).exists()


def test_get_score_of_an_unknown_user_is_not_found(db):
    import uuid

    with pytest.raises(NotFound):
        scoring.get_score(uuid.uuid4(), viewer=None, why="system")


def test_get_score_reads_the_cache_first(rent_history, django_capture_on_commit_callbacks):
    tenant = rent_history.tenant
    with django_capture_on_commit_callbacks(execute=True):
        stored = scores.rescore(tenant.public_id, reason="test", today=rent_history.as_of)
    Score.objects.filter(user=tenant).update(score=301)  # behind the cache's back
    assert scoring.get_score(tenant.public_id, viewer=tenant, why="self").score == stored.score
    cache.delete(scores.cache_key(tenant.public_id))
    assert scoring.get_score(tenant.public_id, viewer=tenant, why="self").score == 301  # the row, then cached
    assert cache.get(scores.cache_key(tenant.public_id))["score"] == 301


def test_reasons_in_the_readers_language(rent_history, django_capture_on_commit_callbacks):
    tenant = rent_history.tenant
    with django_capture_on_commit_callbacks(execute=True):
        scores.rescore(tenant.public_id, reason="test", today=rent_history.as_of)
    fr = scoring.get_score(tenant.public_id, viewer=tenant, why="self", language="fr")
    en = scoring.get_score(tenant.public_id, viewer=tenant, why="self", language="en")
    assert [r.code for r in fr.reasons] == [r.code for r in en.reasons]
    stored = Score.objects.get(user=tenant).reasons
    assert [r.text for r in fr.reasons] == [r["text"]["fr"] for r in stored]
    assert [r.text for r in en.reasons] == [r["text"]["en"] for r in stored]


def test_rescore_all_scores_everyone_and_writes_only_what_changed(db, django_capture_on_commit_callbacks):
    histories = [build_rent_history() for _ in range(3)]
    as_of = histories[0].as_of
    with django_capture_on_commit_callbacks(execute=True):
        first = scores.rescore_all(as_of, chunk=2)
    assert first == {"users": 3, "created": 3, "updated": 0, "history": 3}
    for h in histories:
        assert (
            cache.get(scores.cache_key(h.tenant.public_id))["score"] == Score.objects.get(user=h.tenant).score
        )
    with django_capture_on_commit_callbacks(execute=True):
        again = scores.rescore_all(as_of, chunk=2)
    assert again == {"users": 3, "created": 0, "updated": 0, "history": 0}
    # the batch and the incremental path agree
    one = histories[0].tenant
    assert (
        scores.rescore(one.public_id, reason="check", today=as_of).score == Score.objects.get(user=one).score
    )
    assert ScoreHistory.objects.filter(user=one).count() == 1


def test_the_nightly_batch_is_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["scoring.rescore_all"]
    assert entry["task"] == "scoring.rescore_all"


def test_the_nightly_task_runs_through_celery(rent_history, django_capture_on_commit_callbacks):
    from apps.scoring import tasks

    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.rescore_all.delay().get()
    assert result["users"] == 1
    assert Score.objects.filter(user=rent_history.tenant).exists()
