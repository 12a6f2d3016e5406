"""Phone + OTP sign-up and login over REST: the issue's "bad input and abuse" list."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.identity.models import SecurityEvent, User

pytestmark = pytest.mark.django_db

REQUEST = "/api/v1/auth/otp/request"
VERIFY = "/api/v1/auth/otp/verify"
PHONE = "+2290197123456"


def request_code(api_client, phone=PHONE, **extra):
    return api_client.post(REQUEST, {"phone": phone}, format="json", **extra)


def verify(api_client, code, phone=PHONE):
    return api_client.post(VERIFY, {"phone": phone, "code": code}, format="json")


def test_sign_up_with_a_code_creates_the_account_and_returns_tokens(api_client, sms):
    response = request_code(api_client, phone="01 97 12 34 56")  # local writing
    assert response.status_code == 202
    assert response.json() == {"expires_in": 300, "resend_after": 60}
    code = sms.last_code(PHONE)
    assert len(code) == 6 and code.isdigit()

    response = verify(api_client, code)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["created"] is True
    assert body["user"]["phone"] == PHONE
    me = api_client.get("/api/v1/identity/me", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
    assert me.status_code == 200
    assert me.json()["id"] == body["user"]["id"]
    assert SecurityEvent.objects.filter(kind="login", data__method="otp").count() == 1


def test_register_keeps_the_name_and_language_until_the_code_is_verified(api_client, sms):
    response = api_client.post(
        "/api/v1/auth/register",
        {"phone": PHONE, "full_name": "Afi Mensah", "preferred_language": "en"},
        format="json",
    )
    assert response.status_code == 202
    assert not User.objects.filter(phone=PHONE).exists()
    body = verify(api_client, sms.last_code()).json()
    user = User.objects.get(phone=PHONE)
    assert (user.full_name, user.preferred_language) == ("Afi Mensah", "en")
    assert body["created"] is True
    assert sms.messages[-1].language == "en"


def test_an_existing_user_logs_in_with_the_same_flow(api_client, sms, user):
    request_code(api_client, phone=str(user.phone))
    body = verify(api_client, sms.last_code(), phone=str(user.phone)).json()
    assert body["created"] is False
    assert body["user"]["id"] == str(user.public_id)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Saisissez un numéro de téléphone valide, par ex. +229 01 97 00 00 01."),
        ("en", "Enter a valid phone number, e.g. +229 01 97 00 00 01."),
    ],
)
def test_an_invalid_phone_gets_a_translated_field_error(api_client, sms, language, message):
    response = request_code(api_client, phone="12345", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["errors"] == [{"field": "phone", "code": "invalid_phone", "message": message}]
    assert sms.messages == []


def test_french_is_the_default_language_of_errors(api_client, sms):
    body = request_code(api_client, phone="not a phone").json()
    assert body["errors"][0]["message"].startswith("Saisissez")


def test_unknown_fields_are_refused(api_client, sms):
    response = api_client.post(REQUEST, {"phone": PHONE, "admin": True}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "admin"


def test_a_replayed_code_is_refused(api_client, sms):
    request_code(api_client)
    code = sms.last_code()
    assert verify(api_client, code).status_code == 200
    replay = verify(api_client, code)
    assert replay.status_code == 400
    assert replay.json()["code"] == "otp_invalid"


def test_an_expired_code_is_refused(api_client, sms, clock):
    request_code(api_client)
    code = sms.last_code()
    clock.shift(301)
    response = verify(api_client, code)
    assert response.status_code == 400
    assert response.json()["code"] == "otp_expired"
    assert response.json()["errors"][0]["field"] == "code"


def test_brute_force_locks_the_phone_and_the_right_code_no_longer_works(api_client, sms):
    request_code(api_client)
    good = sms.last_code()
    wrong = "000000" if good != "000000" else "111111"
    for attempt in range(4):
        response = verify(api_client, wrong)
        assert response.status_code == 400, attempt
    locked = verify(api_client, wrong)
    assert locked.status_code == 429
    assert locked.json()["code"] == "otp_locked"
    assert int(locked["Retry-After"]) > 0
    # Even the right code and a new code are refused while locked.
    assert verify(api_client, good).status_code == 429
    assert request_code(api_client).status_code == 429
    kinds = list(SecurityEvent.objects.values_list("kind", flat=True))
    assert kinds.count("otp_failed") == 4
    assert kinds.count("otp_locked") == 1


def test_the_lock_lifts_after_its_time(api_client, sms, clock):
    request_code(api_client)
    for _ in range(5):
        verify(api_client, "999999" if sms.last_code() != "999999" else "888888")
    clock.shift(15 * 60 + 1)
    assert request_code(api_client).status_code == 202


def test_resend_cooldown_then_a_new_code_replaces_the_old_one(api_client, sms, clock):
    request_code(api_client)
    first = sms.last_code()
    refused = request_code(api_client)
    assert refused.status_code == 429
    assert refused.json()["code"] == "otp_cooldown"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["title"] == "Trop de requêtes"
    clock.shift(61)
    assert request_code(api_client).status_code == 202
    second = sms.last_code()
    if first != second:
        assert verify(api_client, first).status_code == 400
    assert verify(api_client, second).status_code == 200


def test_codes_per_phone_are_rate_limited(api_client, sms, clock, settings):
    settings.OTP_MAX_SENDS_PER_PHONE_PER_HOUR = 3
    # the limit counts per clock hour: start just after one begins, so the three cooldowns
    # below (3 × 61 s) cannot carry the sends into the next hour's count
    clock.move_to(timezone.now().replace(minute=0, second=5, microsecond=0), tick=True)
    for _ in range(3):
        assert request_code(api_client).status_code == 202
        clock.shift(61)
    refused = request_code(api_client)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"


def test_codes_per_ip_are_rate_limited(api_client, sms, settings):
    settings.OTP_MAX_SENDS_PER_IP_PER_HOUR = 3
    for n in range(3):
        assert request_code(api_client, phone=f"+22901970000{n:02d}").status_code == 202
    refused = request_code(api_client, phone="+2290197000099")
    assert refused.status_code == 429
    other_ip = request_code(api_client, phone="+2290197000099", REMOTE_ADDR="10.1.2.3")
    assert other_ip.status_code == 202


def test_a_send_refused_by_the_ip_cap_spends_nothing_and_retry_after_is_enough(
    api_client, sms, clock, settings
):
    """The hourly caps decide together and count only accepted sends (issue 17): a send the
    IP cap refuses leaves the phone's budget whole, and waiting exactly Retry-After (rounded
    up, never a second short) is enough."""
    settings.OTP_MAX_SENDS_PER_IP_PER_HOUR = 2
    settings.OTP_MAX_SENDS_PER_PHONE_PER_HOUR = 2
    settings.OTP_RESEND_COOLDOWN_SECONDS = 0
    clock.move_to(timezone.now().replace(minute=10, second=0, microsecond=500_000), tick=False)
    for n in range(2):
        assert request_code(api_client, phone=f"+22901970000{n:02d}").status_code == 202
    for _ in range(5):  # refused again and again: never counted
        refused = request_code(api_client)
        assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    wait = int(refused["Retry-After"])
    assert wait == 50 * 60  # to the end of the hour, the half second rounded up
    # the phone's own budget (2) is untouched: from another IP it still gets two codes
    for _ in range(2):
        assert request_code(api_client, REMOTE_ADDR="10.9.9.9").status_code == 202
    clock.shift(wait - 1)
    assert request_code(api_client, phone="+2290197000077").status_code == 429
    clock.shift(1)
    assert request_code(api_client, phone="+2290197000077").status_code == 202


def test_the_scoped_throttle_answers_429_with_retry_after_and_problem_details(api_client, sms, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "identity.otp_verify": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    for _ in range(2):
        assert verify(api_client, "123456").status_code == 400
    response = verify(api_client, "123456")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0
    assert response.json()["status"] == 429


def test_codes_are_never_stored_in_clear(api_client, sms):
    request_code(api_client)
    code = sms.last_code()
    client = cache.client.get_client()
    for key in client.keys("*"):
        if client.type(key) == b"string":
            assert code.encode() not in client.get(key)
            assert PHONE.encode() not in key
    for event in SecurityEvent.objects.all():
        assert code not in str(event.data)
        assert PHONE not in event.phone_hint


def test_a_suspended_user_cannot_log_in(api_client, sms, user):
    user.status = User.Status.SUSPENDED
    user.save()
    request_code(api_client, phone=str(user.phone))
    response = verify(api_client, sms.last_code(), phone=str(user.phone))
    assert response.status_code == 403
    assert response.json()["code"] == "account_inactive"
