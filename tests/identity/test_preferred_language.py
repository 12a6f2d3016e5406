import pytest

from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_pages_speak_the_users_preferred_language(client):
    client.force_login(UserFactory(preferred_language="en"))
    html = client.get("/manager/login/", follow=True).content.decode()
    assert '<html lang="en">' in html


def test_the_language_switch_wins_over_the_preference(client):
    client.force_login(UserFactory(preferred_language="en"))
    client.post("/i18n/setlang/", {"language": "fr", "next": "/manager/"})
    html = client.get("/manager/", follow=True).content.decode()
    assert '<html lang="fr">' in html


def test_the_api_keeps_accept_language(client):
    client.force_login(UserFactory(preferred_language="en"))
    assert client.get("/api/v1/nothing-here/").json()["title"] == "Introuvable"
    assert client.get("/api/v1/nothing-here/", HTTP_ACCEPT_LANGUAGE="en").json()["title"] == "Not found"
