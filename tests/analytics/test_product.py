"""Product analytics: the apps' events in (REST and GraphQL), each event id once, the monthly
partitions, funnels and retention (docs/analytics.md, « Product analytics »)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.analytics.models import ProductEvent
from apps.analytics.services import product
from apps.analytics.services.product import EventIn, events_ingest
from tests.helpers import bearer_client, gql
from tests.identity.factories import UserFactory

URL = "/api/v1/analytics/events"


def _event(**overrides) -> dict:
    body = {
        "event_id": str(uuid.uuid4()),
        "name": "pay_link.opened",
        "timestamp": (timezone.now() - timedelta(minutes=3)).isoformat().replace("+00:00", "Z"),
        "properties": {"screen": "pay", "amount": 25000},
        "anonymous_id": "anon-1",
        "session_id": "s-1",
    }
    body.update(overrides)
    return body


def _post(client, events, **extra):
    return client.post(URL, {"events": events}, format="json", **extra)


# --- REST ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_batch_is_recorded_for_the_sender_and_a_replay_counts_once(user):
    client = bearer_client(user)
    events = [_event(), _event(name="payment.paid"), _event(properties={})]
    first = _post(client, events)
    assert first.status_code == 200, first.content
    assert first.json()["accepted"] == 3 and first.json()["duplicates"] == 0
    assert [i["status"] for i in first.json()["items"]] == ["accepted"] * 3
    again = _post(client, events)  # the app did not get the answer and sends the batch again
    assert again.status_code == 200
    assert (again.json()["accepted"], again.json()["duplicates"]) == (0, 3)
    rows = ProductEvent.objects.order_by("occurred_at")
    assert rows.count() == 3
    assert {r.user for r in rows} == {user.public_id}
    stored = ProductEvent.objects.get(event_id=events[0]["event_id"])
    assert stored.properties == {"screen": "pay", "amount": 25000}
    assert (stored.anonymous_id, stored.session_id) == ("anon-1", "s-1")


@pytest.mark.django_db
def test_each_bad_event_is_refused_alone_with_its_reason(user):
    now = timezone.now()
    same = str(uuid.uuid4())
    events = [
        _event(),
        _event(name="Pay Link Opened"),
        _event(timestamp=(now + timedelta(hours=2)).isoformat()),
        _event(timestamp=(now - timedelta(days=90)).isoformat()),
        _event(properties={"blob": "x" * 5000}),
        _event(zz_unknown=1),
        {"name": "app.opened"},
        _event(event_id=same),
        _event(event_id=same),
        _event(properties=["not", "an", "object"]),
    ]
    answer = _post(bearer_client(user), events, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    statuses = [i["status"] for i in body["items"]]
    assert statuses == [
        "accepted",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "accepted",
        "duplicate",
        "rejected",
    ]
    assert (body["accepted"], body["duplicates"], body["rejected"]) == (2, 1, 7)
    codes = {i["index"]: {(e["field"], e["code"]) for e in i["errors"]} for i in body["items"]}
    assert ("name", "invalid") in codes[1]
    assert codes[2] == {("timestamp", "in_future")}
    assert codes[3] == {("timestamp", "too_old")}
    assert codes[4] == {("properties", "too_large")}
    assert ("zz_unknown", "unknown_field") in {
        (e["field"], e["code"]) for e in body["items"][5]["errors"]
    } or codes[5]
    assert {f for f, _c in codes[6]} >= {"event_id", "timestamp"}
    assert ProductEvent.objects.count() == 2


@pytest.mark.django_db
def test_the_batch_itself_is_strict_and_bounded(user, settings):
    client = bearer_client(user)
    unknown = client.post(URL, {"events": [_event()], "zz_not_a_field": 1}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["code"] == "unknown_field"
    assert _post(client, []).status_code == 400
    too_many = _post(client, [_event() for _ in range(501)])
    assert too_many.status_code == 400 and too_many.json()["errors"][0]["field"] == "events"
    assert ProductEvent.objects.count() == 0
    anonymous = _post(bearer_client(None), [_event()])
    assert anonymous.status_code == 401


@pytest.mark.django_db
def test_a_name_outside_the_registered_set_is_refused_when_the_set_is_closed(user, settings):
    settings.ANALYTICS_EVENTS_ALLOW_UNREGISTERED = False
    body = _post(bearer_client(user), [_event(name="avis.received"), _event(name="something.new")]).json()
    assert [i["status"] for i in body["items"]] == ["accepted", "rejected"]
    assert body["items"][1]["errors"][0]["code"] == "unknown_event"


@pytest.mark.django_db
def test_the_endpoint_has_its_own_rate_limit():
    from apps.analytics.rest.views_product import EventsView

    assert EventsView.throttle_scope == "analytics.events"
    from django.conf import settings as django_settings

    assert django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["analytics.events"]


# --- GraphQL ------------------------------------------------------------------------------------

MUTATION = """
mutation($events: [AnalyticsEventInput!]!) {
  analyticsTrackEvents(events: $events) {
    ok errors { field code message } accepted duplicates rejected
    items { index eventId status errors { field code } }
  }
}"""


@pytest.mark.django_db
def test_graphql_records_the_same_batch_once(user):
    client = bearer_client(user)
    event = _event()
    events = [
        {
            "eventId": event["event_id"],
            "name": event["name"],
            "timestamp": event["timestamp"],
            "properties": json.dumps(event["properties"]),
            "anonymousId": "anon-1",
        },
        {"eventId": str(uuid.uuid4()), "name": "Bad", "timestamp": event["timestamp"]},
    ]
    first = gql(client, MUTATION, {"events": events})["analyticsTrackEvents"]
    assert first["ok"] and (first["accepted"], first["rejected"]) == (1, 1)
    assert first["items"][1]["errors"][0]["code"] == "invalid_name"
    # the same event through REST: already there
    rest = _post(client, [event]).json()
    assert rest["duplicates"] == 1
    assert ProductEvent.objects.get().properties == {"screen": "pay", "amount": 25000}


@pytest.mark.django_db
def test_graphql_refuses_an_anonymous_caller():
    answer = gql(bearer_client(None), MUTATION, {"events": []})["analyticsTrackEvents"]
    assert answer["ok"] is False and answer["errors"][0]["code"] == "not_authenticated"


# --- dedup: any batch, any repeats --------------------------------------------------------------


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    picks=st.lists(st.integers(min_value=0, max_value=7), min_size=1, max_size=30), split=st.integers(0, 30)
)
def test_any_batch_with_repeats_counts_each_event_id_once(picks, split):
    ProductEvent.objects.all().delete()
    base = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    pool = [EventIn(uuid.UUID(int=k + 1), "app.opened", base + timedelta(seconds=k)) for k in range(8)]
    batch = [pool[k] for k in picks]
    first = events_ingest(user_id=None, events=batch[:split])
    second = events_ingest(user_id=None, events=batch[split:])
    distinct = len(set(picks))
    assert first.accepted + second.accepted == distinct
    assert first.duplicates + second.duplicates == len(picks) - distinct
    assert ProductEvent.objects.count() == distinct
    again = events_ingest(user_id=None, events=batch)  # the whole batch replayed
    assert (again.accepted, again.duplicates) == (0, len(picks))


@pytest.mark.django_db
def test_bulk_load_copies_and_skips_what_is_there():
    now = timezone.now()
    ids = [uuid.uuid4() for _ in range(50)]
    rows = [
        (now - timedelta(seconds=k), i, "app.opened", None, "a", "", "{}", now) for k, i in enumerate(ids)
    ]
    assert product.events_bulk_load(rows) == 50
    assert (
        product.events_bulk_load(rows[:10] + [(now, uuid.uuid4(), "app.opened", None, "b", "", "{}", now)])
        == 1
    )
    assert ProductEvent.objects.count() == 51


# --- partitions ---------------------------------------------------------------------------------


def _first_of_month(shift: int) -> date:
    return product._shift(timezone.now().date().replace(day=1), shift)


@pytest.mark.django_db
def test_the_table_is_partitioned_by_month_on_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT partstrat FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = %s",
            [product.TABLE],
        )
        assert cursor.fetchone() == ("r",)
    months = product.partitions_list()
    assert _first_of_month(0) in months and _first_of_month(1) in months


@pytest.mark.django_db
def test_the_job_creates_partitions_ahead_and_drops_the_expired_ones(settings):
    settings.ANALYTICS_EVENTS_RETENTION_MONTHS = 13
    settings.ANALYTICS_EVENTS_PARTITIONS_AHEAD = 4
    old_month = _first_of_month(-15)
    kept_month = _first_of_month(-12)
    for month in (old_month, kept_month):
        moment = datetime(month.year, month.month, 2, tzinfo=UTC)
        product.events_bulk_load([(moment, uuid.uuid4(), "app.opened", None, "a", "", "{}", moment)])
    assert ProductEvent.objects.count() == 2
    result = product.partitions_maintain()
    months = product.partitions_list()
    assert old_month not in months and old_month.isoformat() in result["dropped"]
    assert kept_month in months
    assert _first_of_month(4) in months
    assert ProductEvent.objects.count() == 1
    assert product.partitions_maintain()["created"] == []  # idempotent


@pytest.mark.django_db
def test_an_event_in_a_month_without_partition_gets_one():
    moment = datetime.combine(_first_of_month(-1), datetime.min.time(), tzinfo=UTC) + timedelta(days=3)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {product.partition_name(_first_of_month(-1))}")
    product._known_partitions.clear()
    result = events_ingest(user_id=None, events=[EventIn(uuid.uuid4(), "app.opened", moment)], now=moment)
    assert result.accepted == 1


# --- funnels and retention ----------------------------------------------------------------------

STEPS = ["avis.received", "pay_link.opened", "payment.paid"]


def _track(user, name, at):
    return EventIn(uuid.uuid4(), name, at)


@pytest.mark.django_db
def test_a_funnel_counts_users_who_did_the_steps_in_order_within_the_window():
    start = timezone.now() - timedelta(days=10)
    u = [UserFactory().public_id for _ in range(5)]
    plan = {
        u[0]: [("avis.received", 0), ("pay_link.opened", 1), ("payment.paid", 2)],
        u[1]: [("avis.received", 0), ("pay_link.opened", 5)],
        u[2]: [("avis.received", 0), ("payment.paid", 3)],  # skipped the pay link
        u[3]: [("pay_link.opened", 0), ("avis.received", 1), ("payment.paid", 2)],  # link before the avis
        u[4]: [("avis.received", 0), ("pay_link.opened", 1), ("payment.paid", 100)],  # paid after the window
    }
    for user_id, events in plan.items():
        events_ingest(
            user_id=user_id,
            events=[EventIn(uuid.uuid4(), n, start + timedelta(hours=h)) for n, h in events],
            now=start + timedelta(days=9),
        )
    funnel = product.product_funnel(
        steps=STEPS, since=start - timedelta(hours=1), until=timezone.now(), window=timedelta(hours=72)
    )
    assert [s.users for s in funnel.steps] == [5, 3, 1]
    assert funnel.steps[1].conversion == pytest.approx(0.6)
    assert funnel.steps[2].step_conversion == pytest.approx(1 / 3)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from(STEPS + ["app.opened"]), st.integers(0, 200)),
        min_size=1,
        max_size=40,
    ),
    window=st.integers(1, 120),
)
def test_the_funnel_sql_agrees_with_the_reference(data, window):
    ProductEvent.objects.all().delete()
    base = timezone.now().replace(microsecond=0) - timedelta(days=20)
    events = [(f"anon-{who}", name, base + timedelta(hours=h)) for who, name, h in data]
    events_ingest(
        user_id=None,
        events=[EventIn(uuid.uuid4(), n, t, anonymous_id=a) for a, n, t in events],
        now=base + timedelta(days=15),
    )
    since, until = base + timedelta(hours=10), base + timedelta(hours=150)
    sql = product.product_funnel(steps=STEPS, since=since, until=until, window=timedelta(hours=window))
    reference = product.funnel_reference(
        events, steps=STEPS, since=since, until=until, window=timedelta(hours=window)
    )
    assert [s.users for s in sql.steps] == reference


@pytest.mark.django_db
def test_weekly_retention_cohorts_by_first_event():
    monday = timezone.now().date() - timedelta(days=timezone.now().weekday() + 21)  # 3 weeks ago, Monday
    at = datetime.combine(monday, datetime.min.time(), tzinfo=UTC) + timedelta(hours=10)
    plan = {
        "a": [0, 7, 14],  # weeks 0, 1, 2
        "b": [1, 15],  # weeks 0, 2
        "c": [8],  # cohort of week 1
        "d": [2],
    }
    for actor, days in plan.items():
        events_ingest(
            user_id=None,
            events=[
                EventIn(uuid.uuid4(), "app.opened", at + timedelta(days=d), anonymous_id=actor) for d in days
            ],
        )
    cohorts = product.product_retention(
        since=at - timedelta(days=1), until=timezone.now(), period="week", periods=3
    )
    first, second = cohorts[0], cohorts[1]
    assert (first.start, first.size) == (monday, 3)
    assert first.returning == pytest.approx((1.0, 1 / 3, 2 / 3))
    assert (second.start, second.size) == (monday + timedelta(days=7), 1)
    grid = product.retention_grid_reference(
        product._rows(None, at - timedelta(days=1), timezone.now()), period="week"
    )
    assert sorted(grid) == sorted(
        (c.start, c.start + timedelta(days=7 * k), round(c.size * share))
        for c in cohorts
        for k, share in enumerate(c.returning)
        if share
    )


# --- staff page -------------------------------------------------------------------------------


def _admin_client(user):
    """A back-office session (password and TOTP, as the admin login asks)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.identity.test_admin_and_audit import admin_login

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client, response = admin_login(user, device)
    assert response.status_code == 302, response.content[:500]
    return client


@pytest.mark.django_db
def test_staff_see_funnels_retention_and_payment_success(client):
    from apps.analytics.services.rollups import apply_facts
    from apps.core.kpis import Fact

    staff = UserFactory(is_staff=True, staff_role="support")
    events_ingest(
        user_id=staff.public_id, events=[_track(staff, "avis.received", timezone.now() - timedelta(hours=1))]
    )
    org = "00000000-0000-0000-0000-000000000000"
    succeeded = Fact(
        "payments.succeeded", organization=org, day=timezone.localdate(), dimension="kkiapay/mtn_momo"
    )
    apply_facts([(uuid.uuid4(), "payments.PaymentSucceeded", [succeeded])])
    page = _admin_client(staff).get(
        "/admin/analytics/exportcursor/product/?steps=avis.received,payment.paid&days=7&period=month"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "avis.received" in text and "payment.paid" in text and "mtn_momo" in text
    client.force_login(UserFactory())  # not staff
    assert client.get("/admin/analytics/exportcursor/product/").status_code == 302
