"""The export of product events to PostHog and Matomo, against local servers speaking their
APIs (tests/analytics/fake_posthog.py, fake_matomo.py): each event once, nothing lost when
the tool is away, no call under a transaction (docs/analytics.md, « Export »)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.analytics.models import ExportCursor
from apps.analytics.providers.base import ExportError
from apps.analytics.providers.matomo import MatomoExporter
from apps.analytics.providers.posthog import PostHogExporter
from apps.analytics.services.export import events_export, export_provider
from apps.analytics.services.product import EventIn, events_ingest
from tests.analytics.fake_matomo import SITE_ID, TOKEN, FakeMatomo
from tests.analytics.fake_posthog import API_KEY, FakePostHog


def _ingest(
    count: int, *, user=None, minutes_ago: int = 10, name: str = "pay_link.opened"
) -> list[uuid.UUID]:
    received = timezone.now() - timedelta(minutes=minutes_ago)
    events = [
        EventIn(
            uuid.uuid4(),
            name,
            received - timedelta(seconds=k),
            {"k": k},
            anonymous_id="anon-7",
            session_id="s9",
        )
        for k in range(count)
    ]
    events_ingest(user_id=user, events=events, now=received)
    return [e.event_id for e in events]


@pytest.fixture
def posthog(httpserver):
    return FakePostHog().install(httpserver)


@pytest.fixture
def matomo(httpserver):
    return FakeMatomo().install(httpserver)


def _posthog(fake, key=API_KEY):
    return PostHogExporter(url=fake.url, api_key=key, timeout=5)


@pytest.mark.django_db
def test_each_event_goes_to_posthog_once_in_its_documented_shape(posthog):
    user = uuid.uuid4()
    signed_in = _ingest(3, user=user)
    anonymous = _ingest(2, minutes_ago=9)
    first = events_export(provider=_posthog(posthog), batch_size=2)
    assert first == {"provider": "posthog", "sent": 5}
    assert len(posthog.bodies) == 3  # batches of 2, 2, 1
    assert set(posthog.events) == {str(i) for i in signed_in + anonymous}
    event = posthog.events[str(signed_in[0])]
    assert event["event"] == "pay_link.opened" and event["distinct_id"] == str(user)
    assert event["timestamp"].endswith("Z") and event["properties"]["$session_id"] == "s9"
    assert event["properties"]["k"] == 0 and "$process_person_profile" not in event["properties"]
    anon = posthog.events[str(anonymous[0])]
    assert anon["distinct_id"] == "anon-7" and anon["properties"]["$process_person_profile"] is False
    assert posthog.bodies[0]["historical_migration"] is False
    assert events_export(provider=_posthog(posthog)) == {"provider": "posthog", "sent": 0}
    assert posthog.received == 5
    cursor = ExportCursor.objects.get(provider="posthog")
    assert cursor.exported == 5 and cursor.lease_token is None and cursor.last_error == ""


@pytest.mark.django_db
def test_events_still_committing_wait_for_the_next_run(posthog, settings):
    settings.ANALYTICS_EXPORT_SETTLE_SECONDS = 60
    _ingest(1, minutes_ago=0)
    assert events_export(provider=_posthog(posthog))["sent"] == 0
    later = timezone.now() + timedelta(minutes=2)
    assert events_export(provider=_posthog(posthog), now=later)["sent"] == 1


@pytest.mark.django_db
def test_an_outage_keeps_the_cursor_and_nothing_is_lost_or_doubled(posthog):
    ids = _ingest(3)
    posthog.outage(True)
    with pytest.raises(ExportError) as caught:
        events_export(provider=_posthog(posthog))
    assert caught.value.retryable and caught.value.status == 503
    cursor = ExportCursor.objects.get(provider="posthog")
    assert cursor.exported == 0 and "503" in cursor.last_error and cursor.lease_token is None
    posthog.outage(False)
    posthog.fail("429")
    with pytest.raises(ExportError) as again:
        events_export(provider=_posthog(posthog))
    assert again.value.retryable
    assert events_export(provider=_posthog(posthog))["sent"] == 3
    assert set(posthog.events) == {str(i) for i in ids} and posthog.received == 3
    assert ExportCursor.objects.get(provider="posthog").last_error == ""


@pytest.mark.django_db
def test_a_wrong_key_is_a_refusal_not_a_retry(posthog):
    _ingest(1)
    with pytest.raises(ExportError) as caught:
        events_export(provider=_posthog(posthog, key="phc_wrong"))
    assert not caught.value.retryable and caught.value.status == 401
    assert ExportCursor.objects.get(provider="posthog").exported == 0


@pytest.mark.django_db
def test_an_unreachable_tool_is_retryable():
    _ingest(1)
    with pytest.raises(ExportError) as caught:
        events_export(provider=PostHogExporter(url="http://127.0.0.1:9", api_key=API_KEY, timeout=1))
    assert caught.value.retryable


@pytest.mark.django_db
def test_one_run_at_a_time(posthog):
    _ingest(2)
    ExportCursor.objects.create(
        provider="posthog", lease_token=uuid.uuid4(), leased_until=timezone.now() + timedelta(minutes=5)
    )
    assert events_export(provider=_posthog(posthog))["busy"] is True
    assert posthog.received == 0
    ExportCursor.objects.filter(provider="posthog").update(leased_until=timezone.now() - timedelta(seconds=1))
    assert events_export(provider=_posthog(posthog))["sent"] == 2  # a crashed run's lease is taken over


@pytest.mark.django_db(transaction=True)
def test_the_tool_is_called_with_no_transaction_open(posthog):
    _ingest(2)
    seen = []

    class Watching:
        """The real PostHog client, watched: is a transaction open while it calls?"""

        name = "posthog"

        def __init__(self):
            self.inner = _posthog(posthog)

        def send(self, events):
            seen.append(connection.in_atomic_block)
            self.inner.send(events)

    assert events_export(provider=Watching())["sent"] == 2
    assert seen == [False]
    assert posthog.received == 2


@pytest.mark.django_db
def test_matomo_gets_bulk_tracking_requests(matomo):
    user = uuid.uuid4()
    ids = _ingest(2, user=user, name="payment.paid") + _ingest(1, minutes_ago=9, name="login")
    exporter = MatomoExporter(url=matomo.url, site_id=SITE_ID, token=TOKEN, timeout=5)
    assert events_export(provider=exporter) == {"provider": "matomo", "sent": 3}
    assert matomo.bodies[0]["token_auth"] == TOKEN and len(matomo.tracked) == 3
    paid = [t for t in matomo.tracked if t["e_n"] == "payment.paid"]
    assert {(t["e_c"], t["e_a"], t["uid"]) for t in paid} == {("payment", "paid", str(user))}
    login = next(t for t in matomo.tracked if t["e_n"] == "login")
    assert (login["e_c"], login["e_a"]) == ("login", "login") and "uid" not in login
    assert all(len(t["_id"]) == 16 and t["cdt"].isdigit() for t in matomo.tracked)
    assert len(ids) == 3 and events_export(provider=exporter)["sent"] == 0


@pytest.mark.django_db
def test_matomo_refusing_the_token_is_not_retried(matomo):
    _ingest(1)
    with pytest.raises(ExportError) as caught:
        events_export(provider=MatomoExporter(url=matomo.url, site_id=SITE_ID, token="wrong", timeout=5))
    assert not caught.value.retryable


@pytest.mark.django_db
def test_the_settings_choose_the_provider_and_the_task_runs_it(posthog, settings):
    from apps.analytics.tasks import product_export

    settings.ANALYTICS_EXPORT_PROVIDER = "none"
    assert export_provider() is None
    assert events_export() == {"provider": "none", "sent": 0}
    settings.ANALYTICS_EXPORT_PROVIDER = "posthog"
    settings.ANALYTICS_POSTHOG_URL = posthog.url
    settings.ANALYTICS_POSTHOG_API_KEY = API_KEY
    _ingest(2)
    assert product_export.delay().get() == {"provider": "posthog", "sent": 2}
    settings.ANALYTICS_EXPORT_PROVIDER = "matomo"
    assert isinstance(export_provider(), MatomoExporter)


def test_production_refuses_an_export_without_its_key():
    from apps.analytics.conf import production_problems

    assert any("POSTHOG" in p for p in production_problems({"ANALYTICS_EXPORT_PROVIDER": "posthog"}))
    assert any("MATOMO" in p for p in production_problems({"ANALYTICS_EXPORT_PROVIDER": "matomo"}))
    assert not [p for p in production_problems({"ANALYTICS_EXPORT_PROVIDER": "none"}) if "ANALYTICS_" in p]
