"""Access and refresh tokens of the built-in issuer: rotation, reuse, logout, refusals."""

import jwt
import pytest
from django.conf import settings
from django.core.cache import cache
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from apps.identity.models import RefreshToken, SecurityEvent, User
from apps.identity.services.tokens import tokens_issue
from tests.helpers import bearer_client, gql
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

REFRESH = "/api/v1/auth/token/refresh"
ME = "/api/v1/identity/me"


def refresh(api_client, token):
    return api_client.post(REFRESH, {"refresh_token": token}, format="json")


def me(api_client, access):
    return api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {access}")


def test_refresh_rotates_the_pair(api_client, user):
    pair = tokens_issue(user=user, auth_method="otp")
    response = refresh(api_client, pair.refresh_token)
    assert response.status_code == 200
    body = response.json()
    assert body["refresh_token"] != pair.refresh_token
    assert me(api_client, body["access_token"]).status_code == 200
    rows = RefreshToken.objects.filter(user=user)
    assert rows.count() == 2 and rows.filter(used_at__isnull=False).count() == 1


def test_a_refresh_token_used_twice_is_refused_and_its_family_revoked(api_client, user):
    pair = tokens_issue(user=user, auth_method="otp")
    second = refresh(api_client, pair.refresh_token).json()
    reused = refresh(api_client, pair.refresh_token)
    assert reused.status_code == 401
    assert reused.json()["code"] == "refresh_token_reused"
    # The legitimate successor is dead too, and so are the family's access tokens.
    assert refresh(api_client, second["refresh_token"]).status_code == 401
    assert me(api_client, second["access_token"]).status_code == 401
    assert me(api_client, pair.access_token).status_code == 401
    assert SecurityEvent.objects.filter(kind="token_family_revoked", subject=user).count() == 1


def test_other_sessions_survive_a_revoked_family(api_client, user):
    phone = tokens_issue(user=user, auth_method="otp")
    tablet = tokens_issue(user=user, auth_method="otp")
    refresh(api_client, phone.refresh_token)
    refresh(api_client, phone.refresh_token)
    assert me(api_client, tablet.access_token).status_code == 200
    assert refresh(api_client, tablet.refresh_token).status_code == 200


def test_logout_revokes_the_session_and_its_access_token(api_client, user):
    pair = tokens_issue(user=user, auth_method="otp")
    response = api_client.post(
        "/api/v1/auth/logout",
        {"refresh_token": pair.refresh_token},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {pair.access_token}",
    )
    assert response.status_code == 204
    assert me(api_client, pair.access_token).status_code == 401
    assert refresh(api_client, pair.refresh_token).status_code == 401


def test_logout_all_devices(api_client, user):
    first = tokens_issue(user=user, auth_method="otp")
    second = tokens_issue(user=user, auth_method="otp")
    response = api_client.post("/api/v1/auth/logout-all", HTTP_AUTHORIZATION=f"Bearer {first.access_token}")
    assert response.status_code == 204
    for pair in (first, second):
        assert me(api_client, pair.access_token).status_code == 401
        assert refresh(api_client, pair.refresh_token).status_code == 401
    fresh = tokens_issue(user=user, auth_method="otp")  # logging in again works at once
    assert me(api_client, fresh.access_token).status_code == 200


def test_an_expired_access_token_is_refused(api_client, user, clock):
    pair = tokens_issue(user=user, auth_method="otp")
    clock.shift(15 * 60 + 1)
    response = me(api_client, pair.access_token)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert refresh(api_client, pair.refresh_token).status_code == 200  # the refresh token lives on


def test_an_expired_refresh_token_is_refused(api_client, user, clock):
    pair = tokens_issue(user=user, auth_method="otp")
    clock.shift(31 * 24 * 3600)
    assert refresh(api_client, pair.refresh_token).status_code == 401


def test_a_token_of_a_suspended_user_is_refused(api_client, user):
    pair = tokens_issue(user=user, auth_method="otp")
    User.objects.filter(pk=user.pk).update(status=User.Status.SUSPENDED)
    response = me(api_client, pair.access_token)
    assert response.status_code == 401
    assert response.json()["code"] == "account_inactive"
    assert refresh(api_client, pair.refresh_token).status_code == 403
    graphql = api_client.post(
        "/graphql",
        {"query": "{ me { id } }"},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {pair.access_token}",
    )
    assert graphql.status_code == 401


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(
            lambda c: jwt.encode(c, "another-key-entirely-000000000000", algorithm="HS256"), id="wrong-key"
        ),
        pytest.param(lambda c: jwt.encode(c, None, algorithm="none"), id="alg-none"),
        pytest.param(
            lambda c: jwt.encode({**c, "aud": "elsewhere"}, settings.JWT_SIGNING_KEY, algorithm="HS256"),
            id="audience",
        ),
        pytest.param(
            lambda c: jwt.encode({**c, "iss": "evil"}, settings.JWT_SIGNING_KEY, algorithm="HS256"),
            id="issuer",
        ),
        pytest.param(lambda c: "garbage." * 3, id="garbage"),
    ],
)
def test_forged_tokens_are_refused(api_client, user, forge):
    genuine = jwt.decode(
        tokens_issue(user=user, auth_method="otp").access_token, options={"verify_signature": False}
    )
    assert me(api_client, forge(genuine)).status_code == 401


def test_graphql_accepts_bearer_tokens(user):
    client = bearer_client(user)
    data = gql(client, "{ me { id phone } }")
    assert data["me"]["id"] == str(user.public_id)


def test_graphql_token_mutations(api_client, user):
    pair = tokens_issue(user=user, auth_method="otp")
    mutation = "mutation($t: String!) { refreshToken(refreshToken: $t) { ok errors { code } tokens { refreshToken } } }"
    client = bearer_client(user)
    first = gql(client, mutation, {"t": pair.refresh_token})["refreshToken"]
    assert first["ok"] is True
    again = gql(client, mutation, {"t": pair.refresh_token})["refreshToken"]
    assert again == {"ok": False, "errors": [{"code": "refresh_token_reused"}], "tokens": None}


# --- property: the refresh-token state machine -------------------------------------------

actions = st.lists(st.sampled_from(["refresh_latest", "replay_old", "logout"]), min_size=1, max_size=6)


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=actions)
def test_refresh_family_state_machine(api_client, steps):
    """Whatever the sequence: a token works at most once; after a replay or a logout
    nothing of the family works any more."""
    cache.clear()  # throttle counters: each example is a fresh client
    user = UserFactory()
    pair = tokens_issue(user=user, auth_method="otp")
    issued = [pair.refresh_token]
    dead = False
    for step in steps:
        if step == "refresh_latest":
            response = refresh(api_client, issued[-1])
            if dead:
                assert response.status_code == 401
            else:
                assert response.status_code == 200
                issued.append(response.json()["refresh_token"])
        elif step == "replay_old" and len(issued) > 1:
            assert refresh(api_client, issued[0]).status_code == 401
            dead = True
        elif step == "logout":
            api_client.post(
                "/api/v1/auth/logout",
                {"refresh_token": issued[-1]},
                format="json",
                HTTP_AUTHORIZATION=f"Bearer {pair.access_token}" if not dead else "",
            )
            dead = True
            api_client.credentials()
    for token in issued:
        if dead:
            assert refresh(api_client, token).status_code == 401
    live = RefreshToken.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).count()
    assert live == (0 if dead else 1)
