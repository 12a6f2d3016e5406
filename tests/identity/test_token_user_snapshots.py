"""Bearer authentication keeps the user per process by version (services/tokens.py, issue 29):
the database is read once per user and version, and every change that must refuse a token
(suspension, closure, logout, "log out all devices", a disabled service account) is refused
on the very next call, even while the process holds the user."""

import pytest
from redis.connection import AbstractConnection

from apps.identity.models import User
from apps.identity.services.service_accounts import service_account_create, service_account_disable
from apps.identity.services.tokens import tokens_issue, tokens_logout, tokens_logout_all
from apps.identity.services.users import user_close, user_update_profile
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/identity/me"


def me(api_client, access):
    return api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {access}")


def warm(api_client, access):
    """Two calls: the first starts the user's version, the second keeps the user."""
    for _ in range(2):
        assert me(api_client, access).status_code == 200


@pytest.fixture
def redis_round_trips(monkeypatch):
    """Counts the commands sent to Redis (a script or a pipeline is one send)."""
    sent = []
    original = AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(command)
        return original(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
    return sent


def test_a_kept_user_costs_no_query_and_one_cache_round_trip(
    api_client, user, django_assert_num_queries, redis_round_trips
):
    pair = tokens_issue(user=user, auth_method="otp")
    warm(api_client, pair.access_token)
    redis_round_trips.clear()
    with django_assert_num_queries(0):
        response = me(api_client, pair.access_token)
    assert response.status_code == 200
    assert response.json()["id"] == str(user.public_id)
    # the user's version and the session's revocation mark together, then the rate limits
    assert len(redis_round_trips) == 2
    assert b"MGET" in b"".join(bytes(part) for part in redis_round_trips[0])


def test_a_suspended_user_is_refused_on_the_next_call(api_client, user):
    pair = tokens_issue(user=user, auth_method="otp")
    warm(api_client, pair.access_token)
    user.status = User.Status.SUSPENDED
    user.save(update_fields=["status", "updated_at"])
    response = me(api_client, pair.access_token)
    assert response.status_code == 401
    assert response.json()["code"] == "account_inactive"


def test_a_closed_account_is_refused_on_the_next_call(api_client, user):
    pair = tokens_issue(user=user, auth_method="otp")
    warm(api_client, pair.access_token)
    user_close(actor=user, user=user)
    assert me(api_client, pair.access_token).status_code == 401


def test_a_logged_out_session_is_refused_on_the_next_call(api_client, user):
    pair = tokens_issue(user=user, auth_method="otp")
    other = tokens_issue(user=user, auth_method="otp")
    warm(api_client, pair.access_token)
    warm(api_client, other.access_token)
    tokens_logout(refresh_token=pair.refresh_token, actor=user)
    assert me(api_client, pair.access_token).status_code == 401
    assert me(api_client, other.access_token).status_code == 200  # another device stays in


def test_log_out_all_devices_is_refused_on_the_next_call(api_client, user, clock):
    pair = tokens_issue(user=user, auth_method="otp")
    warm(api_client, pair.access_token)
    clock.shift(1)
    tokens_logout_all(user=user)
    assert me(api_client, pair.access_token).status_code == 401
    clock.shift(1)
    fresh = tokens_issue(user=user, auth_method="otp")
    assert me(api_client, fresh.access_token).status_code == 200


def test_a_disabled_service_account_is_refused_on_the_next_call(api_client, org_a):
    account = service_account_create(organization_id=org_a.pk, name="Import compta", role="viewer")
    pair = tokens_issue(user=account, auth_method="service")
    warm(api_client, pair.access_token)
    service_account_disable(user_id=account.pk)
    assert me(api_client, pair.access_token).status_code == 401


def test_a_profile_change_shows_on_the_next_call(api_client, user):
    pair = tokens_issue(user=user, auth_method="otp")
    warm(api_client, pair.access_token)
    user_update_profile(actor=user, user=user, full_name="Afiavi Dossou")
    assert me(api_client, pair.access_token).json()["full_name"] == "Afiavi Dossou"


def test_users_are_kept_apart(api_client, user):
    other = UserFactory()
    first = tokens_issue(user=user, auth_method="otp")
    second = tokens_issue(user=other, auth_method="otp")
    for _ in range(3):
        assert me(api_client, first.access_token).json()["id"] == str(user.public_id)
        assert me(api_client, second.access_token).json()["id"] == str(other.public_id)


def test_without_a_version_in_the_cache_the_database_decides(api_client, user):
    from django.core.cache import cache

    pair = tokens_issue(user=user, auth_method="otp")
    warm(api_client, pair.access_token)
    cache.clear()  # evicted or flushed: no version, so no kept user is trusted
    User.objects.filter(pk=user.pk).update(status=User.Status.SUSPENDED)
    assert me(api_client, pair.access_token).status_code == 401


def test_a_queryset_update_of_users_is_seen_on_the_next_call(api_client, user):
    """No service has to remember to tell the snapshots: the User queryset does it."""
    pair = tokens_issue(user=user, auth_method="otp")
    warm(api_client, pair.access_token)
    User.objects.filter(pk=user.pk).update(status=User.Status.SUSPENDED)
    assert me(api_client, pair.access_token).status_code == 401


def test_a_bulk_update_of_users_is_seen_on_the_next_call(api_client, user):
    pair = tokens_issue(user=user, auth_method="otp")
    warm(api_client, pair.access_token)
    user.status = User.Status.SUSPENDED
    User.objects.bulk_update([user], ["status"])
    assert me(api_client, pair.access_token).status_code == 401


def test_last_login_alone_keeps_the_snapshot(api_client, user, django_assert_num_queries):
    from django.utils import timezone

    pair = tokens_issue(user=user, auth_method="otp")
    warm(api_client, pair.access_token)
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    with django_assert_num_queries(0):
        assert me(api_client, pair.access_token).status_code == 200
