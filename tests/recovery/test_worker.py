"""The daily task and the payment follow-up through a real Celery worker on the real Redis
broker: beat's task opens the case and sends the first reminder; a payment recorded later
reaches recovery through the outbox, and the case closes."""

import pytest

from apps.notifications.models import Message
from apps.recovery import tasks
from apps.recovery.models import Case
from tests.core.test_celery_worker import wait_until

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_the_daily_task_and_a_payment_through_the_worker(
    lease, ladder, manager, estate_pay, real_celery_worker
):
    tasks.daily.delay()
    assert wait_until(lambda: Case.objects.filter(lease=lease.public_id).exists())
    case = Case.objects.get(lease=lease.public_id)
    assert wait_until(
        lambda: Message.objects.filter(
            idempotency_key__startswith=f"recovery:case:{case.public_id}:"
        ).exists()
    )
    estate_pay(manager, lease, case.amount_owed, reference="VIR-9")
    assert wait_until(lambda: Case.objects.get(pk=case.pk).status == "closed")
    case.refresh_from_db()
    assert case.outcome == "paid" and case.recovered == case.amount_at_open
