"""« Find my pay link » (cms, pay.hokwe.com/pay-link/) with estate's finder: the tenant's open
pay links go by SMS to the tenant's own phone, never on screen."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pay_site_host(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "pay.hokwe.com"]


def open_dues(lease):
    from apps.estate.contracts import OPEN_DUE_STATUSES
    from apps.estate.models import RentDue

    return list(RentDue.objects.filter(lease=lease, status__in=OPEN_DUE_STATUSES).order_by("due_date", "id"))


def test_a_tenant_gets_the_open_pay_links_of_the_lease_by_sms(estate_overdue_lease):
    from apps.notifications.models import Message

    world = estate_overdue_lease
    dues = open_dues(world.lease)
    assert len(dues) >= 2
    national = str(world.tenant.phone).removeprefix("+229")  # as the tenant types it: 01 60 …
    response = Client().post("/pay-link/", {"phone": national}, HTTP_HOST="pay.hokwe.com")

    assert response.status_code == 200
    page = response.content.decode()
    assert all(due.pay_token not in page for due in dues)  # nothing listed on screen
    sms = Message.objects.get(template_key="cms.pay_links")
    assert sms.channel == "sms" and sms.address == str(world.tenant.phone)
    assert f"/pay/rent/{dues[0].pay_token}" in sms.body  # the oldest open due first
    assert all(f"/pay/rent/{due.pay_token}" in sms.body for due in dues[:3])


def test_a_phone_with_no_lease_gets_no_sms_and_the_same_page(estate_overdue_lease):
    from apps.notifications.models import Message

    response = Client().post("/pay-link/", {"phone": "0197123456"}, HTTP_HOST="pay.hokwe.com")

    assert response.status_code == 200
    assert not Message.objects.filter(template_key="cms.pay_links").exists()


def test_paid_dues_are_not_sent(estate_overdue_lease):
    from apps.estate.site_pay_links import open_pay_links

    world = estate_overdue_lease
    before = open_pay_links(str(world.tenant.phone))
    paid = open_dues(world.lease)[0]
    from apps.estate.models import RentDue

    RentDue.objects.filter(pk=paid.pk).update(status="paid")
    after = open_pay_links(str(world.tenant.phone))
    assert any(paid.pay_token in link for link in before)
    assert not any(paid.pay_token in link for link in after)
