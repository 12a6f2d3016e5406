"""GraphQL surfaces of identity: typed errors in payloads, and org isolation."""

import pytest
from rest_framework.test import APIClient

from apps.identity.models import Membership
from apps.identity.services.step_up import step_up_start, step_up_verify
from tests.helpers import bearer_client, gql, gql_response
from tests.identity.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_request_and_verify_otp(api_client, sms):
    data = gql(
        api_client,
        'mutation { identityRequestOtp(phone: "01 97 12 34 56") { ok errors { field code } expiresIn } }',
    )
    assert data["identityRequestOtp"] == {"ok": True, "errors": [], "expiresIn": 300}
    verify = """mutation($c: String!) { identityVerifyOtp(phone: "+2290197123456", code: $c) {
        ok errors { code } tokens { accessToken expiresIn created user { phone } } } }"""
    data = gql(api_client, verify, {"c": sms.last_code()})["identityVerifyOtp"]
    assert data["ok"] and data["tokens"]["created"] and data["tokens"]["user"]["phone"] == "+2290197123456"


@pytest.mark.parametrize(
    ("language", "start"), [("fr", "Saisissez un numéro"), ("en", "Enter a valid phone number")]
)
def test_invalid_phone_is_a_typed_translated_error(api_client, sms, language, start):
    data = gql(
        api_client,
        'mutation { identityRequestOtp(phone: "12") { ok errors { field code message } } }',
        HTTP_ACCEPT_LANGUAGE=language,
    )["identityRequestOtp"]
    assert data["ok"] is False
    assert data["errors"][0]["field"] == "phone" and data["errors"][0]["code"] == "invalid_phone"
    assert data["errors"][0]["message"].startswith(start)


def test_brute_force_lock_over_graphql(api_client, sms):
    gql(api_client, 'mutation { identityRequestOtp(phone: "+2290197123456") { ok } }')
    good = sms.last_code()
    wrong = "000000" if good != "000000" else "111111"
    mutation = 'mutation($c: String!) { identityVerifyOtp(phone: "+2290197123456", code: $c) { ok errors { code } } }'
    codes = [
        gql(api_client, mutation, {"c": wrong})["identityVerifyOtp"]["errors"][0]["code"] for _ in range(5)
    ]
    assert codes == ["otp_invalid"] * 4 + ["otp_locked"]
    assert gql(api_client, mutation, {"c": good})["identityVerifyOtp"]["errors"][0]["code"] == "otp_locked"


def test_my_organizations_and_members(org_a, owner_a, django_assert_max_num_queries):
    for _ in range(10):
        MembershipFactory(organization=org_a, role="viewer")
    client = bearer_client(owner_a)
    query = """query($id: UUID!) { identityMyOrganizations { id name myRole }
        identityOrganizationMembers(organizationId: $id) { id role user { fullName phone } } }"""
    with django_assert_max_num_queries(5):
        data = gql(client, query, {"id": str(org_a.public_id)})
    assert data["identityMyOrganizations"] == [
        {"id": str(org_a.public_id), "name": org_a.name, "myRole": "owner"}
    ]
    assert len(data["identityOrganizationMembers"]) == 11


def test_create_and_update_organization(user):
    client = bearer_client(user)
    created = gql(
        client,
        'mutation { identityCreateOrganization(name: "Boutique Akpakpa", kind: "merchant") { ok organization { id myRole } } }',
    )
    org = created["identityCreateOrganization"]["organization"]
    assert org["myRole"] == "owner"
    updated = gql(
        client,
        'mutation($id: UUID!) { identityUpdateOrganization(id: $id, city: "Cotonou", phone: "12") { ok errors { field code } } }',
        {"id": org["id"]},
    )["identityUpdateOrganization"]
    assert updated == {"ok": False, "errors": [{"field": "phone", "code": "invalid_phone"}]}


def test_change_role_needs_step_up_and_a_collector_cannot(sms, org_a, owner_a, collector_a, viewer_a):
    member = Membership.objects.get(user=viewer_a)
    mutation = """mutation($o: UUID!, $m: UUID!, $t: String) {
        identityChangeMemberRole(organizationId: $o, memberId: $m, role: "manager", stepUpToken: $t) {
        ok errors { code } membership { role } } }"""
    variables = {"o": str(org_a.public_id), "m": str(member.public_id), "t": None}
    as_owner = gql(bearer_client(owner_a), mutation, variables)["identityChangeMemberRole"]
    assert as_owner["errors"] == [{"code": "step_up_required"}]
    as_collector = gql(bearer_client(collector_a), mutation, variables)["identityChangeMemberRole"]
    assert as_collector["errors"] == [{"code": "forbidden"}]

    client = bearer_client(owner_a)
    start = gql(
        client,
        'mutation($t: String!) { identityStartStepUp(action: "identity.member.change_role", target: $t) { ok challengeId } }',
        {"t": f"membership:{member.public_id}:role:manager"},
    )["identityStartStepUp"]
    proof = gql(
        client,
        "mutation($c: String!, $k: String!) { identityVerifyStepUp(challengeId: $c, code: $k) { ok stepUpToken } }",
        {"c": start["challengeId"], "k": sms.last_code(owner_a.phone)},
    )["identityVerifyStepUp"]
    done = gql(client, mutation, {**variables, "t": proof["stepUpToken"]})["identityChangeMemberRole"]
    assert done == {"ok": True, "errors": [], "membership": {"role": "manager"}}


def test_member_of_b_sees_nothing_of_a(org_a, owner_a, viewer_a, owner_b):
    member = Membership.objects.get(user=viewer_a)
    intruder = bearer_client(owner_b)
    a = str(org_a.public_id)
    data = gql(
        intruder,
        """query($id: UUID!) { identityOrganization(id: $id) { name } identityOrganizationMembers(organizationId: $id) { id }
            identityOrganizationInvitations(organizationId: $id) { id } identityMyOrganizations { id } }""",
        {"id": a},
    )
    assert data == {
        "identityOrganization": None,
        "identityOrganizationMembers": [],
        "identityOrganizationInvitations": [],
        "identityMyOrganizations": [{"id": str(owner_b.memberships.get().organization.public_id)}],
    }
    mutations = [
        (
            'mutation($o: UUID!) { identityUpdateOrganization(id: $o, city: "X") { ok errors { code } } }',
            "identityUpdateOrganization",
        ),
        (
            'mutation($o: UUID!) { identityInviteMember(organizationId: $o, phone: "+2290197554433", role: "owner") { ok errors { code } } }',
            "identityInviteMember",
        ),
        (
            "mutation($o: UUID!, $m: UUID!) { identityRemoveMember(organizationId: $o, memberId: $m) { ok errors { code } } }",
            "identityRemoveMember",
        ),
        (
            'mutation($o: UUID!, $m: UUID!) { identityChangeMemberRole(organizationId: $o, memberId: $m, role: "owner") { ok errors { code } } }',
            "identityChangeMemberRole",
        ),
    ]
    for mutation, name in mutations:
        result = gql(intruder, mutation, {"o": a, "m": str(member.public_id)})[name]
        assert result == {"ok": False, "errors": [{"code": "not_found"}]}, name


def test_anonymous_gets_unauthenticated_and_typed_errors(api_client):
    body = gql_response(api_client, "{ identityMe { id } }")
    assert body["data"] == {"identityMe": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["unauthenticated"]
    data = gql(api_client, "mutation { identityLogoutAll { ok errors { code } } }")
    assert data["identityLogoutAll"] == {"ok": False, "errors": [{"code": "not_authenticated"}]}


def test_update_me(user):
    client = bearer_client(user)
    data = gql(
        client,
        'mutation { identityUpdateMe(preferredLanguage: "en", fullName: "Afi") { ok user { preferredLanguage fullName } } }',
    )
    assert data["identityUpdateMe"] == {"ok": True, "user": {"preferredLanguage": "en", "fullName": "Afi"}}
    bad = gql(client, 'mutation { identityUpdateMe(preferredLanguage: "de") { ok errors { field } } }')[
        "identityUpdateMe"
    ]
    assert bad == {"ok": False, "errors": [{"field": "preferredLanguage"}]}


def test_step_up_helpers_are_bound(sms, user):
    from tests.helpers import enrol_totp, totp_code

    device = enrol_totp(user)  # a payout is a strong action: the authenticator app answers (issue 16)
    challenge = step_up_start(
        actor=user, action="payments.payout.create", target="p1", amount=5000, currency="XOF"
    )
    assert challenge.method == "totp" and sms.messages == []
    proof = step_up_verify(actor=user, challenge_id=challenge.challenge_id, code=totp_code(device))
    assert proof.token


def test_a_reused_refresh_token_revokes_its_family_over_graphql(user):
    """The refusal keeps what the service wrote before refusing: the whole family is revoked
    (not rolled back with the typed error), so the stolen pair's sibling is dead too."""
    from apps.identity.models import RefreshToken
    from apps.identity.services.tokens import tokens_issue

    pair = tokens_issue(user=user, auth_method="otp")
    mutation = """mutation($t: String!) { identityRefreshToken(refreshToken: $t) {
        ok errors { code } tokens { refreshToken } } }"""
    client = APIClient()
    first = gql(client, mutation, {"t": pair.refresh_token})["identityRefreshToken"]
    assert first["ok"] is True
    reused = gql(client, mutation, {"t": pair.refresh_token})["identityRefreshToken"]
    assert reused == {"ok": False, "errors": [{"code": "refresh_token_reused"}], "tokens": None}
    assert not RefreshToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    sibling = gql(client, mutation, {"t": first["tokens"]["refreshToken"]})["identityRefreshToken"]
    assert sibling["ok"] is False


def test_a_wrong_code_stays_in_the_audit_log_and_a_rate_limit_says_when(api_client, sms, settings):
    from apps.identity.models import SecurityEvent

    gql(api_client, 'mutation { identityRequestOtp(phone: "+2290197123456") { ok } }')
    good = sms.last_code()
    wrong = "000000" if good != "000000" else "111111"
    mutation = 'mutation($c: String!) { identityVerifyOtp(phone: "+2290197123456", code: $c) { ok errors { code } } }'
    assert gql(api_client, mutation, {"c": wrong})["identityVerifyOtp"]["errors"] == [{"code": "otp_invalid"}]
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OTP_FAILED).count() == 1
    again = gql(
        api_client,
        'mutation { identityRequestOtp(phone: "+2290197123456") { ok errors { code } retryAfter } }',
    )["identityRequestOtp"]
    assert again["ok"] is False and again["errors"] == [{"code": "otp_cooldown"}] and again["retryAfter"] >= 1


def test_the_old_names_still_work(api_client, sms, org_a, owner_a, viewer_a):
    """Deprecated aliases (docs/identity.md): the apps keep working while they move."""
    sent = gql(api_client, 'mutation { requestOtp(phone: "+2290197123456") { ok expiresIn } }')["requestOtp"]
    assert sent == {"ok": True, "expiresIn": 300}
    verify = """mutation($c: String!) { verifyOtp(phone: "+2290197123456", code: $c) {
        ok tokens { accessToken refreshToken } } }"""
    tokens = gql(api_client, verify, {"c": sms.last_code()})["verifyOtp"]["tokens"]
    refreshed = gql(
        api_client,
        "mutation($t: String!) { refreshToken(refreshToken: $t) { ok tokens { refreshToken } } }",
        {"t": tokens["refreshToken"]},
    )["refreshToken"]
    assert refreshed["ok"] is True
    logout = gql(
        api_client,
        "mutation($t: String!) { logout(refreshToken: $t) { ok errors { code } } }",
        {"t": refreshed["tokens"]["refreshToken"]},
    )
    assert logout["logout"] == {"ok": True, "errors": []}

    client = bearer_client(owner_a)
    a = {"id": str(org_a.public_id)}
    old = gql(
        client,
        """query($id: UUID!) { me { id } myOrganizations { id } organization(id: $id) { name }
            organizationMembers(organizationId: $id) { id } organizationInvitations(organizationId: $id) { id } }""",
        a,
    )
    new = gql(
        client,
        """query($id: UUID!) { identityMe { id } identityMyOrganizations { id } identityOrganization(id: $id) { name }
            identityOrganizationMembers(organizationId: $id) { id }
            identityOrganizationInvitations(organizationId: $id) { id } }""",
        a,
    )
    assert old == {name[8].lower() + name[9:]: value for name, value in new.items()}
    assert old["me"] == {"id": str(owner_a.public_id)} and len(old["organizationMembers"]) == 2
    updated = gql(client, 'mutation { updateMe(fullName: "Afi") { ok user { fullName } } }')["updateMe"]
    assert updated == {"ok": True, "user": {"fullName": "Afi"}}
    created = gql(
        client,
        'mutation { createOrganization(name: "Boutique", kind: "merchant") { ok organization { myRole } } }',
    )["createOrganization"]
    assert created == {"ok": True, "organization": {"myRole": "owner"}}
    assert gql(client, "mutation { logoutAll { ok } }") == {"logoutAll": {"ok": True}}


# --- closing my account, revoking an invitation (REST parity, issue 14) -------------------------

CLOSE = "mutation($t: String) { identityCloseAccount(stepUpToken: $t) { ok errors { code } } }"
STEP_UP = """mutation($t: String!) { identityStartStepUp(action: "identity.user.close", target: $t) {
    ok challengeId } }"""
VERIFY_STEP_UP = """mutation($c: String!, $k: String!) { identityVerifyStepUp(challengeId: $c, code: $k) {
    ok stepUpToken } }"""


def close_proof(sms, user, target=None) -> str:
    """`user`'s step-up proof for closing the account `target` (their own by default)."""
    client = bearer_client(user)
    start = gql(client, STEP_UP, {"t": str((target or user).public_id)})["identityStartStepUp"]
    verified = gql(client, VERIFY_STEP_UP, {"c": start["challengeId"], "k": sms.last_code(user.phone)})
    return verified["identityVerifyStepUp"]["stepUpToken"]


def test_close_my_account_with_my_step_up(sms, org_a, viewer_a):
    from apps.identity.models import RefreshToken, User

    client = bearer_client(viewer_a)
    done = gql(client, CLOSE, {"t": close_proof(sms, viewer_a)})["identityCloseAccount"]
    assert done == {"ok": True, "errors": []}
    closed = User.objects.get(pk=viewer_a.pk)  # the row stays, anonymised, as over REST
    assert (closed.phone, closed.full_name, closed.status) == (None, "", "closed")
    assert not Membership.objects.get(user=closed).is_active
    assert not RefreshToken.objects.filter(user=closed, revoked_at__isnull=True).exists()
    response = client.post("/graphql", {"query": "{ identityMe { id } }"}, format="json")
    assert (response.status_code, response.json()["code"]) == (401, "account_inactive")  # as REST


def test_closing_needs_the_callers_own_step_up(sms, org_a, owner_a, viewer_a, owner_b):
    from apps.identity.models import User

    client = bearer_client(viewer_a)
    missing = gql(client, CLOSE, {"t": None})["identityCloseAccount"]
    assert missing == {"ok": False, "errors": [{"code": "step_up_required"}]}
    # another organization's owner cannot lend a proof, even one naming this account
    lent = close_proof(sms, owner_b, target=viewer_a)
    assert gql(client, CLOSE, {"t": lent})["identityCloseAccount"]["errors"] == [{"code": "step_up_required"}]
    # nor close it with their own proof: it is bound to the caller's own account
    assert gql(bearer_client(owner_b), CLOSE, {"t": lent})["identityCloseAccount"]["errors"] == [
        {"code": "step_up_required"}
    ]
    assert set(User.objects.filter(pk__in=[viewer_a.pk, owner_b.pk]).values_list("status", flat=True)) == {
        "active"
    }


def test_the_last_owner_of_a_team_is_refused_and_nothing_changes(sms, org_a, owner_a, viewer_a):
    from apps.identity.models import User

    client = bearer_client(owner_a)
    refused = gql(client, CLOSE, {"t": close_proof(sms, owner_a)})["identityCloseAccount"]
    assert refused == {"ok": False, "errors": [{"code": "last_owner"}]}
    assert User.objects.get(pk=owner_a.pk).status == "active"
    assert Membership.objects.get(user=owner_a).is_active
    assert gql(client, "{ identityMe { id } }") == {"identityMe": {"id": str(owner_a.public_id)}}


REVOKE = """mutation($o: UUID!, $i: UUID!) { identityRevokeInvitation(organizationId: $o, invitationId: $i) {
    ok errors { code } invitation { id status } } }"""


def test_revoke_an_invitation(sms, org_a, owner_a, viewer_a, owner_b, django_capture_on_commit_callbacks):
    from apps.identity.models import Invitation

    client = bearer_client(owner_a)
    with django_capture_on_commit_callbacks(execute=True):  # the SMS leaves after commit
        invited = gql(
            client,
            'mutation($o: UUID!) { identityInviteMember(organizationId: $o, phone: "+2290197554433", role: "viewer") { ok invitation { id } } }',
            {"o": str(org_a.public_id)},
        )["identityInviteMember"]["invitation"]
    variables = {"o": str(org_a.public_id), "i": invited["id"]}
    token = sms.last_link().rstrip("/").rsplit("/", 1)[-1]
    request_code = "mutation($t: String!) { identityRequestInvitationCode(token: $t) { ok errors { code } } }"
    assert gql(APIClient(), request_code, {"t": token})["identityRequestInvitationCode"]["ok"] is True
    refused = {"ok": False, "errors": [{"code": "not_found"}], "invitation": None}
    assert gql(bearer_client(owner_b), REVOKE, variables)["identityRevokeInvitation"] == refused
    assert (
        gql(bearer_client(viewer_a), REVOKE, variables)["identityRevokeInvitation"] == refused
    )  # as REST: 404
    assert Invitation.objects.get(public_id=invited["id"]).status == "pending"

    done = gql(client, REVOKE, variables)["identityRevokeInvitation"]
    assert done == {"ok": True, "errors": [], "invitation": {"id": invited["id"], "status": "revoked"}}
    assert gql(client, REVOKE, variables)["identityRevokeInvitation"] == refused  # no longer pending
    code = gql(APIClient(), request_code, {"t": token})[
        "identityRequestInvitationCode"
    ]  # the SMS link is dead
    assert code == {"ok": False, "errors": [{"code": "invitation_invalid"}]}


PHONE = "+2290197550011"


def _app():
    """A client as a mobile app is: no cookies kept, CSRF enforced as in production."""
    from django.test import Client

    return Client(enforce_csrf_checks=True)


def _call(client, query, variables=None, token=None):
    from tests.helpers import graphql_post

    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = graphql_post(client, {"query": query, "variables": variables or {}}, **extra)
    assert response.status_code == 200, response.content
    return response.json()


def test_login_refresh_and_logout_over_graphql_alone(sms):
    app = _app()
    sent = _call(
        app, "mutation($p: String!) { identityRequestOtp(phone: $p) { ok errors { code } } }", {"p": PHONE}
    )
    assert sent["data"]["identityRequestOtp"] == {"ok": True, "errors": []}

    verify = """mutation($p: String!, $c: String!) { identityVerifyOtp(phone: $p, code: $c) {
        ok errors { code } tokens { accessToken refreshToken user { phone } } } }"""
    tokens = _call(app, verify, {"p": PHONE, "c": sms.last_code(PHONE)})["data"]["identityVerifyOtp"][
        "tokens"
    ]
    assert tokens["user"]["phone"] == PHONE

    me = _call(app, "{ identityMe { phone } }", token=tokens["accessToken"])
    assert me == {"data": {"identityMe": {"phone": PHONE}}}

    refresh = """mutation($r: String!) { identityRefreshToken(refreshToken: $r) {
        ok errors { code } tokens { accessToken refreshToken } } }"""
    renewed = _call(app, refresh, {"r": tokens["refreshToken"]})["data"]["identityRefreshToken"]
    assert renewed["ok"] and renewed["tokens"]["accessToken"] != tokens["accessToken"]

    out = _call(
        app,
        "mutation($r: String!) { identityLogout(refreshToken: $r) { ok errors { code } } }",
        {"r": renewed["tokens"]["refreshToken"]},
        token=renewed["tokens"]["accessToken"],
    )
    assert out["data"]["identityLogout"] == {"ok": True, "errors": []}
    # The refresh token of the logged-out session no longer works.
    again = _call(app, refresh, {"r": renewed["tokens"]["refreshToken"]})["data"]["identityRefreshToken"]
    assert again["ok"] is False and again["errors"]
