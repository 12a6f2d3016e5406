"""Organizations, members and invitations over REST; cross-organization isolation."""

import pytest

from apps.identity.models import Invitation, Membership, SecurityEvent
from apps.identity.services.step_up import step_up_start, step_up_verify
from tests.helpers import bearer_client
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/identity/organizations"


def step_up_token(sms, user, membership, role):
    challenge = step_up_start(
        actor=user,
        action="identity.member.change_role",
        target=f"membership:{membership.public_id}:role:{role}",
    )
    return step_up_verify(
        actor=user, challenge_id=challenge.challenge_id, code=sms.last_code(user.phone)
    ).token


def test_create_then_list_my_organizations(user):
    client = bearer_client(user)
    response = client.post(
        BASE, {"name": "Famille Dossou", "kind": "owner", "city": "Porto-Novo"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["my_role"] == "owner" and body["kind"] == "owner"
    listed = client.get(BASE).json()
    assert [o["id"] for o in listed["results"]] == [body["id"]]


def test_create_refuses_bad_input_with_field_errors(user):
    client = bearer_client(user)
    response = client.post(BASE, {"name": "X", "kind": "bank", "phone": "12"}, format="json")
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"name", "kind", "phone"}


def test_list_has_a_query_ceiling_independent_of_size(user, django_assert_max_num_queries):
    for _ in range(15):
        MembershipFactory(user=user, role="manager")
    client = bearer_client(user)
    with django_assert_max_num_queries(4):
        response = client.get(BASE)
    assert len(response.json()["results"]) == 15


def test_members_list_has_a_query_ceiling(org_a, owner_a, django_assert_max_num_queries):
    for _ in range(20):
        MembershipFactory(organization=org_a, role="viewer")
    client = bearer_client(owner_a)
    with django_assert_max_num_queries(6):
        response = client.get(f"{BASE}/{org_a.public_id}/members")
    assert len(response.json()["results"]) == 21


def test_phones_of_members_are_masked_for_collectors(org_a, owner_a, collector_a):
    as_collector = bearer_client(collector_a).get(f"{BASE}/{org_a.public_id}/members").json()["results"]
    as_owner = bearer_client(owner_a).get(f"{BASE}/{org_a.public_id}/members").json()["results"]
    assert any("•" in m["user"]["phone"] for m in as_collector)
    assert all("•" not in m["user"]["phone"] for m in as_owner)


def test_update_needs_a_managing_role(org_a, owner_a, viewer_a):
    url = f"{BASE}/{org_a.public_id}"
    assert bearer_client(viewer_a).patch(url, {"city": "Parakou"}, format="json").status_code == 403
    response = bearer_client(owner_a).patch(url, {"city": "Parakou"}, format="json")
    assert response.status_code == 200 and response.json()["city"] == "Parakou"


def test_invite_and_accept_after_the_code(
    api_client, sms, org_a, owner_a, django_capture_on_commit_callbacks
):
    client = bearer_client(owner_a)
    with django_capture_on_commit_callbacks(execute=True):  # the SMS leaves after commit
        response = client.post(
            f"{BASE}/{org_a.public_id}/invitations",
            {"phone": "01 97 55 44 33", "role": "collector"},
            format="json",
        )
    assert response.status_code == 201
    assert response.json()["phone"] == "+2290197554433"
    link = sms.last_link()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert "/manager/identity/invitations/" in link
    assert not Invitation.objects.filter(token_hash__contains=token).exists()  # only a digest is stored

    wrong = api_client.post(
        "/api/v1/identity/invitations/accept", {"token": token, "code": "000000"}, format="json"
    )
    assert wrong.status_code == 400  # no code requested yet
    sent = api_client.post("/api/v1/identity/invitations/code", {"token": token}, format="json")
    assert sent.status_code == 202
    assert sent.json()["organization_name"] == org_a.name
    accepted = api_client.post(
        "/api/v1/identity/invitations/accept",
        {"token": token, "code": sms.last_code("+2290197554433"), "full_name": "Gildas"},
        format="json",
    )
    assert accepted.status_code == 200
    new_user = Membership.objects.get(organization=org_a, user__phone="+2290197554433")
    assert new_user.role == "collector" and new_user.user.full_name == "Gildas"
    replay = api_client.post("/api/v1/identity/invitations/code", {"token": token}, format="json")
    assert replay.status_code == 404  # used


def test_a_collector_cannot_invite_or_change_roles(sms, org_a, owner_a, collector_a):
    client = bearer_client(collector_a)
    invite = client.post(
        f"{BASE}/{org_a.public_id}/invitations", {"phone": "+2290197554433", "role": "owner"}, format="json"
    )
    assert invite.status_code == 403
    target = Membership.objects.get(user=owner_a)
    token = step_up_token(sms, collector_a, target, "viewer")  # even with a valid step-up
    response = client.patch(
        f"{BASE}/{org_a.public_id}/members/{target.public_id}",
        {"role": "viewer", "step_up_token": token},
        format="json",
    )
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.role == "owner"


def test_role_change_requires_a_step_up_bound_to_the_change(sms, org_a, owner_a, viewer_a):
    client = bearer_client(owner_a)
    member = Membership.objects.get(user=viewer_a)
    url = f"{BASE}/{org_a.public_id}/members/{member.public_id}"
    refused = client.patch(url, {"role": "manager"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "step_up_required"

    for_other_role = step_up_token(sms, owner_a, member, "accountant")
    mismatch = client.patch(url, {"role": "manager", "step_up_token": for_other_role}, format="json")
    assert mismatch.status_code == 403

    token = step_up_token(sms, owner_a, member, "manager")
    response = client.patch(url, {"role": "manager", "step_up_token": token}, format="json")
    assert response.status_code == 200 and response.json()["role"] == "manager"
    member.refresh_from_db()
    assert member.role == "manager"
    event = SecurityEvent.objects.get(kind="role_changed")
    assert event.data == {"from": "viewer", "to": "manager"} and event.actor == owner_a
    # single use
    again = client.patch(url, {"role": "viewer", "step_up_token": token}, format="json")
    assert again.status_code == 403


def test_step_up_over_rest(sms, org_a, owner_a, viewer_a):
    client = bearer_client(owner_a)
    member = Membership.objects.get(user=viewer_a)
    target = f"membership:{member.public_id}:role:accountant"
    started = client.post(
        "/api/v1/auth/step-up", {"action": "identity.member.change_role", "target": target}, format="json"
    )
    assert started.status_code == 201
    proof = client.post(
        "/api/v1/auth/step-up/verify",
        {"challenge_id": started.json()["challenge_id"], "code": sms.last_code(owner_a.phone)},
        format="json",
    )
    assert proof.status_code == 200
    response = client.patch(
        f"{BASE}/{org_a.public_id}/members/{member.public_id}",
        {"role": "accountant", "step_up_token": proof.json()["step_up_token"]},
        format="json",
    )
    assert response.status_code == 200


def test_the_last_owner_can_neither_leave_nor_be_demoted(sms, org_a, owner_a):
    client = bearer_client(owner_a)
    me = Membership.objects.get(user=owner_a)
    assert client.delete(f"{BASE}/{org_a.public_id}/members/{me.public_id}").status_code == 409
    token = step_up_token(sms, owner_a, me, "viewer")
    response = client.patch(
        f"{BASE}/{org_a.public_id}/members/{me.public_id}",
        {"role": "viewer", "step_up_token": token},
        format="json",
    )
    assert response.status_code == 409 and response.json()["code"] == "last_owner"


def test_a_manager_cannot_touch_owners(sms, org_a, owner_a, manager_a):
    client = bearer_client(manager_a)
    owner = Membership.objects.get(user=owner_a)
    assert client.delete(f"{BASE}/{org_a.public_id}/members/{owner.public_id}").status_code == 403


def test_remove_a_member(org_a, owner_a, viewer_a):
    member = Membership.objects.get(user=viewer_a)
    response = bearer_client(owner_a).delete(f"{BASE}/{org_a.public_id}/members/{member.public_id}")
    assert response.status_code == 204
    assert bearer_client(viewer_a).get(f"{BASE}/{org_a.public_id}").status_code == 404


# --- cross-organization: a member of B gets 404 on everything of A -------------------------


def test_member_of_b_gets_404_on_every_endpoint_of_a(sms, org_a, owner_a, viewer_a, owner_b):
    member = Membership.objects.get(user=viewer_a)
    invitation = Invitation.objects.create(
        organization=org_a,
        phone="+2290197554433",
        role="viewer",
        token_hash="x" * 64,
        invited_by=owner_a,
        expires_at="2099-01-01T00:00:00Z",
    )
    intruder = bearer_client(owner_b)
    a = f"{BASE}/{org_a.public_id}"
    calls = [
        ("get", a, None),
        ("patch", a, {"city": "Hacked"}),
        ("get", f"{a}/members", None),
        ("patch", f"{a}/members/{member.public_id}", {"role": "owner"}),
        ("delete", f"{a}/members/{member.public_id}", None),
        ("get", f"{a}/invitations", None),
        ("post", f"{a}/invitations", {"phone": "+2290197554499", "role": "owner"}),
        ("delete", f"{a}/invitations/{invitation.public_id}", None),
    ]
    for method, url, data in calls:
        response = getattr(intruder, method)(url, data, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
        assert org_a.name not in response.content.decode()
    assert org_a.public_id not in [o["id"] for o in intruder.get(BASE).json()["results"]]
    org_a.refresh_from_db()
    assert org_a.city != "Hacked"
    assert Membership.objects.filter(organization=org_a, is_active=True).count() == 2


def test_anonymous_calls_are_refused(api_client, org_a):
    assert api_client.get(BASE).status_code == 401
    assert api_client.get(f"{BASE}/{org_a.public_id}").status_code == 401


def test_me_profile_and_language(user):
    client = bearer_client(user)
    response = client.patch(
        "/api/v1/identity/me", {"full_name": "Afi", "preferred_language": "en"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["preferred_language"] == "en"
    bad = client.patch("/api/v1/identity/me", {"preferred_language": "de"}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "preferred_language"


def test_avatar_upload(user, tmp_path, settings):
    import io

    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "me.png"
    client = bearer_client(user)
    response = client.patch("/api/v1/identity/me", {"avatar": buffer}, format="multipart")
    assert response.status_code == 200
    assert response.json()["avatar_url"].endswith(".png")


def test_staff_without_membership_see_nothing_through_the_api(org_a):
    staff = UserFactory(is_staff=True, staff_role="support")
    assert bearer_client(staff).get(f"{BASE}/{org_a.public_id}").status_code == 404


def test_orgs_of_other_kinds(user):
    OrganizationFactory(kind="merchant")
    assert bearer_client(user).get(BASE).json()["results"] == []
