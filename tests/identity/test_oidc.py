"""Keycloak / OIDC against a real OpenID Provider (panva/oidc-provider on loopback):
web login with the authorization code flow + PKCE, bearer tokens verified with the JWKS,
key rotation, and refusal of expired, forged, wrong-audience and alg=none tokens."""

import base64
import json
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from apps.identity.models import User
from tests.identity.oidc_flows import OTHER_RESOURCE, authorize, mobile_access_token

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("oidc")]

ME = "/api/v1/identity/me"


@pytest.fixture
def oidc(settings, oidc_provider):
    discovery = oidc_provider.discovery
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_JWKS_URI = settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
    settings.OIDC_RP_CLIENT_ID = "hokwe-web"
    settings.OIDC_RP_CLIENT_SECRET = "hokwe-web-secret"
    settings.OIDC_AUDIENCE = "hokwe-api"
    return oidc_provider


def me(api_client, token):
    return api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_web_login_with_the_code_flow_and_pkce(oidc):
    browser = Client()
    start = browser.get("/manager/identity/oidc/authenticate/")
    assert start.status_code == 302
    auth_url = start["Location"]
    params = parse_qs(urlsplit(auth_url).query)
    assert auth_url.startswith(oidc.issuer)
    assert params["code_challenge_method"] == ["S256"] and params["code_challenge"]
    callback = "http://testserver/manager/identity/oidc/callback/"
    result = authorize(auth_url, account="user-web", redirect_prefix=callback)
    done = browser.get("/manager/identity/oidc/callback/", {"code": result["code"], "state": result["state"]})
    assert done.status_code == 302 and done["Location"] == "/manager/"
    user = User.objects.get(oidc_sub="user-web")
    assert user.full_name == "OIDC user-web" and str(user.phone).startswith("+22901")
    assert browser.get("/manager/").status_code == 200
    # the second login finds the same user (linked by sub)
    again = Client()
    auth_url = again.get("/manager/identity/oidc/authenticate/")["Location"]
    result = authorize(auth_url, account="user-web", redirect_prefix=callback)
    again.get("/manager/identity/oidc/callback/", {"code": result["code"], "state": result["state"]})
    assert User.objects.filter(oidc_sub="user-web").count() == 1


def test_login_page_offers_sso_when_configured(oidc, client):
    assert "Hokwe SSO" in client.get("/manager/login/").content.decode()


def test_bearer_tokens_from_the_provider_are_verified_locally(oidc, api_client):
    token = mobile_access_token(oidc.issuer, account="user-mobile")
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "RS256" and header["kid"]
    response = me(api_client, token)
    assert response.status_code == 200
    assert User.objects.get(oidc_sub="user-mobile").public_id.hex == response.json()["id"].replace("-", "")


def web_login(account: str) -> Client:
    browser = Client()
    auth_url = browser.get("/manager/identity/oidc/authenticate/")["Location"]
    result = authorize(
        auth_url, account=account, redirect_prefix="http://testserver/manager/identity/oidc/callback/"
    )
    browser.get("/manager/identity/oidc/callback/", {"code": result["code"], "state": result["state"]})
    return browser


def test_an_existing_phone_account_is_linked_not_duplicated(oidc):
    web_login("user-linked")
    first = User.objects.get(oidc_sub="user-linked")
    # As if this number had signed up with a phone code before SSO existed.
    User.objects.filter(pk=first.pk).update(oidc_sub=None, full_name="Inscrit par SMS")
    web_login("user-linked")
    linked = User.objects.get(oidc_sub="user-linked")
    assert linked.pk == first.pk and linked.full_name == "Inscrit par SMS"
    assert User.objects.filter(phone=first.phone).count() == 1


def test_a_suspended_user_cannot_log_in_with_sso(oidc):
    web_login("user-susp")
    User.objects.filter(oidc_sub="user-susp").update(status=User.Status.SUSPENDED)
    browser = web_login("user-susp")
    assert browser.get("/manager/").status_code == 302  # not logged in


def test_keycloak_realm_roles_map_to_staff_roles(oidc):
    from apps.identity.services.oidc import user_for_oidc_claims

    user = user_for_oidc_claims({"sub": "kc-1", "realm_access": {"roles": ["hokwe-staff-compliance", "x"]}})
    assert (user.is_staff, user.staff_role) == (True, "compliance")
    user = user_for_oidc_claims({"sub": "kc-1", "realm_access": {"roles": []}})
    assert (user.is_staff, user.staff_role) == (False, "")


def test_key_rotation_refreshes_the_cached_jwks(oidc, api_client, clock, settings):
    before = mobile_access_token(oidc.issuer, account="user-rot")
    assert me(api_client, before).status_code == 200  # caches the JWKS
    new_kid = oidc.rotate_keys()
    after = mobile_access_token(oidc.issuer, account="user-rot")
    assert jwt.get_unverified_header(after)["kid"] == new_kid
    clock.shift(settings.OIDC_JWKS_MIN_REFRESH_SECONDS + 1)
    assert me(api_client, after).status_code == 200  # unknown kid -> JWKS fetched again
    assert me(api_client, before).status_code == 200  # the old key is still published


def test_an_unknown_kid_does_not_refetch_within_the_floor(oidc, api_client):
    token = mobile_access_token(oidc.issuer, account="user-floor")
    assert me(api_client, token).status_code == 200
    oidc.rotate_keys()
    fresh = mobile_access_token(oidc.issuer, account="user-floor")
    assert me(api_client, fresh).status_code == 401  # within the refresh floor: refused, no fetch


def test_an_expired_provider_token_is_refused(oidc, api_client, clock):
    token = mobile_access_token(oidc.issuer, account="user-exp")
    assert me(api_client, token).status_code == 200
    clock.shift(15 * 60 + 1)
    assert me(api_client, token).status_code == 401


def test_a_token_for_another_audience_is_refused(oidc, api_client):
    token = mobile_access_token(oidc.issuer, account="user-aud", resource=OTHER_RESOURCE)
    assert jwt.decode(token, options={"verify_signature": False})["aud"] == "other-api"
    assert me(api_client, token).status_code == 401


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_forged_and_alg_none_tokens_are_refused(oidc, api_client):
    genuine = mobile_access_token(oidc.issuer, account="user-forge")
    header = jwt.get_unverified_header(genuine)
    claims = jwt.decode(genuine, options={"verify_signature": False})
    claims["sub"] = "someone-else"

    attacker_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, attacker_key, algorithm="RS256", headers={"kid": header["kid"]})
    none = f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': header['kid']})}.{_b64(claims)}."
    tampered = ".".join([genuine.split(".")[0], _b64(claims), genuine.split(".")[2]])
    hs_with_public = jwt.encode(
        claims, "public-key-as-secret" * 4, algorithm="HS512", headers={"kid": header["kid"]}
    )
    for token in (forged, none, tampered, hs_with_public):
        assert me(api_client, token).status_code == 401, token[:20]
    assert not User.objects.filter(oidc_sub="someone-else").exists()


def test_oidc_bearer_tokens_work_on_graphql(oidc, api_client):
    token = mobile_access_token(oidc.issuer, account="user-gql")
    response = api_client.post(
        "/graphql", {"query": "{ me { id } }"}, format="json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200 and response.json()["data"]["me"]["id"]


def test_provider_tokens_are_refused_when_oidc_is_off(oidc_provider, api_client, settings):
    token = mobile_access_token(oidc_provider.issuer, account="user-off")
    settings.OIDC_ISSUER = ""
    assert me(api_client, token).status_code == 401
