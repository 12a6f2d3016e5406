"""GraphQL surfaces of identity: typed errors in payloads, and org isolation."""

import pytest

from apps.identity.models import Membership
from apps.identity.services.step_up import step_up_start, step_up_verify
from tests.identity.conftest import bearer_client, gql
from tests.identity.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_request_and_verify_otp(api_client, sms):
    data = gql(
        api_client, 'mutation { requestOtp(phone: "01 97 12 34 56") { ok errors { field code } expiresIn } }'
    )
    assert data["requestOtp"] == {"ok": True, "errors": [], "expiresIn": 300}
    verify = """mutation($c: String!) { verifyOtp(phone: "+2290197123456", code: $c) {
        ok errors { code } tokens { accessToken expiresIn created user { phone } } } }"""
    data = gql(api_client, verify, {"c": sms.last_code()})["verifyOtp"]
    assert data["ok"] and data["tokens"]["created"] and data["tokens"]["user"]["phone"] == "+2290197123456"


@pytest.mark.parametrize(
    ("language", "start"), [("fr", "Saisissez un numéro"), ("en", "Enter a valid phone number")]
)
def test_invalid_phone_is_a_typed_translated_error(api_client, sms, language, start):
    data = gql(
        api_client,
        'mutation { requestOtp(phone: "12") { ok errors { field code message } } }',
        HTTP_ACCEPT_LANGUAGE=language,
    )["requestOtp"]
    assert data["ok"] is False
    assert data["errors"][0]["field"] == "phone" and data["errors"][0]["code"] == "invalid_phone"
    assert data["errors"][0]["message"].startswith(start)


def test_brute_force_lock_over_graphql(api_client, sms):
    gql(api_client, 'mutation { requestOtp(phone: "+2290197123456") { ok } }')
    good = sms.last_code()
    wrong = "000000" if good != "000000" else "111111"
    mutation = 'mutation($c: String!) { verifyOtp(phone: "+2290197123456", code: $c) { ok errors { code } } }'
    codes = [gql(api_client, mutation, {"c": wrong})["verifyOtp"]["errors"][0]["code"] for _ in range(5)]
    assert codes == ["otp_invalid"] * 4 + ["otp_locked"]
    assert gql(api_client, mutation, {"c": good})["verifyOtp"]["errors"][0]["code"] == "otp_locked"


def test_my_organizations_and_members(org_a, owner_a, django_assert_max_num_queries):
    for _ in range(10):
        MembershipFactory(organization=org_a, role="viewer")
    client = bearer_client(owner_a)
    query = """query($id: UUID!) { myOrganizations { id name myRole }
        organizationMembers(organizationId: $id) { id role user { fullName phone } } }"""
    with django_assert_max_num_queries(5):
        data = gql(client, query, {"id": str(org_a.public_id)})
    assert data["myOrganizations"] == [{"id": str(org_a.public_id), "name": org_a.name, "myRole": "owner"}]
    assert len(data["organizationMembers"]) == 11


def test_create_and_update_organization(user):
    client = bearer_client(user)
    created = gql(
        client,
        'mutation { createOrganization(name: "Boutique Akpakpa", kind: "merchant") { ok organization { id myRole } } }',
    )
    org = created["createOrganization"]["organization"]
    assert org["myRole"] == "owner"
    updated = gql(
        client,
        'mutation($id: UUID!) { updateOrganization(id: $id, city: "Cotonou", phone: "12") { ok errors { field code } } }',
        {"id": org["id"]},
    )["updateOrganization"]
    assert updated == {"ok": False, "errors": [{"field": "phone", "code": "invalid_phone"}]}


def test_change_role_needs_step_up_and_a_collector_cannot(sms, org_a, owner_a, collector_a, viewer_a):
    member = Membership.objects.get(user=viewer_a)
    mutation = """mutation($o: UUID!, $m: UUID!, $t: String) {
        changeMemberRole(organizationId: $o, memberId: $m, role: "manager", stepUpToken: $t) {
        ok errors { code } membership { role } } }"""
    variables = {"o": str(org_a.public_id), "m": str(member.public_id), "t": None}
    as_owner = gql(bearer_client(owner_a), mutation, variables)["changeMemberRole"]
    assert as_owner["errors"] == [{"code": "step_up_required"}]
    as_collector = gql(bearer_client(collector_a), mutation, variables)["changeMemberRole"]
    assert as_collector["errors"] == [{"code": "forbidden"}]

    client = bearer_client(owner_a)
    start = gql(
        client,
        'mutation($t: String!) { startStepUp(action: "identity.member.change_role", target: $t) { ok challengeId } }',
        {"t": f"membership:{member.public_id}:role:manager"},
    )["startStepUp"]
    proof = gql(
        client,
        "mutation($c: String!, $k: String!) { verifyStepUp(challengeId: $c, code: $k) { ok stepUpToken } }",
        {"c": start["challengeId"], "k": sms.last_code(owner_a.phone)},
    )["verifyStepUp"]
    done = gql(client, mutation, {**variables, "t": proof["stepUpToken"]})["changeMemberRole"]
    assert done == {"ok": True, "errors": [], "membership": {"role": "manager"}}


def test_member_of_b_sees_nothing_of_a(org_a, owner_a, viewer_a, owner_b):
    member = Membership.objects.get(user=viewer_a)
    intruder = bearer_client(owner_b)
    a = str(org_a.public_id)
    data = gql(
        intruder,
        """query($id: UUID!) { organization(id: $id) { name } organizationMembers(organizationId: $id) { id }
            organizationInvitations(organizationId: $id) { id } myOrganizations { id } }""",
        {"id": a},
    )
    assert data == {
        "organization": None,
        "organizationMembers": [],
        "organizationInvitations": [],
        "myOrganizations": [{"id": str(owner_b.memberships.get().organization.public_id)}],
    }
    mutations = [
        (
            'mutation($o: UUID!) { updateOrganization(id: $o, city: "X") { ok errors { code } } }',
            "updateOrganization",
        ),
        (
            'mutation($o: UUID!) { inviteMember(organizationId: $o, phone: "+2290197554433", role: "owner") { ok errors { code } } }',
            "inviteMember",
        ),
        (
            "mutation($o: UUID!, $m: UUID!) { removeMember(organizationId: $o, memberId: $m) { ok errors { code } } }",
            "removeMember",
        ),
        (
            'mutation($o: UUID!, $m: UUID!) { changeMemberRole(organizationId: $o, memberId: $m, role: "owner") { ok errors { code } } }',
            "changeMemberRole",
        ),
    ]
    for mutation, name in mutations:
        result = gql(intruder, mutation, {"o": a, "m": str(member.public_id)})[name]
        assert result == {"ok": False, "errors": [{"code": "not_found"}]}, name


def test_anonymous_gets_null_me_and_typed_errors(api_client):
    assert gql(api_client, "{ me { id } }") == {"me": None}
    data = gql(api_client, "mutation { logoutAll { ok errors { code } } }")
    assert data["logoutAll"] == {"ok": False, "errors": [{"code": "not_authenticated"}]}


def test_update_me(user):
    client = bearer_client(user)
    data = gql(
        client,
        'mutation { updateMe(preferredLanguage: "en", fullName: "Afi") { ok user { preferredLanguage fullName } } }',
    )
    assert data["updateMe"] == {"ok": True, "user": {"preferredLanguage": "en", "fullName": "Afi"}}
    bad = gql(client, 'mutation { updateMe(preferredLanguage: "de") { ok errors { field } } }')["updateMe"]
    assert bad == {"ok": False, "errors": [{"field": "preferredLanguage"}]}


def test_step_up_helpers_are_bound(sms, user):
    challenge = step_up_start(
        actor=user, action="payments.payout.create", target="p1", amount=5000, currency="XOF"
    )
    proof = step_up_verify(actor=user, challenge_id=challenge.challenge_id, code=sms.last_code(user.phone))
    assert proof.token
