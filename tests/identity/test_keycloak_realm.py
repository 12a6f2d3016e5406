"""The Keycloak realm export matches what the code expects (Keycloak cannot run here;
the protocol itself is tested against a real OpenID Provider in test_oidc.py)."""

import json
from pathlib import Path

from django.conf import settings

REALM = json.loads(
    (Path(__file__).resolve().parents[2] / "deploy" / "keycloak" / "hokwe-realm.json").read_text()
)


def client(client_id):
    return next(c for c in REALM["clients"] if c["clientId"] == client_id)


def test_mobile_client_is_public_with_pkce():
    mobile = client("hokwe-mobile")
    assert (
        mobile["publicClient"]
        and not mobile["implicitFlowEnabled"]
        and not mobile["directAccessGrantsEnabled"]
    )
    assert mobile["attributes"]["pkce.code.challenge.method"] == "S256"


def test_web_client_is_confidential_and_tokens_name_our_audience():
    web = client("hokwe-web")
    assert not web["publicClient"] and web["secret"].startswith("${")
    for c in (web, client("hokwe-mobile")):
        audiences = [
            m["config"]["included.custom.audience"]
            for m in c["protocolMappers"]
            if m["protocolMapper"] == "oidc-audience-mapper"
        ]
        assert audiences == [settings.OIDC_AUDIENCE]


def test_staff_roles_map_to_ours_and_need_otp():
    roles = {r["name"] for r in REALM["roles"]["realm"]}
    for role in ("support", "compliance", "finance", "admin"):
        assert f"{settings.OIDC_STAFF_ROLE_PREFIX}{role}" in roles
    assert REALM["browserFlow"] == "browser-staff-otp"
    staff_otp = next(f for f in REALM["authenticationFlows"] if f["alias"] == "staff OTP")
    assert [e["authenticator"] for e in staff_otp["authenticationExecutions"]] == [
        "conditional-user-role",
        "auth-otp-form",
    ]
    assert REALM["authenticatorConfig"][0]["config"]["condUserRole"] == "hokwe-staff"
