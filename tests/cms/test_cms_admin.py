"""The Wagtail editor at /cms/: Hokwe's content staff only (staff who passed the /admin/ TOTP
login, with Wagtail's admin access); everyone else goes to the admin's TOTP login. Wagtail's
users app is installed with its user screens off (users are identity's)."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.identity.models import User
from tests.identity.factories import UserFactory
from tests.identity.test_admin_and_audit import admin_login

pytestmark = pytest.mark.django_db


def _editor(**extra) -> tuple[User, TOTPDevice]:
    user = UserFactory(is_staff=True, staff_role="support", **extra)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user, TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_anonymous_is_sent_to_the_admin_totp_login():
    response = Client().get("/cms/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/cms/")


def test_a_password_session_without_totp_is_sent_to_the_totp_login():
    user, _device = _editor()
    browser = Client()
    browser.force_login(user)
    response = browser.get("/cms/pages/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_a_non_staff_user_is_sent_to_the_totp_login_even_with_the_permission():
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    browser = Client()
    browser.force_login(user)
    assert browser.get("/cms/").status_code == 302


def test_staff_with_totp_and_editor_access_use_the_editor():
    user, device = _editor()
    browser, response = admin_login(user, device)
    assert response.status_code == 302
    assert browser.get("/cms/").status_code == 200  # the pages it may edit: its groups' page permissions


def test_staff_with_totp_but_no_editor_access_are_refused_by_wagtail():
    user = UserFactory(is_staff=True, staff_role="finance")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    browser, _response = admin_login(user, device)
    response = browser.get("/cms/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_wagtail_user_screens_are_off_even_for_a_superuser():
    user, device = _editor(is_superuser=True)
    browser, _response = admin_login(user, device)
    assert browser.get("/cms/").status_code == 200
    from wagtail.models import Page

    home = Page.objects.get(url_path="/hokwe/hokwe-com/")
    assert browser.get(f"/cms/pages/{home.pk}/edit/").status_code == 200
    assert browser.get("/cms/users/").status_code in (302, 403)
    assert "/cms/users/" not in browser.get("/cms/").content.decode()


def test_is_active_stays_the_status_and_cannot_be_assigned():
    user = UserFactory()
    assert user.is_active
    user.status = User.Status.SUSPENDED
    assert not user.is_active
    with pytest.raises(AttributeError):
        user.is_active = True
    assert User._meta.get_field("is_active").column is None  # no column, no migration


def test_full_clean_and_create_user_still_work_with_the_column_less_field():
    user = User.objects.create_user("+2290197000077", "secret-pass-123")
    user.full_clean(exclude=["password"])
    assert User.objects.get(pk=user.pk).is_active
