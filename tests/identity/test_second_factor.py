"""A real second factor for those who move money (issue 16, item 6): TOTP enrolment, recovery
codes, passkeys, the strong-factor policy (an SMS code alone never releases money) and the
SIM-swap hold after a phone change or a login from a new device."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from apps.identity import api as identity
from apps.identity.errors import PasskeyInvalid, SecondFactorNotFound
from apps.identity.models import Membership, Passkey, SecurityEvent, StrongActionHold
from apps.identity.services import second_factor
from tests.helpers import bearer_client, enrol_totp, gql, totp_code
from tests.identity.factories import MembershipFactory, UserFactory
from tests.identity.webauthn_authenticator import SoftAuthenticator

pytestmark = pytest.mark.django_db

PAYOUT = "payments.payout.create"  # registered strong with the hold by payments' rules


@pytest.fixture
def notices():
    """A recording SecurityNoticeSender, registered as apps.notifications registers its own."""

    class Inbox(list):
        def send_security_notice(self, *, kind, phone, email, until, language):
            self.append({"kind": kind, "phone": phone, "email": email, "until": until, "language": language})

    inbox = Inbox()
    identity.set_security_notice_sender(inbox)
    yield inbox
    identity.set_security_notice_sender(None)


def owner():
    return MembershipFactory(role=Membership.Role.OWNER).user


def strong_proof(user, *, action=PAYOUT, target="org", amount=50_000, currency="XOF"):
    device = enrol_totp(user)
    challenge = identity.step_up_start(
        actor=user, action=action, target=target, amount=amount, currency=currency
    )
    assert challenge.method == "totp"
    return identity.step_up_verify(
        actor=user, challenge_id=challenge.challenge_id, code=totp_code(device)
    ).token


# --- enrolment -------------------------------------------------------------------------------


def test_enrolment_gives_a_secret_an_otpauth_uri_and_a_qr_code_then_the_first_code_confirms_it(sms):
    user = UserFactory()
    enrolment = second_factor.totp_start(actor=user, name="Mon téléphone")
    assert (
        enrolment.otpauth_uri.startswith("otpauth://totp/Hokwe")
        and f"secret={enrolment.secret}" in enrolment.otpauth_uri
    )
    assert enrolment.qr_svg.startswith("data:image/svg+xml;base64,")
    assert not second_factor.has_strong_factor(user)  # pending: answers nothing yet
    device = TOTPDevice.objects.get(pk=int(enrolment.device_id.split(":")[1]))
    with pytest.raises(identity.OtpInvalid):
        second_factor.totp_confirm(
            actor=user,
            device_id=enrolment.device_id,
            code="000000" if totp_code(device) != "000000" else "111111",
        )
    codes = second_factor.totp_confirm(actor=user, device_id=enrolment.device_id, code=totp_code(device))
    assert len(codes) == 10 and len(set(codes)) == 10  # shown once
    assert second_factor.has_strong_factor(user) and second_factor.recovery_codes_left(user) == 10
    with pytest.raises(SecondFactorNotFound):  # already confirmed: no longer a pending enrolment
        second_factor.totp_confirm(actor=user, device_id=enrolment.device_id, code=totp_code(device))
    assert SecurityEvent.objects.filter(kind="second_factor_added", subject=user).count() == 1
    assert sms.messages == []


class Enrolment(RuleBasedStateMachine):
    """States of one person's authenticator apps: none -> pending -> confirmed -> removed."""

    def __init__(self):
        super().__init__()
        self.user = UserFactory()
        self.pending = None
        self.confirmed = 0

    @rule(name=st.sampled_from(["", "Téléphone", "Tablette"]))
    def start(self, name):
        self.pending = second_factor.totp_start(actor=self.user, name=name).device_id

    @rule(right=st.booleans())
    def confirm(self, right):
        if self.pending is None:
            return
        device = TOTPDevice.objects.get(pk=int(self.pending.split(":")[1]))
        code = totp_code(device)
        try:
            second_factor.totp_confirm(
                actor=self.user,
                device_id=self.pending,
                code=code if right else f"{(int(code) + 1) % 10**6:06d}",
            )
        except identity.OtpInvalid:
            assert not right
            return
        assert right
        self.pending = None
        self.confirmed += 1

    @rule()
    def remove_one(self):
        device = TOTPDevice.objects.filter(user=self.user, confirmed=True).first()
        if device is None:
            return
        token = strong_proof(
            self.user,
            action="identity.second_factor.remove",
            target=f"totp:{device.pk}",
            amount=None,
            currency=None,
        )
        second_factor.second_factor_remove(
            actor=self.user, device_id=f"totp:{device.pk}", step_up_token=token
        )
        self.confirmed = TOTPDevice.objects.filter(user=self.user, confirmed=True).count()

    @invariant()
    def matches_the_database(self):
        rows = TOTPDevice.objects.filter(user=self.user)
        assert rows.filter(confirmed=True).count() == self.confirmed
        assert rows.filter(confirmed=False).count() == (1 if self.pending else 0)  # one enrolment at a time
        assert second_factor.has_strong_factor(self.user) == (self.confirmed > 0)


def test_the_enrolment_state_machine(clock):
    # strong_proof may enrol more devices (a spent window); the machine recounts after removals
    run_state_machine_as_test(
        Enrolment, settings=hsettings(max_examples=15, stateful_step_count=8, deadline=None)
    )


# --- the strong-factor policy ----------------------------------------------------------------------


def test_a_money_action_never_sends_an_sms_and_asks_to_enrol_first(sms):
    user = UserFactory()
    with pytest.raises(identity.SecondFactorRequired) as refused:
        identity.step_up_start(actor=user, action=PAYOUT, target="org", amount=50_000, currency="XOF")
    assert refused.value.code == "second_factor_required" and refused.value.extra["enrol_url"]
    assert sms.messages == []  # no SMS was sent
    # an operation other than money still gets its SMS code
    challenge = identity.step_up_start(actor=user, action="identity.user.close", target=str(user.public_id))
    assert challenge.method == "sms" and sms.last_code(user.phone)


def test_totp_releases_a_money_action_once_and_an_sms_proof_never(sms):
    user = UserFactory()
    token = strong_proof(user)
    identity.require_step_up(
        actor=user, action=PAYOUT, target="org", amount=50_000, currency="XOF", token=token
    )
    with pytest.raises(identity.StepUpRequired):  # single use
        identity.require_step_up(
            actor=user, action=PAYOUT, target="org", amount=50_000, currency="XOF", token=token
        )
    # an owner's SMS proof for an unregistered action bound to an amount is not enough either
    boss = owner()
    challenge = identity.step_up_start(actor=boss, action="estate.other.thing", target="x")  # no amount: SMS
    proof = identity.step_up_verify(
        actor=boss, challenge_id=challenge.challenge_id, code=sms.last_code(boss.phone)
    )
    with pytest.raises(identity.StepUpRequired):
        identity.require_step_up(
            actor=boss, action="estate.other.thing", target="x", amount=1, currency="XOF", token=proof.token
        )


def test_a_replayed_totp_code_is_refused(sms):
    user = UserFactory()
    device = enrol_totp(user)
    first = identity.step_up_start(actor=user, action=PAYOUT, target="a", amount=1, currency="XOF")
    code = totp_code(device)
    identity.step_up_verify(actor=user, challenge_id=first.challenge_id, code=code)
    second = identity.step_up_start(actor=user, action=PAYOUT, target="a", amount=1, currency="XOF")
    with pytest.raises(identity.OtpInvalid):
        identity.step_up_verify(actor=user, challenge_id=second.challenge_id, code=code)
    assert SecurityEvent.objects.filter(kind="step_up_failed", subject=user).exists()


def test_a_recovery_code_answers_once(sms):
    user = UserFactory()
    enrolment = second_factor.totp_start(actor=user)
    device = TOTPDevice.objects.get(pk=int(enrolment.device_id.split(":")[1]))
    codes = second_factor.totp_confirm(actor=user, device_id=enrolment.device_id, code=totp_code(device))
    challenge = identity.step_up_start(actor=user, action=PAYOUT, target="a", amount=1, currency="XOF")
    identity.step_up_verify(actor=user, challenge_id=challenge.challenge_id, code=codes[0])
    again = identity.step_up_start(actor=user, action=PAYOUT, target="a", amount=1, currency="XOF")
    with pytest.raises(identity.OtpInvalid):
        identity.step_up_verify(actor=user, challenge_id=again.challenge_id, code=codes[0])
    assert second_factor.recovery_codes_left(user) == 9


def test_owners_and_accountants_must_enrol_for_their_money_step_ups(sms):
    accountant = MembershipFactory(role=Membership.Role.ACCOUNTANT).user
    with pytest.raises(identity.SecondFactorRequired):
        identity.step_up_start(
            actor=accountant, action="estate.statement.close", target="s", amount=10, currency="XOF"
        )
    collector = MembershipFactory(role=Membership.Role.COLLECTOR).user
    assert (
        identity.step_up_start(
            actor=collector, action="estate.statement.close", target="s", amount=10, currency="XOF"
        ).method
        == "sms"
    )


# --- passkeys ----------------------------------------------------------------------------------


def test_a_passkey_registers_and_answers_a_step_up_and_a_counter_going_back_is_refused(sms, settings):
    settings.IDENTITY_WEBAUTHN_RP_ID = "localhost"
    settings.IDENTITY_WEBAUTHN_ORIGINS = ["http://localhost:8000"]
    user = UserFactory()
    authenticator = SoftAuthenticator()
    options = json.loads(second_factor.passkey_registration_options(actor=user))
    assert options["rp"]["id"] == "localhost" and options["attestation"] == "none"
    passkey = second_factor.passkey_register(
        actor=user, credential=authenticator.register(options), name="Clé USB"
    )
    assert (
        passkey.sign_count == 0 and passkey.transports == ["internal"] and len(passkey.recovery_codes) == 10
    )

    challenge = identity.step_up_start(actor=user, action=PAYOUT, target="a", amount=5, currency="XOF")
    assert challenge.method == "passkey" and sms.messages == []
    request = json.loads(challenge.webauthn_options)
    proof = identity.step_up_verify(
        actor=user, challenge_id=challenge.challenge_id, credential=authenticator.assert_(request)
    )
    identity.require_step_up(
        actor=user, action=PAYOUT, target="a", amount=5, currency="XOF", token=proof.token
    )
    assert Passkey.objects.get(pk=passkey.pk).sign_count == 1

    cloned = identity.step_up_start(actor=user, action=PAYOUT, target="a", amount=5, currency="XOF")
    with pytest.raises(PasskeyInvalid) as refused:
        identity.step_up_verify(
            actor=user,
            challenge_id=cloned.challenge_id,
            credential=authenticator.assert_(json.loads(cloned.webauthn_options), sign_count=1),
        )
    assert refused.value.code == "passkey_invalid"
    assert Passkey.objects.get(pk=passkey.pk).sign_count == 1


def test_a_passkey_signed_for_another_challenge_is_refused(sms):
    user = UserFactory()
    authenticator = SoftAuthenticator()
    second_factor.passkey_register(
        actor=user,
        credential=authenticator.register(json.loads(second_factor.passkey_registration_options(actor=user))),
    )
    first = identity.step_up_start(actor=user, action=PAYOUT, target="a", amount=5, currency="XOF")
    second = identity.step_up_start(actor=user, action=PAYOUT, target="a", amount=5, currency="XOF")
    answer = authenticator.assert_(json.loads(first.webauthn_options))
    with pytest.raises(PasskeyInvalid) as refused:
        identity.step_up_verify(actor=user, challenge_id=second.challenge_id, credential=answer)
    assert refused.value.code == "passkey_invalid"


# --- SIM-swap hold -----------------------------------------------------------------------------


def test_a_phone_change_holds_payouts_72_hours_with_the_date_and_tells_the_old_number(
    sms, notices, clock, settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "fr"
    user = UserFactory(email="awa@example.com")
    old = str(user.phone)
    enrol_totp(user)
    client = bearer_client(user)
    assert (
        client.post("/api/v1/identity/me/phone", {"phone": "+2290196777001"}, format="json").status_code
        == 202
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/identity/me/phone/confirm",
            {"phone": "+2290196777001", "code": sms.last_code("+2290196777001")},
            format="json",
        )
    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert str(user.phone) == "+2290196777001"
    hold = StrongActionHold.objects.get(user=user)
    assert timedelta(hours=71, minutes=59) < hold.until - timezone.now() <= timedelta(hours=72)
    assert notices == [
        {
            "kind": "phone_changed",
            "phone": old,
            "email": "awa@example.com",
            "until": hold.until,
            "language": "fr",
        }
    ]
    with translation.override("fr"), pytest.raises(identity.StrongActionHeld) as held:
        identity.step_up_start(actor=user, action=PAYOUT, target="a", amount=5, currency="XOF")
    local = timezone.localtime(hold.until)
    assert f"possible à partir du {local.day} " in str(held.value.message) and f"{local:%H:%M}" in str(
        held.value.message
    )
    assert held.value.until == hold.until
    # a refund (registered without the hold) is still possible with the strong factor
    refund = identity.step_up_start(
        actor=user, action="payments.intent.refund", target="i", amount=5, currency="XOF"
    )
    assert refund.method == "totp"
    clock.shift(timedelta(hours=72, seconds=1))
    assert (
        identity.step_up_start(actor=user, action=PAYOUT, target="a", amount=5, currency="XOF").method
        == "totp"
    )


def test_the_held_refusal_is_a_403_problem_with_until(sms, notices, django_capture_on_commit_callbacks):
    from apps.identity.services import protection

    user = UserFactory()
    protection.device_login(user, device_id="first-phone")
    with django_capture_on_commit_callbacks(execute=True):
        protection.device_login(user, device_id="thief-phone")
    hold = StrongActionHold.objects.get(user=user, reason="new_device")
    response = bearer_client(user).post(
        "/api/v1/auth/step-up",
        {"action": PAYOUT, "target": "x", "amount": 5, "currency": "XOF"},
        format="json",
    )
    assert response.status_code == 403 and response.json()["code"] == "strong_action_held"
    assert response.json()["until"] == hold.until.isoformat()
    assert notices[0]["kind"] == "new_device" and notices[0]["phone"] == str(user.phone)


def test_the_default_notice_goes_by_e_mail(sms, django_capture_on_commit_callbacks):
    from apps.identity.services import protection

    user = UserFactory(email="koffi@example.com")
    protection.device_login(user, device_id="a")
    with django_capture_on_commit_callbacks(execute=True):
        protection.device_login(user, device_id="b")
    assert [m.to for m in mail.outbox] == [["koffi@example.com"]]
    assert "nouvel appareil" in mail.outbox[0].body or "new device" in mail.outbox[0].body


def test_logins_from_devices_the_first_never_holds_a_new_one_does(sms, notices):
    client = bearer_client(None)
    phone = "+2290196555123"
    client.post("/api/v1/auth/otp/request", {"phone": phone}, format="json")
    first = client.post(
        "/api/v1/auth/otp/verify",
        {"phone": phone, "code": sms.last_code(phone)},
        format="json",
        HTTP_X_DEVICE_ID="phone-1",
    )
    assert first.status_code == 200 and first.json()["created"] is True
    assert not StrongActionHold.objects.exists()  # a brand-new account's first login
    from django.core.cache import cache

    cache.clear()  # the resend cooldown
    client.post("/api/v1/auth/otp/request", {"phone": phone}, format="json")
    client.post(
        "/api/v1/auth/otp/verify",
        {"phone": phone, "code": sms.last_code(phone)},
        format="json",
        HTTP_X_DEVICE_ID="phone-1",
    )
    assert not StrongActionHold.objects.exists()  # the same device again
    cache.clear()
    client.post("/api/v1/auth/otp/request", {"phone": phone}, format="json")
    client.post(
        "/api/v1/auth/otp/verify",
        {"phone": phone, "code": sms.last_code(phone)},
        format="json",
        HTTP_X_DEVICE_ID="phone-2",
    )
    assert StrongActionHold.objects.filter(reason="new_device").count() == 1
    assert SecurityEvent.objects.filter(kind="new_device").count() == 1


# --- transports and isolation -----------------------------------------------------------------------


def test_rest_enrolment_listing_and_nobody_else_removes_my_device(sms):
    me, other = UserFactory(), UserFactory()
    client = bearer_client(me)
    started = client.post("/api/v1/identity/me/totp", {"name": "Pixel"}, format="json").json()
    device = TOTPDevice.objects.get(pk=int(started["device_id"].split(":")[1]))
    confirmed = client.post(
        "/api/v1/identity/me/totp/confirm",
        {"device_id": started["device_id"], "code": totp_code(device)},
        format="json",
    )
    assert confirmed.status_code == 200 and len(confirmed.json()["recovery_codes"]) == 10
    status = client.get("/api/v1/identity/me/security").json()
    assert [(f["kind"], f["name"], f["confirmed"]) for f in status["factors"]] == [("totp", "Pixel", True)]
    assert bearer_client(other).get("/api/v1/identity/me/security").json()["factors"] == []
    remove = f"/api/v1/identity/me/second-factors/totp:{device.pk}/remove"
    stranger = bearer_client(other).post(remove, {}, format="json")
    assert stranger.status_code == 404 and TOTPDevice.objects.filter(pk=device.pk).exists()
    without = client.post(remove, {}, format="json")
    assert without.status_code == 403 and without.json()["code"] == "step_up_required"
    token = strong_proof(
        me, action="identity.second_factor.remove", target=f"totp:{device.pk}", amount=None, currency=None
    )
    done = client.post(remove, {"step_up_token": token}, format="json")
    assert done.status_code == 204 and not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_graphql_enrolment_and_the_typed_refusal(sms):
    user = UserFactory()
    client = bearer_client(user)
    refused = gql(
        client,
        'mutation { identityStartStepUp(action: "payments.payout.create", target: "o", amount: 5, currency: "XOF") { ok errors { code message } method } }',
    )["identityStartStepUp"]
    assert refused["ok"] is False and refused["errors"][0]["code"] == "second_factor_required"
    started = gql(
        client,
        'mutation { identityStartTotpEnrolment(name: "Pixel") { ok deviceId secret otpauthUri qrSvg } }',
    )["identityStartTotpEnrolment"]
    device = TOTPDevice.objects.get(pk=int(started["deviceId"].split(":")[1]))
    confirmed = gql(
        client,
        "mutation($d: String!, $c: String!) { identityConfirmTotpEnrolment(deviceId: $d, code: $c) { ok errors { code } recoveryCodes } }",
        {"d": started["deviceId"], "c": totp_code(device)},
    )["identityConfirmTotpEnrolment"]
    assert confirmed["ok"] and len(confirmed["recoveryCodes"]) == 10
    security = gql(client, "{ identitySecurity { mustEnrol recoveryCodesLeft factors { id kind name } } }")[
        "identitySecurity"
    ]
    assert security["factors"] == [{"id": started["deviceId"], "kind": "totp", "name": "Pixel"}]
    other = gql(
        bearer_client(UserFactory()),
        "mutation($d: String!) { identityRemoveSecondFactor(factorId: $d) { ok errors { code } } }",
        {"d": started["deviceId"]},
    )["identityRemoveSecondFactor"]
    assert other["ok"] is False and other["errors"][0]["code"] == "not_found"


# --- pages -------------------------------------------------------------------------------------------


def test_the_security_page_enrols_an_app_and_shows_the_codes_once(client, sms):
    user = MembershipFactory(role=Membership.Role.OWNER).user
    client.force_login(user)
    home = client.get("/manager/identity/profile/")
    assert b'data-testid="enrol-banner"' in home.content  # owners must enrol: a banner on pages
    page = client.get("/manager/identity/security/")
    assert page.status_code == 200 and b'data-testid="security-must-enrol"' in page.content
    assert client.post("/manager/identity/security/", {"name": "Pixel"}).status_code == 302
    enrol = client.get("/manager/identity/security/totp/")
    assert b"data:image/svg+xml;base64," in enrol.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    codes = client.post("/manager/identity/security/totp/", {"code": totp_code(device)})
    assert codes.status_code == 200 and b'data-testid="recovery-codes"' in codes.content
    assert b'data-testid="enrol-banner"' not in client.get("/manager/identity/profile/").content
    other = UserFactory()
    client.force_login(other)
    assert client.get(f"/manager/identity/security/totp:{device.pk}/remove/").status_code == 404


def test_the_phone_change_page_sends_a_code_to_the_new_number_then_holds(
    client, sms, notices, django_capture_on_commit_callbacks
):
    user = UserFactory()
    old = str(user.phone)
    client.force_login(user)
    asked = client.post("/manager/identity/security/phone/", {"phone": "01 96 77 70 02"})
    assert asked.status_code == 200 and "+2290196777002" in asked.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            "/manager/identity/security/phone/", {"step": "code", "code": sms.last_code("+2290196777002")}
        )
    assert done.status_code == 302
    user.refresh_from_db()
    assert str(user.phone) == "+2290196777002" and StrongActionHold.objects.filter(user=user).exists()
    assert notices[0]["phone"] == old
    page = client.get("/manager/identity/security/")
    assert b'data-testid="security-hold"' in page.content


def test_guessing_across_new_challenges_locks_the_strong_step_up(sms, settings, clock):
    user = UserFactory()
    device = enrol_totp(user)
    wrong = f"{(int(totp_code(device)) + 1) % 10**6:06d}"
    for _ in range(2 * settings.OTP_MAX_ATTEMPTS):
        challenge = identity.step_up_start(actor=user, action=PAYOUT, target="a", amount=1, currency="XOF")
        with pytest.raises(identity.OtpInvalid):
            identity.step_up_verify(actor=user, challenge_id=challenge.challenge_id, code=wrong)
    challenge = identity.step_up_start(actor=user, action=PAYOUT, target="a", amount=1, currency="XOF")
    with pytest.raises(identity.OtpLocked):  # even the right code waits out the lock
        identity.step_up_verify(actor=user, challenge_id=challenge.challenge_id, code=totp_code(device))
    clock.shift(settings.OTP_LOCK_SECONDS + 1)
    challenge = identity.step_up_start(actor=user, action=PAYOUT, target="a", amount=1, currency="XOF")
    assert identity.step_up_verify(
        actor=user, challenge_id=challenge.challenge_id, code=totp_code(device)
    ).token
