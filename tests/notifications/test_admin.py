"""Back-office: template editor (preview, SMS length warning, versions) and the delivery log."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.notifications import api
from apps.notifications.models import Message, Template
from tests.identity.factories import UserFactory

from .conftest import RENT, rent_context

pytestmark = pytest.mark.django_db

ADD = "/admin/notifications/template/add/"


@pytest.fixture
def staff_client(client):
    staff = UserFactory(is_staff=True, staff_role="support")
    device = TOTPDevice.objects.create(user=staff, name="test", confirmed=True)
    client.force_login(staff)
    session = client.session
    session["otp_device_id"] = device.persistent_id  # django-otp: this session passed the TOTP step
    session.save()
    client.staff = staff
    return client


def _form(**overrides):
    data = {"key": RENT, "channel": "sms", "language": "fr", "subject": "", "body": "", "note": "test"}
    data.update(overrides)
    return data


def test_add_is_prefilled_with_the_default_text(staff_client):
    page = staff_client.get(ADD + f"?key={RENT}&channel=sms&language=fr").content.decode()
    assert "avis d&#x27;échéance {{ period }}" in page


def test_preview_shows_the_text_and_warns_about_ucs2_without_saving(staff_client):
    body = (
        "Hokwe: loyer de {{ amount }} à régler avant le {{ due_date }} — merci ! Payez ici : {{ pay_url }} ê"
    )
    page = staff_client.post(ADD, _form(body=body, _preview="1")).content.decode()
    assert "Preview only" in page or "Aperçu" in page
    assert "75 000 FCFA" in page or "75\u202f000" in page
    assert "UCS-2" in page and "ê" in page
    assert not Template.objects.exists()


def test_unknown_placeholders_are_refused(staff_client):
    page = staff_client.post(ADD, _form(body="Bonjour {{ tenant_nam }}")).content.decode()
    assert "tenant_nam" in page and not Template.objects.exists()
    page = staff_client.post(ADD, _form(body="{% if x %}oops{% endif %}")).content.decode()
    assert not Template.objects.exists()


def test_saving_creates_versions_and_sending_uses_the_active_one(staff_client, send_now):
    staff_client.post(ADD, _form(body="V1 {{ reference }}: {{ amount }} {{ pay_url }}"))
    first = Template.objects.get()
    assert (first.version, first.is_active, first.edited_by) == (1, True, staff_client.staff)
    staff_client.post(
        f"/admin/notifications/template/{first.pk}/change/",
        {"subject": "", "body": "V2 {{ reference }}", "note": "shorter"},
    )
    versions = list(Template.objects.order_by("version").values_list("version", "is_active"))
    assert versions == [(1, False), (2, True)]
    send_now(api.send, "+2290197112233", RENT, rent_context(), channels=["sms"])
    message = Message.objects.get()
    assert message.body == "V2 LOY-2026-03-0042" and message.template_version == 2
    # Roll back to version 1 with the admin action.
    staff_client.post(
        "/admin/notifications/template/", {"action": "activate", "_selected_action": [first.pk]}
    )
    assert Template.objects.get(is_active=True).version == 1


def test_delivery_log_is_searchable_by_phone_and_id(staff_client, send_now):
    send_now(api.send, "+2290197112233", RENT, rent_context(), channels=["sms"])
    send_now(api.send, "+2290197112299", RENT, rent_context(), channels=["sms"])
    message = Message.objects.get(address="+2290197112233")
    page = staff_client.get("/admin/notifications/message/?q=%2B2290197112233").content.decode()
    assert "+2290197112233" in page and "+2290197112299" not in page
    page = staff_client.get(f"/admin/notifications/message/?q={message.public_id}").content.decode()
    assert "+2290197112233" in page and "+2290197112299" not in page
    assert staff_client.get(f"/admin/notifications/message/{message.pk}/change/").status_code == 200


def test_non_staff_cannot_open_the_log(client):
    client.force_login(UserFactory())
    assert client.get("/admin/notifications/message/").status_code in (302, 403)
