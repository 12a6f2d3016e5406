"""Staff back-office: password + TOTP login, policy-driven permissions, the audit log."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.identity.models import SecurityEvent, User
from apps.identity.services.audit import audit
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def staff(role: str) -> tuple[User, TOTPDevice]:
    user = UserFactory(is_staff=True, staff_role=role)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def admin_login(user, device, code=None) -> tuple[Client, object]:
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": str(user.phone),
            "password": "secret-pass-123",
            "otp_device": device.persistent_id,
            "otp_token": code if code is not None else current_code(device),
        },
    )
    return client, response


def test_staff_need_password_and_totp(client):
    user, device = staff("admin")
    _client, refused = admin_login(user, device, code="")
    assert refused.status_code == 200  # the form again: no TOTP, no entry
    browser, response = admin_login(user, device)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert browser.get("/admin/").status_code == 200
    assert SecurityEvent.objects.filter(kind="staff_login", actor=user).exists()


def test_a_password_session_without_totp_cannot_use_the_admin():
    user, _device = staff("admin")
    browser = Client()
    browser.force_login(user)
    assert browser.get("/admin/").status_code == 302


def test_wrong_password_is_audited():
    user, device = staff("support")
    client = Client()
    client.post("/admin/login/", {"username": str(user.phone), "password": "nope", "otp_token": "123456"})
    assert SecurityEvent.objects.filter(kind="staff_login_failed").exists()


def test_the_audit_log_is_searchable_by_compliance_only():
    subject = UserFactory()
    audit("otp_locked", subject=subject, phone=str(subject.phone), data={"purpose": "login"})
    compliance, device = staff("compliance")
    browser, _ = admin_login(compliance, device)
    hint = SecurityEvent.objects.get(kind="otp_locked").phone_hint
    page = browser.get("/admin/identity/securityevent/", {"q": hint[-2:], "kind__exact": "otp_locked"})
    assert page.status_code == 200 and hint in page.content.decode()
    event = SecurityEvent.objects.get(kind="otp_locked")
    change = browser.post(f"/admin/identity/securityevent/{event.pk}/change/", {"kind": "login"})
    assert change.status_code in (403, 200)
    event.refresh_from_db()
    assert event.kind == "otp_locked"
    assert (
        browser.post(f"/admin/identity/securityevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    )

    support, device = staff("support")
    browser, _ = admin_login(support, device)
    assert browser.get("/admin/identity/securityevent/").status_code == 403
    assert browser.get("/admin/identity/user/").status_code == 200


def test_the_audit_log_is_append_only_even_in_sql():
    event = audit("login")
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE identity_securityevent SET kind = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM identity_securityevent WHERE id = %s", [event.pk])


def test_compliance_can_suspend_and_the_user_tokens_die(api_client):
    from apps.identity.services.tokens import tokens_issue

    compliance, device = staff("compliance")
    browser, _ = admin_login(compliance, device)
    target = UserFactory()
    pair = tokens_issue(user=target, auth_method="otp")
    browser.post("/admin/identity/user/", {"action": "suspend", "_selected_action": [target.pk]})
    target.refresh_from_db()
    assert target.status == "suspended"
    assert (
        api_client.get("/api/v1/identity/me", HTTP_AUTHORIZATION=f"Bearer {pair.access_token}").status_code
        == 401
    )
    assert SecurityEvent.objects.filter(kind="user_suspended", subject=target, actor=compliance).exists()


def test_support_cannot_grant_staff_roles():
    support, device = staff("support")
    browser, _ = admin_login(support, device)
    target = UserFactory()
    page = browser.get(f"/admin/identity/user/{target.pk}/change/").content.decode()
    assert 'name="staff_role"' not in page  # read-only for non-admins
