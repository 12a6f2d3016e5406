import pytest

pytestmark = pytest.mark.django_db


def test_manager_login_page_is_french_by_default(client):
    response = client.get("/manager/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert "Connexion à Hokwe Manager" in html
    assert "Numéro de téléphone" in html


def test_language_switch_sets_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/manager/login/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log in to Hokwe Manager" in html


def test_login_with_a_phone_number_in_local_format(client, user):
    local = "0" + str(user.phone)[5:]  # +22901… written the Beninese way: 01…
    response = client.post("/manager/login/", {"username": local, "password": "secret-pass-123"})
    assert response.status_code == 302
    assert response["Location"] == "/manager/"
    home = client.get("/manager/")
    assert home.status_code == 200
    assert "Bienvenue" in home.content.decode()


def test_login_refuses_a_wrong_password_with_a_translated_error(client, user):
    response = client.post("/manager/login/", {"username": str(user.phone), "password": "nope"})
    assert response.status_code == 200
    assert "Saisissez un numéro de téléphone et un mot de passe valides" in response.content.decode()


def test_login_refuses_an_invalid_phone_with_a_field_error(client):
    response = client.post("/manager/login/", {"username": "12", "password": "x"})
    assert response.status_code == 200
    assert "Saisissez un numéro de téléphone valide" in response.content.decode()


def test_manager_pages_need_login(client):
    response = client.get("/manager/")
    assert response.status_code == 302
    assert response["Location"].startswith("/manager/login/")


def test_api_honours_accept_language(client):
    fr = client.get("/api/v1/nothing-here/")
    en = client.get("/api/v1/nothing-here/", HTTP_ACCEPT_LANGUAGE="en")
    assert fr.json()["title"] == "Introuvable"
    assert en.json()["title"] == "Not found"
    assert en["Content-Language"] == "en"


def test_admin_login_page_is_served(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200


def test_api_docs_and_schema_are_served_offline(client):
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.content  # no CDN
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Hokwe API"


def test_the_browsers_own_favicon_request_finds_the_icon(client):
    """Browsers request /favicon.ico by themselves (a PDF, a JSON answer): no 404 in their console."""
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301
    assert answer["Location"].endswith("img/favicon.svg")
    from django.contrib.staticfiles import finders

    assert finders.find("img/favicon.svg")
