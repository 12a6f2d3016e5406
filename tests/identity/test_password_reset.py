"""« Mot de passe oublié ? »: a new password proven by a code sent by SMS (identity's OTP), with
no user enumeration, wrong codes counted, and the per-IP rate limit."""

import pytest
from django.test import Client

from apps.identity.models import User

pytestmark = pytest.mark.django_db

START = "/manager/identity/password/reset/"
CODE = "/manager/identity/password/reset/code/"
NEW = "/manager/identity/password/reset/new/"
OLD_PASSWORD = "secret-pass-123"  # tests/identity/factories.py
NEW_PASSWORD = "Kpota-lagune-2026"


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def _login_works(phone, password) -> bool:
    client = Client()
    response = client.post("/manager/login/", {"username": str(phone), "password": password})
    return response.status_code == 302


def test_the_login_page_links_to_the_reset(client):
    html = client.get("/manager/login/").content.decode()
    assert "Mot de passe oublié ?" in html
    assert START in html


def test_right_code_then_new_password_logs_in_and_the_old_one_stops_working(client, sms, user):
    page = client.get(START).content.decode()
    assert "Mot de passe oublié ?" in page
    response = client.post(START, {"phone": "01 " + str(user.phone)[6:]})  # local writing
    assert response.status_code == 302 and response["Location"] == CODE
    assert [m.purpose for m in sms.messages] == ["password_reset"]
    assert sms.messages[0].phone == str(user.phone)
    assert "Saisissez le code" in client.get(CODE).content.decode()

    response = client.post(CODE, {"code": sms.last_code(user.phone)})
    assert response.status_code == 302 and response["Location"] == NEW

    # Django's validators: too short, too common, and the two must match
    page = client.post(NEW, {"new_password1": "123", "new_password2": "123"}).content.decode()
    assert "trop court" in page
    page = client.post(NEW, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
    assert page.status_code == 200
    assert _login_works(user.phone, OLD_PASSWORD)  # nothing changed yet

    response = client.post(NEW, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert response.redirect_chain[0][1] == 302
    assert response.context["user"] == user  # logged in
    assert "Votre mot de passe a été modifié" in response.content.decode()
    assert _login_works(user.phone, NEW_PASSWORD)
    assert not _login_works(user.phone, OLD_PASSWORD)
    # the step cannot be replayed
    assert client.get(NEW).status_code == 302


def test_the_code_is_single_use(client, sms, user):
    client.post(START, {"phone": str(user.phone)})
    code = sms.last_code(user.phone)
    assert client.post(CODE, {"code": code})["Location"] == NEW
    other = Client()
    other.post(START, {"phone": str(user.phone)})  # a fresh code: the used one is gone
    assert len(sms.messages) == 2
    response = other.post(CODE, {"code": code if code != sms.last_code() else _wrong(code)})
    assert response.status_code == 200
    assert "Ce code est erroné ou a expiré." in response.content.decode()


def test_wrong_code_is_refused_and_counted(client, sms, user, settings):
    client.post(START, {"phone": str(user.phone)})
    code = sms.last_code(user.phone)
    response = client.post(CODE, {"code": _wrong(code)})
    assert response.status_code == 200
    assert "Ce code est erroné ou a expiré." in response.content.decode()
    # the wrong tries are counted: after OTP_MAX_ATTEMPTS of them the right code is worthless
    for _ in range(settings.OTP_MAX_ATTEMPTS - 1):
        response = client.post(CODE, {"code": _wrong(code)})
    assert response.status_code == 302 and response["Location"] == START
    other = Client()
    other.post(START, {"phone": str(user.phone)})
    response = other.post(CODE, {"code": code})
    assert response.status_code == 200 and "Ce code est erroné ou a expiré." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(OLD_PASSWORD)


def test_unknown_phone_gets_the_same_answer_and_nothing_is_sent(sms, user):
    known, unknown = Client(), Client()
    answer_known = known.post(START, {"phone": str(user.phone)})
    answer_unknown = unknown.post(START, {"phone": "+22901 97 00 00 99"})
    assert (answer_known.status_code, answer_known["Location"]) == (
        answer_unknown.status_code,
        answer_unknown["Location"],
    )
    assert [m.phone for m in sms.messages] == [str(user.phone)]

    page_known = known.get(CODE).content.decode()
    page_unknown = unknown.get(CODE).content.decode()
    assert "Si un compte utilise le numéro" in page_known and "Si un compte utilise le numéro" in page_unknown
    refused_known = known.post(CODE, {"code": _wrong(sms.last_code())}).content.decode()
    refused_unknown = unknown.post(CODE, {"code": "123456"}).content.decode()
    assert "Ce code est erroné ou a expiré." in refused_known
    assert "Ce code est erroné ou a expiré." in refused_unknown
    assert not User.objects.filter(phone="+2290197000099").exists()  # no account created


def test_an_inactive_account_is_treated_as_unknown(client, sms, user):
    user.status = User.Status.SUSPENDED
    user.save()
    response = client.post(START, {"phone": str(user.phone)})
    assert response["Location"] == CODE
    assert sms.messages == []


def test_the_phone_cooldown_is_silent(sms, user):
    first, second = Client(), Client()
    first.post(START, {"phone": str(user.phone)})
    response = second.post(START, {"phone": str(user.phone)})  # within the resend cooldown
    assert response.status_code == 302 and response["Location"] == CODE
    assert len(sms.messages) == 1


def test_rate_limit_per_connection(client, sms, user, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "identity.otp_request": "3/min",
        },
    }
    for _ in range(3):
        assert client.post(START, {"phone": "+22901 97 00 00 99"}).status_code == 302
    response = client.post(START, {"phone": str(user.phone)})
    assert response.status_code == 200
    assert "Trop de tentatives depuis cette connexion" in response.content.decode()
    assert sms.messages == []


def test_the_code_step_without_a_phone_goes_back_to_the_start(client):
    assert client.get(CODE)["Location"] == START
    response = client.get(NEW, follow=True)
    assert response.redirect_chain[-1][0] == START
    assert "Cette réinitialisation a expiré" in response.content.decode()
