"""Manager pages: login with a code, organization settings, team, invitations."""

import pytest
from django.test import Client

from apps.identity.models import Invitation, Membership, SecurityEvent
from tests.identity.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_login_page_offers_the_code_login_in_french(client):
    html = client.get("/manager/login/").content.decode()
    assert "Se connecter avec un code par SMS" in html
    assert "/manager/identity/login/code/" in html
    assert "Hokwe SSO" not in html  # no OIDC_ISSUER configured


def test_login_with_a_code(client, sms, user):
    response = client.post("/manager/identity/login/code/", {"phone": str(user.phone)})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Saisissez le code" in page.content.decode()
    response = client.post("/manager/identity/login/code/verify/", {"code": sms.last_code(user.phone)})
    assert response.status_code == 302 and response["Location"] == "/manager/"
    assert client.get("/manager/").status_code == 200
    assert SecurityEvent.objects.filter(kind="login", actor=user).exists()


def test_login_with_a_wrong_code_shows_a_translated_error(client, sms, user):
    client.post("/manager/identity/login/code/", {"phone": str(user.phone)})
    wrong = "000000" if sms.last_code() != "000000" else "111111"
    response = client.post("/manager/identity/login/code/verify/", {"code": wrong})
    assert response.status_code == 200
    assert "Ce code n’est pas valide." in response.content.decode()


def test_invalid_phone_on_the_code_login_page(client, sms):
    response = client.post("/manager/identity/login/code/", {"phone": "12"})
    assert "Saisissez un numéro de téléphone valide" in response.content.decode()
    assert sms.messages == []


def test_organization_settings_and_team_pages(org_a, owner_a, viewer_a):
    owner = logged_in(owner_a)
    settings_url = f"/manager/identity/organizations/{org_a.public_id}/settings/"
    assert org_a.name in owner.get(settings_url).content.decode()
    response = owner.post(
        settings_url, {"name": "Agence A+", "city": "Ouidah", "address": "", "phone": "", "email": ""}
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert (org_a.name, org_a.city) == ("Agence A+", "Ouidah")
    team = owner.get(f"/manager/identity/organizations/{org_a.public_id}/members/").content.decode()
    assert "Inviter un membre" in team and str(viewer_a.phone) in team
    # a viewer sees the settings read-only and cannot post them
    viewer = logged_in(viewer_a)
    assert "Seuls les propriétaires" in viewer.get(settings_url).content.decode()
    assert viewer.post(settings_url, {"name": "Hacked"}).status_code == 403


def test_team_page_query_ceiling(org_a, owner_a, django_assert_max_num_queries):
    for _ in range(15):
        MembershipFactory(organization=org_a, role="collector")
    client = logged_in(owner_a)
    url = f"/manager/identity/organizations/{org_a.public_id}/members/"
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_role_change_page_asks_for_the_step_up_code(sms, org_a, owner_a, viewer_a):
    member = Membership.objects.get(user=viewer_a)
    client = logged_in(owner_a)
    base = f"/manager/identity/organizations/{org_a.public_id}/members/{member.public_id}"
    response = client.post(f"{base}/role/", {"role": "accountant"})
    assert response.status_code == 302 and response["Location"].endswith("/role/confirm/")
    member.refresh_from_db()
    assert member.role == "viewer"  # nothing changes before the code
    response = client.post(f"{base}/role/confirm/", {"code": sms.last_code(owner_a.phone)})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == "accountant"


def test_a_collector_cannot_change_roles_on_the_pages(sms, org_a, collector_a, viewer_a):
    member = Membership.objects.get(user=viewer_a)
    client = logged_in(collector_a)
    url = f"/manager/identity/organizations/{org_a.public_id}/members/{member.public_id}/role/"
    assert client.post(url, {"role": "owner"}).status_code == 403
    assert sms.messages == []


def test_invite_then_accept_on_the_invitation_page(
    client, sms, org_a, owner_a, django_capture_on_commit_callbacks
):
    owner = logged_in(owner_a)
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(
            f"/manager/identity/organizations/{org_a.public_id}/members/",
            {"phone": "+2290197554433", "role": "viewer"},
        )
    link = sms.last_link()
    path = link.split("testserver", 1)[1]
    page = client.get(path).content.decode()
    assert f"Rejoindre {org_a.name}" in page
    client.post(path, {"action": "send"})
    response = client.post(
        path, {"action": "accept", "code": sms.last_code("+2290197554433"), "full_name": "Nafi"}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(organization=org_a, user__phone="+2290197554433", role="viewer").exists()
    assert Invitation.objects.get(organization=org_a).status == "accepted"
    assert client.get(path).status_code == 404


def test_member_of_b_gets_404_on_every_page_of_a(org_a, owner_a, viewer_a, owner_b):
    member = Membership.objects.get(user=viewer_a)
    intruder = logged_in(owner_b)
    base = f"/manager/identity/organizations/{org_a.public_id}"
    for method, url in [
        ("get", f"{base}/settings/"),
        ("post", f"{base}/settings/"),
        ("get", f"{base}/members/"),
        ("post", f"{base}/members/"),
        ("post", f"{base}/members/{member.public_id}/role/"),
        ("get", f"{base}/members/{member.public_id}/role/confirm/"),
        ("post", f"{base}/members/{member.public_id}/remove/"),
    ]:
        response = getattr(intruder, method)(url, {"role": "owner", "name": "x", "phone": "+2290197554433"})
        assert response.status_code == 404, (method, url)
    assert org_a.name not in intruder.get("/manager/identity/organizations/").content.decode()


def test_profile_page_changes_the_language(user):
    client = logged_in(user)
    response = client.post(
        "/manager/identity/profile/", {"full_name": "Afi", "email": "", "preferred_language": "en"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "en"
    assert "My profile" in client.get("/manager/identity/profile/").content.decode()


def test_sso_routes_are_404_without_an_issuer(client):
    assert client.get("/manager/identity/oidc/authenticate/").status_code == 404
