"""REST and GraphQL: inbox, devices, preferences. Each user sees only their own (another
user's ids answer 404); lists have a query ceiling independent of their size."""

import pytest

from apps.notifications import api, services
from apps.notifications.models import Message, PushDevice
from tests.helpers import bearer_client, gql, gql_response
from tests.identity.factories import UserFactory

from .conftest import RENT, rent_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    return UserFactory()


@pytest.fixture
def bob(db):
    return UserFactory()


def inbox(user, n=3):
    for i in range(n):
        api.send(user.public_id, RENT, rent_context(reference=f"R{i}"), channels=["inapp"])
    return list(Message.objects.filter(user=user).order_by("created_at"))


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_inbox_list_unread_count_and_mark_read(api_client, alice):
    messages = inbox(alice)
    client = as_user(api_client, alice)
    listing = client.get("/api/v1/notifications/inbox").json()
    assert [m["id"] for m in listing["results"]] == [str(m.public_id) for m in reversed(messages)]
    assert (
        listing["results"][0]["title"] == "Avis d'échéance mars 2026"
        and listing["results"][0]["is_read"] is False
    )
    assert client.get("/api/v1/notifications/inbox/unread-count").json() == {"unread": 3}
    read = client.post(f"/api/v1/notifications/inbox/{messages[0].public_id}/read").json()
    assert read["is_read"] is True
    assert client.get("/api/v1/notifications/inbox/unread-count").json() == {"unread": 2}
    assert len(client.get("/api/v1/notifications/inbox?unread=true").json()["results"]) == 2
    assert client.post("/api/v1/notifications/inbox/read-all").json() == {"marked": 2}
    assert client.get(f"/api/v1/notifications/inbox/{messages[1].public_id}").json()["is_read"] is True


def test_another_users_inbox_message_is_404_everywhere(api_client, alice, bob):
    theirs = inbox(alice, 1)[0]
    client = as_user(api_client, bob)
    for method, url in [
        ("get", f"/api/v1/notifications/inbox/{theirs.public_id}"),
        ("post", f"/api/v1/notifications/inbox/{theirs.public_id}/read"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "notification_not_found"
    assert client.get("/api/v1/notifications/inbox").json()["results"] == []
    assert client.post("/api/v1/notifications/inbox/read-all").json() == {"marked": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_sms_messages_are_not_in_the_inbox(api_client, alice):
    api.send(alice.public_id, RENT, rent_context(), channels=["sms"])
    sms = Message.objects.get()
    client = as_user(api_client, alice)
    assert client.get(f"/api/v1/notifications/inbox/{sms.public_id}").status_code == 404


def test_anonymous_is_refused(api_client):
    assert api_client.get("/api/v1/notifications/inbox").status_code in (401, 403)
    assert api_client.get("/api/v1/notifications/devices").status_code in (401, 403)


def test_inbox_list_query_count_does_not_grow(api_client, alice, django_assert_max_num_queries):
    inbox(alice, 3)
    client = as_user(api_client, alice)
    with django_assert_max_num_queries(4):
        small = client.get("/api/v1/notifications/inbox")
    inbox(alice, 30)
    with django_assert_max_num_queries(4):
        large = client.get("/api/v1/notifications/inbox")
    assert len(small.json()["results"]) == 3 and len(large.json()["results"]) == 33


def test_device_register_list_delete_and_cross_user(api_client, alice, bob):
    client = as_user(api_client, alice)
    created = client.post(
        "/api/v1/notifications/devices", {"token": "fcm-tok-1", "platform": "android", "app": "tenant"}
    )
    assert created.status_code == 201
    device_id = created.json()["id"]
    assert "token" not in created.json()  # a token is a credential: never echoed
    assert (
        client.post("/api/v1/notifications/devices", {"token": "x", "platform": "symbian"}).status_code == 400
    )
    assert (
        client.post(
            "/api/v1/notifications/devices", {"token": "x", "platform": "ios", "extra": 1}
        ).status_code
        == 400
    )
    bob_client = as_user(api_client, bob)
    assert bob_client.delete(f"/api/v1/notifications/devices/{device_id}").status_code == 404
    assert bob_client.get("/api/v1/notifications/devices").json()["results"] == []
    assert PushDevice.objects.filter(public_id=device_id).exists()
    # The same installation signs in as bob: the token moves to him.
    assert (
        bob_client.post(
            "/api/v1/notifications/devices", {"token": "fcm-tok-1", "platform": "android"}
        ).status_code
        == 201
    )
    assert PushDevice.objects.get(token="fcm-tok-1").user == bob
    client = as_user(api_client, bob)
    assert client.delete(f"/api/v1/notifications/devices/{device_id}").status_code == 204
    assert not PushDevice.objects.exists()


def test_device_list_query_count(api_client, alice, django_assert_max_num_queries):
    for i in range(25):
        services.device_register(user=alice, token=f"tok-{i}", platform="android")
    client = as_user(api_client, alice)
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/v1/notifications/devices").json()["results"]) == 25


def test_preferences_read_and_update(api_client, alice):
    client = as_user(api_client, alice)
    assert client.get("/api/v1/notifications/preferences").json()["marketing_opt_out"] is False
    response = client.patch(
        "/api/v1/notifications/preferences",
        {
            "disabled": {"rent": ["sms"]},
            "marketing_opt_out": True,
            "quiet_hours_start": "22:00",
            "quiet_hours_end": "06:30",
            "timezone": "Africa/Abidjan",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["disabled"] == {"rent": ["sms"]}
    assert response.json()["quiet_hours_start"] == "22:00:00"
    bad = client.patch(
        "/api/v1/notifications/preferences", {"disabled": {"security": ["sms"]}}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "disabled.security"
    assert (
        client.patch(
            "/api/v1/notifications/preferences", {"timezone": "Mars/Olympus"}, format="json"
        ).status_code
        == 400
    )
    half = client.patch("/api/v1/notifications/preferences", {"quiet_hours_start": None}, format="json")
    assert half.status_code == 400


GQL_INBOX = """query($after: UUID) {
  notificationsInbox(first: 2, after: $after) { id title isRead } notificationsInboxUnreadCount }"""
MARK_READ = """mutation($id: UUID!) {
  notificationsMarkInboxMessageRead(id: $id) { ok errors { code } message { isRead } } }"""


def as_session(api_client, user):
    """GraphQL is a plain Django view: sign in through the session."""
    api_client.logout()
    api_client.force_login(user)
    return api_client


def test_graphql_inbox_pages_and_marks_read(api_client, alice, bob):
    messages = inbox(alice, 3)
    client = as_session(api_client, alice)
    first = gql(client, GQL_INBOX)
    assert [m["id"] for m in first["notificationsInbox"]] == [
        str(messages[2].public_id),
        str(messages[1].public_id),
    ]
    assert first["notificationsInboxUnreadCount"] == 3
    rest = gql(client, GQL_INBOX, {"after": first["notificationsInbox"][-1]["id"]})["notificationsInbox"]
    assert [m["id"] for m in rest] == [str(messages[0].public_id)]
    done = gql(client, MARK_READ, {"id": str(messages[0].public_id)})["notificationsMarkInboxMessageRead"]
    assert done == {"ok": True, "errors": [], "message": {"isRead": True}}
    other = gql(as_session(api_client, bob), MARK_READ, {"id": str(messages[1].public_id)})[
        "notificationsMarkInboxMessageRead"
    ]
    assert other == {"ok": False, "errors": [{"code": "notification_not_found"}], "message": None}
    assert gql(as_session(api_client, bob), GQL_INBOX) == {
        "notificationsInbox": [],
        "notificationsInboxUnreadCount": 0,
    }


def test_graphql_mark_all_read(api_client, alice, bob):
    inbox(alice, 3)
    inbox(bob, 1)
    client = as_session(api_client, alice)
    done = gql(client, "mutation { notificationsMarkAllInboxMessagesRead { ok errors { code } count } }")
    assert done["notificationsMarkAllInboxMessagesRead"] == {"ok": True, "errors": [], "count": 3}
    assert gql(client, "{ notificationsInboxUnreadCount }") == {"notificationsInboxUnreadCount": 0}
    assert gql(as_session(api_client, bob), "{ notificationsInboxUnreadCount }") == {
        "notificationsInboxUnreadCount": 1
    }


def test_graphql_devices_and_query_ceiling(api_client, alice, bob, django_assert_max_num_queries):
    client = as_session(api_client, alice)
    register = """mutation { notificationsRegisterPushDevice(token: "gql-tok", platform: "ios") {
      ok device { id } } }"""
    device_id = gql(client, register)["notificationsRegisterPushDevice"]["device"]["id"]
    unregister = "mutation($id: UUID!) { notificationsUnregisterPushDevice(id: $id) { ok errors { code } } }"
    denied = gql(as_session(api_client, bob), unregister, {"id": device_id})[
        "notificationsUnregisterPushDevice"
    ]
    assert denied == {"ok": False, "errors": [{"code": "push_device_not_found"}]}
    inbox(alice, 20)
    client = as_session(api_client, alice)
    with django_assert_max_num_queries(5):
        data = gql(
            client,
            "{ notificationsInbox(first: 50) { id } notificationsPushDevices { id } notificationsInboxUnreadCount }",
        )
    assert len(data["notificationsInbox"]) == 20 and len(data["notificationsPushDevices"]) == 1
    removed = gql(client, unregister, {"id": device_id})["notificationsUnregisterPushDevice"]
    assert (
        removed == {"ok": True, "errors": []} and not PushDevice.objects.filter(public_id=device_id).exists()
    )


def test_graphql_refuses_anonymous(api_client):
    result = gql_response(api_client, "{ notificationsInboxUnreadCount }")
    assert result["errors"][0]["extensions"]["code"] == "unauthenticated"
    refused = gql(
        api_client, "mutation { notificationsMarkAllInboxMessagesRead { ok errors { code } count } }"
    )
    assert refused["notificationsMarkAllInboxMessagesRead"] == {
        "ok": False,
        "errors": [{"code": "not_authenticated"}],
        "count": 0,
    }


def test_graphql_old_names_still_work(api_client, alice):
    """Deprecated aliases (docs/notifications.md): the apps keep working while they move."""
    messages = inbox(alice, 2)
    client = as_session(api_client, alice)
    old = gql(client, "{ inbox(first: 5) { id } inboxUnreadCount pushDevices { id } }")
    new = gql(
        client,
        "{ notificationsInbox(first: 5) { id } notificationsInboxUnreadCount notificationsPushDevices { id } }",
    )
    assert old == {
        "inbox": new["notificationsInbox"],
        "inboxUnreadCount": new["notificationsInboxUnreadCount"],
        "pushDevices": new["notificationsPushDevices"],
    }
    assert old["inboxUnreadCount"] == 2
    read = gql(
        client,
        "mutation($id: UUID!) { markInboxMessageRead(id: $id) { ok message { isRead } } }",
        {"id": str(messages[0].public_id)},
    )
    assert read["markInboxMessageRead"] == {"ok": True, "message": {"isRead": True}}
    assert gql(client, "mutation { markAllInboxMessagesRead { ok count } }")["markAllInboxMessagesRead"] == {
        "ok": True,
        "count": 1,
    }
    device = gql(
        client, 'mutation { registerPushDevice(token: "old-tok", platform: "android") { ok device { id } } }'
    )["registerPushDevice"]
    assert device["ok"] is True
    gone = gql(
        client,
        "mutation($id: UUID!) { unregisterPushDevice(id: $id) { ok } }",
        {"id": device["device"]["id"]},
    )
    assert (
        gone["unregisterPushDevice"] == {"ok": True}
        and not PushDevice.objects.filter(token="old-tok").exists()
    )


# --- preferences over GraphQL (REST parity, issue 14) -------------------------------------------

PREFERENCES = "marketingOptOut quietHoursStart quietHoursEnd timezone disabled { category channels }"
UPDATE_PREFERENCES = f"""mutation($disabled: [NotificationChannelsOffInput!], $marketing: Boolean,
    $start: Time, $end: Time, $zone: String) {{
  notificationsUpdatePreferences(disabled: $disabled, marketingOptOut: $marketing, quietHoursStart: $start,
    quietHoursEnd: $end, timezone: $zone) {{ ok errors {{ field code }} preferences {{ {PREFERENCES} }} }} }}"""


def test_graphql_update_preferences(api_client, alice):
    client = bearer_client(alice)
    assert gql(client, f"{{ notificationsPreferences {{ {PREFERENCES} }} }}")["notificationsPreferences"] == {
        "marketingOptOut": False,
        "quietHoursStart": None,
        "quietHoursEnd": None,
        "timezone": "",
        "disabled": [],
    }
    variables = {
        "disabled": [{"category": "rent", "channels": ["sms", "inapp", "sms"]}],
        "marketing": True,
        "start": "22:00:00",
        "end": "06:30:00",
        "zone": "Africa/Abidjan",
    }
    done = gql(client, UPDATE_PREFERENCES, variables)["notificationsUpdatePreferences"]
    expected = {
        "marketingOptOut": True,
        "quietHoursStart": "22:00:00",
        "quietHoursEnd": "06:30:00",
        "timezone": "Africa/Abidjan",
        "disabled": [{"category": "rent", "channels": ["inapp", "sms"]}],
    }
    assert done == {"ok": True, "errors": [], "preferences": expected}
    # the same preferences as REST's, and they count when sending: the rent notice is suppressed
    rest = as_user(api_client, alice).get("/api/v1/notifications/preferences").json()
    assert rest["disabled"] == {"rent": ["inapp", "sms"]} and rest["timezone"] == "Africa/Abidjan"
    api.send(alice.public_id, RENT, rent_context(), channels=["inapp"])
    assert Message.objects.get(user=alice).status == Message.Status.SUPPRESSED
    assert gql(client, "{ notificationsInboxUnreadCount }") == {"notificationsInboxUnreadCount": 0}
    # only what is given changes; null quiet hours remove them
    cleared = gql(client, UPDATE_PREFERENCES, {"start": None, "end": None})["notificationsUpdatePreferences"]
    assert cleared["preferences"] == {**expected, "quietHoursStart": None, "quietHoursEnd": None}
    assert (
        gql(client, f"{{ notificationsPreferences {{ {PREFERENCES} }} }}")["notificationsPreferences"]
        == (cleared["preferences"])
    )


@pytest.mark.parametrize(
    ("variables", "field", "code"),
    [
        (
            {"disabled": [{"category": "security", "channels": ["sms"]}]},
            "disabled.security",
            "notification_input_invalid",
        ),
        (
            {"disabled": [{"category": "rent", "channels": ["pigeon"]}]},
            "disabled.rent",
            "notification_channel_invalid",
        ),
        ({"zone": "Mars/Olympus"}, "timezone", "notification_input_invalid"),
        ({"start": "22:00:00"}, "quiet_hours_end", "notification_input_invalid"),
    ],
)
def test_graphql_preference_refusals_are_typed_and_change_nothing(alice, variables, field, code):
    from apps.notifications.models import Preference

    services.preference_update(user=alice, marketing_opt_out=True)
    refused = gql(bearer_client(alice), UPDATE_PREFERENCES, {"marketing": False, **variables})[
        "notificationsUpdatePreferences"
    ]
    assert refused == {"ok": False, "errors": [{"field": field, "code": code}], "preferences": None}
    preference = Preference.objects.get(user=alice)
    assert (preference.marketing_opt_out, preference.disabled, preference.quiet_hours_start) == (
        True,
        {},
        None,
    )


def test_graphql_preferences_are_each_users_own(api_client, org_a, org_b):
    from tests.identity.factories import MembershipFactory

    alice = MembershipFactory(organization=org_a).user
    bob = MembershipFactory(organization=org_b).user
    services.preference_update(user=alice, zone="Africa/Abidjan", marketing_opt_out=True)
    changed = gql(bearer_client(bob), UPDATE_PREFERENCES, {"zone": "Africa/Lagos"})[
        "notificationsUpdatePreferences"
    ]
    assert changed["ok"] is True and changed["preferences"]["timezone"] == "Africa/Lagos"
    assert changed["preferences"]["marketingOptOut"] is False  # bob's own, not alice's
    mine = gql(bearer_client(alice), f"{{ notificationsPreferences {{ {PREFERENCES} }} }}")
    assert mine["notificationsPreferences"]["timezone"] == "Africa/Abidjan"
    anonymous_read = gql_response(api_client, "{ notificationsPreferences { timezone } }")
    assert anonymous_read["errors"][0]["extensions"]["code"] == "unauthenticated"
    anonymous = gql(api_client, UPDATE_PREFERENCES, {"marketing": True})["notificationsUpdatePreferences"]
    assert anonymous == {
        "ok": False,
        "errors": [{"field": None, "code": "not_authenticated"}],
        "preferences": None,
    }
