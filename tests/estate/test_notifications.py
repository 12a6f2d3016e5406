"""Estate talks to tenants through notifications: the avis d'échéance after the month-end
run, announcements to every tenant of a property."""

from datetime import date

import pytest

from apps.estate import services
from apps.estate.events import RentDuesIssued
from apps.estate.handlers import send_notices
from apps.estate.models import RentDue
from apps.notifications.models import Message

pytestmark = pytest.mark.django_db


def test_the_month_end_batch_sends_one_notice_per_tenant_and_due(lease, tenant):
    services.month_end_run(period=date(2026, 4, 1))
    april = RentDue.objects.get(lease=lease, period=date(2026, 4, 1))
    event = RentDuesIssued(period="2026-04-01", due_ids=[str(april.public_id)])
    send_notices(event, event_id="e1")
    send_notices(event, event_id="e1")  # delivered twice: still one notice (idempotency key)
    sms = Message.objects.filter(template_key="estate.rent_notice", channel="sms")
    assert sms.count() == 1
    assert "avril 2026" in sms.get().body and "/pay/rent/" in sms.get().body


def test_announcement_reaches_every_tenant_of_the_property(lease, manager, prop, tenant):
    announcement = services.announcement_send(
        actor=manager,
        property=prop,
        title="Coupure d'eau samedi",
        message="La SONEB coupe l'eau samedi de 8 h à 14 h.",
    )
    assert announcement.recipients == 1
    channels = set(Message.objects.filter(user=tenant).values_list("channel", flat=True))
    assert {"sms", "inapp"} <= channels
    # sent on the organization's behalf: its SMS are metered for its Hokwe bill
    assert set(Message.objects.filter(user=tenant).values_list("organization", flat=True)) == {
        prop.organization.public_id
    }
