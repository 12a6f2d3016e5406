"""The manager's social pages (/manager/ads/social/…) on the embedded default's sandbox
network: connect (dialog -> callback -> choose), publish, boost after a confirmation page,
disconnect after one; French first; another advertiser's page or post is a 404; anonymous
callers go to the login page; the home page's query count is bounded."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from apps.ads.models import SocialConnection, SocialPost
from tests.ads.test_social import graph, sandbox  # noqa: F401 -- fixtures
from tests.ads.test_social_graph import PAGE_TOKEN, USER_TOKEN
from tests.fixtures.ads import social_world

pytestmark = pytest.mark.django_db

BASE = "/manager/ads/social/"


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    return client


@pytest.fixture
def world(sandbox):  # noqa: F811
    world = social_world()
    SocialConnection.objects.all().delete()
    return world


def test_connect_publish_boost_and_disconnect_on_the_pages(world, django_assert_max_num_queries):
    client = _client(world.manager)
    home = client.get(BASE)
    assert home.status_code == 200
    html = home.content.decode()
    assert "Bac à sable" in html and "Réseaux sociaux" in html and "Connecter une page Facebook" in html

    dialog = client.get(f"{BASE}connect/", {"advertiser": str(world.advertiser.public_id)})
    assert dialog.status_code == 302 and "/manager/ads/social/callback/?" in dialog["Location"]
    choose = client.get(dialog["Location"])
    assert choose.status_code == 302 and "choose/?pending=" in choose["Location"]
    page = client.get(choose["Location"])
    assert page.status_code == 200 and "Bac à sable" in page.content.decode()
    pending = re.search(r'name="pending" value="([^"]+)"', page.content.decode()).group(1)
    page_id = re.search(r'name="page_id" value="([^"]+)"', page.content.decode()).group(1)
    account = re.search(r'<option value="(\d+)"', page.content.decode()).group(1)
    done = client.post(f"{BASE}choose/", {"pending": pending, "page_id": page_id, "ad_account_id": account})
    assert done.status_code == 302
    connection = SocialConnection.objects.get()
    assert connection.status == "active" and connection.ad_account_id == account
    assert PAGE_TOKEN not in client.get(BASE).content.decode()

    form = client.get(f"{BASE}publish/")
    assert form.status_code == 200 and "Publier une annonce" in form.content.decode()
    published = client.post(
        f"{BASE}publish/",
        {
            "advertiser": str(world.advertiser.public_id),
            "connection": str(connection.public_id),
            "network": "facebook",
            "listing": str(world.listing.public_id),
            "message": "",
        },
    )
    assert published.status_code == 302, published.content.decode()[:2000]
    post = SocialPost.objects.get()
    assert post.status == "published"
    detail = client.get(published["Location"])
    assert detail.status_code == 200 and "Booster cette publication" in detail.content.decode()

    boost_form = client.get(f"{BASE}posts/{post.public_id}/boost/")
    assert boost_form.status_code == 200 and "Hokwe ne facture rien" in boost_form.content.decode()
    from django.utils import timezone

    today = timezone.localdate()
    values = {
        "budget": "20000",
        "starts_on": today.isoformat(),
        "ends_on": (today + timezone.timedelta(days=3)).isoformat(),
    }
    confirm = client.post(f"{BASE}posts/{post.public_id}/boost/", values)
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "20 000 FCFA" in text.replace("\u202f", " ").replace("\xa0", " ")
    assert (
        "Meta" in text and SocialPost.objects.filter(kind="boost").count() == 0
    )  # nothing before the confirmation
    token = re.search(r'name="token" value="([^"]+)"', text).group(1)
    for _ in range(2):  # a double click boosts once
        boosted = client.post(
            f"{BASE}posts/{post.public_id}/boost/", {**values, "confirm": "yes", "token": token}
        )
        assert boosted.status_code == 302
    boost = SocialPost.objects.get(kind="boost")
    assert boost.status == "boosting" and boost.budget == 20_000

    with django_assert_max_num_queries(14):
        listed = client.get(BASE)
    assert listed.status_code == 200 and listed.content.decode().count('data-testid="post"') == 2

    ask = client.get(f"{BASE}connections/{connection.public_id}/disconnect/")
    assert ask.status_code == 200 and "Déconnecter" in ask.content.decode()
    connection.refresh_from_db()
    assert connection.status == "active"
    client.post(f"{BASE}connections/{connection.public_id}/disconnect/", {"confirm": "yes"})
    connection.refresh_from_db()
    assert connection.status == "revoked" and bytes(connection.token_sealed) == b""


def test_a_refused_publication_says_why_on_the_form(world):
    other = social_world(org_name="Agence B")
    client = _client(world.manager)
    row = social_world(org_name="Agence C").connection
    SocialConnection.objects.filter(pk=row.pk).update(advertiser=world.advertiser)
    response = client.post(
        f"{BASE}publish/",
        {
            "advertiser": str(world.advertiser.public_id),
            "connection": str(row.public_id),
            "network": "facebook",
            "listing": str(other.listing.public_id),
            "message": "",
        },
    )
    # another organization's listing is not among the choices
    assert (
        response.status_code == 400 and f'value="{other.listing.public_id}"' not in response.content.decode()
    )
    assert SocialPost.objects.count() == 0


def test_another_advertisers_pages_are_404_and_anonymous_goes_to_login(world):
    mine = social_world(org_name="Agence A2")
    post = SocialPost.objects.create(
        advertiser=mine.advertiser,
        connection=mine.connection,
        listing=mine.listing.public_id,
        message="secret de A",
        status="published",
        external_id="1_2",
    )
    other = social_world(org_name="Agence B")
    client = _client(other.manager)
    for path in (
        f"posts/{post.public_id}/",
        f"posts/{post.public_id}/boost/",
        f"connections/{mine.connection.public_id}/disconnect/",
    ):
        assert client.get(BASE + path).status_code == 404, path
    assert client.post(f"{BASE}posts/{post.public_id}/retry/").status_code == 404
    assert (
        client.post(
            f"{BASE}connections/{mine.connection.public_id}/disconnect/", {"confirm": "yes"}
        ).status_code
        == 404
    )
    assert client.get(BASE, {"advertiser": str(mine.advertiser.public_id)}).status_code == 404
    assert "secret de A" not in client.get(BASE).content.decode()
    anonymous = Client().get(BASE)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    mine.connection.refresh_from_db()
    assert mine.connection.status == "active" and USER_TOKEN not in str(anonymous.content)


def test_a_callback_without_permission_or_with_a_replayed_state(world):
    client = _client(world.manager)
    denied = client.get(f"{BASE}callback/", {"error": "access_denied", "state": "x"}, follow=True)
    assert "permission" in denied.content.decode()
    dialog = client.get(f"{BASE}connect/", {"advertiser": str(world.advertiser.public_id)})
    assert client.get(dialog["Location"]).status_code == 302
    replay = client.get(dialog["Location"], follow=True)
    assert "déjà été utilisé" in replay.content.decode() or "expiré" in replay.content.decode()


def test_support_reads_connections_in_the_admin_without_their_tokens(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.identity.factories import UserFactory

    row = social_world(org_name="Agence Admin").connection
    staff = UserFactory(is_staff=True, staff_role="support")
    device = TOTPDevice.objects.create(user=staff, name="test", confirmed=True)
    client = Client()
    client.force_login(staff)
    session = client.session
    session["otp_device_id"] = device.persistent_id  # this session passed the TOTP step
    session.save()
    page = client.get(f"/admin/ads/socialconnection/{row.pk}/change/")
    assert page.status_code == 200, page.status_code
    html = page.content.decode()
    assert row.page_name in html and PAGE_TOKEN not in html and "token_sealed" not in html
    assert client.get("/admin/ads/socialpost/").status_code == 200


def test_the_real_dialog_and_callback_on_the_pages(graph):  # noqa: F811
    from urllib.parse import parse_qs, urlparse

    world = social_world(org_name="Agence Graph")
    client = _client(world.manager)
    dialog = client.get(f"{BASE}connect/", {"advertiser": str(world.advertiser.public_id)})
    assert dialog.status_code == 302
    location = urlparse(dialog["Location"])
    assert (location.netloc, location.path) == ("www.facebook.com", "/v21.0/dialog/oauth")
    query = parse_qs(location.query)
    assert query["redirect_uri"][0].endswith("/manager/ads/social/callback/")
    back = client.get(f"{BASE}callback/", {"state": query["state"][0], "code": "from-facebook"})
    assert back.status_code == 302 and "choose/?pending=" in back["Location"]
    page = client.get(back["Location"]).content.decode()
    assert "Agence Social" in page and "Autre page" in page and "@agence_social" in page
    assert PAGE_TOKEN not in page and USER_TOKEN not in page and "Bac à sable" not in page
    assert graph.calls("GET", "/oauth/access_token")[0]["redirect_uri"] == query["redirect_uri"][0]
