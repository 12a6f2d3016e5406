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


# --- SAML 2.0 by brokering (issue 16): Keycloak speaks SAML to a partner's identity provider and
# OIDC to Hokwe, so Hokwe's code (tokens, linking by verified phone) does not change.


def saml_idp():
    (idp,) = [p for p in REALM.get("identityProviders", []) if p["providerId"] == "saml"]
    return idp


def test_a_saml_identity_provider_is_brokered_and_well_formed():
    idp = saml_idp()
    config = idp["config"]
    assert idp["alias"] == "saml-partner" and idp["enabled"] is True
    assert not idp["linkOnly"] and not idp["hideOnLogin"]  # offered on the login page
    assert config["entityId"].startswith("https://") and config["entityId"].endswith(
        "/realms/" + REALM["realm"]
    )
    for placeholder in ("idpEntityId", "singleSignOnServiceUrl", "signingCertificate"):
        assert config[placeholder].startswith("${") and config[placeholder].endswith(
            "}"
        )  # set per deployment
    assert config["nameIDPolicyFormat"] == "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
    # signed both ways, assertions too: an unsigned or forged response is refused by Keycloak
    assert (
        config["validateSignature"]
        == config["wantAssertionsSigned"]
        == config["wantAuthnRequestsSigned"]
        == "true"
    )
    assert config["signatureAlgorithm"] == "RSA_SHA256"
    assert idp["trustEmail"] is False


def test_the_saml_mappers_fill_the_attributes_hokwe_reads_and_never_vouch_for_the_phone():
    alias = saml_idp()["alias"]
    mappers = {
        m["config"]["user.attribute"]: m
        for m in REALM["identityProviderMappers"]
        if m["identityProviderAlias"] == alias
    }
    assert {"phone_number", "email"} <= set(mappers)
    for mapper in mappers.values():
        assert mapper["identityProviderMapper"] == "saml-user-attribute-idp-mapper"
        assert mapper["config"]["attribute.name"].startswith("urn:oid:")
    # Hokwe links a Keycloak account to an existing one only on a VERIFIED phone: the partner's
    # directory does not get to vouch for it (docs/identity.md, "SAML 2.0")
    assert "phone_number_verified" not in mappers
    # the web client's phone mapper (OIDC side) carries what the broker filled in
    web_mappers = {m["name"] for m in client("hokwe-web")["protocolMappers"]}
    assert {"phone_number", "phone_number_verified"} <= web_mappers


def test_the_oidc_client_hokwe_uses_offers_the_saml_provider():
    web = client("hokwe-web")
    flow_alias = (web.get("authenticationFlowBindingOverrides") or {}).get("browser") or REALM["browserFlow"]
    flow = next(f for f in REALM["authenticationFlows"] if f["alias"] == flow_alias)
    redirector = [
        e
        for e in flow["authenticationExecutions"]
        if e.get("authenticator") == "identity-provider-redirector"
    ]
    assert (
        redirector and redirector[0]["requirement"] == "ALTERNATIVE"
    )  # ?kc_idp_hint=saml-partner goes straight there
    assert web["enabled"] and web["standardFlowEnabled"] and web["clientId"] == settings.OIDC_RP_CLIENT_ID
