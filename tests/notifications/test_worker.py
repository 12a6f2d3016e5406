"""The real thing: a Celery worker consuming the notification queues on the real Redis
broker, delivering through the console provider on the real database."""

import json
import time

import pytest

from apps.notifications import api
from apps.notifications.contracts import SendRequest, TemplateKey
from apps.notifications.models import Message
from tests.identity.factories import UserFactory

from .conftest import RENT, rent_context

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

QUEUES = ["notifications.otp", "notifications.transactional", "notifications.bulk"]


@pytest.fixture
def worker(real_celery_worker):
    """The shared real worker (tests/conftest.py): every queue, purged first."""
    yield


def wait_until(predicate, timeout=20.0):
    """Poll (no fixed sleep) until the worker has done its part."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_otp_and_bulk_go_through_a_real_worker(worker, settings, tmp_path):
    outbox = tmp_path / "outbox.jsonl"
    settings.SMS_CONSOLE_FILE = str(outbox)
    settings.SMS_BACKEND = "file"
    users = [UserFactory() for _ in range(5)]
    api.send_many(
        SendRequest(
            recipient=str(u.public_id),
            template_key=RENT,
            context=rent_context(),
            channels=("sms", "inapp"),
            idempotency_key=f"worker:{u.pk}",
        )
        for u in users
    )
    api.send("+2290197112233", TemplateKey.OTP, {"code": "551122", "purpose": "login", "minutes": 5})
    sms = Message.objects.filter(channel="sms")
    assert wait_until(lambda: sms.filter(status="sent").count() == 6), list(
        sms.values_list("status", "last_error")
    )
    otp = Message.objects.get(template_key=TemplateKey.OTP)
    assert otp.priority == "otp" and "551122" not in otp.body and otp.sealed_body == ""
    lines = [json.loads(line) for line in outbox.read_text().splitlines()]
    assert len(lines) == 6 and any("551122" in line["body"] for line in lines)
    assert Message.objects.filter(channel="inapp", status="delivered").count() == 5
