"""The webhook ack does not process: a real Celery worker on the real Redis broker picks
the stored event up, asks the (local) Kkiapay and applies it."""

import pytest
from rest_framework.test import APIClient

from apps.payments import services
from apps.payments.contracts import IntentStatus
from apps.payments.models import PaymentIntent, WebhookEvent
from tests.core.test_celery_worker import wait_until

from .conftest import balance, make_intent
from .fakes import kkiapay as fake

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(real_celery_worker):
    """The shared real worker (tests/conftest.py): every queue, purged first."""
    yield


def test_a_worker_confirms_and_applies_the_webhook(org, kkiapay, worker):
    intent = make_intent(org, amount=33_000)
    attempt, _ = services.attempt_start(intent=intent, method="mobile_money")
    reference = kkiapay.add(amount=33_000, partner=attempt.token)
    response = APIClient().generic(
        "POST",
        "/api/v1/payments/webhooks/kkiapay",
        fake.webhook_body(reference, partner=attempt.token),
        content_type="application/json",
        HTTP_X_KKIAPAY_SECRET=fake.WEBHOOK_SECRET,
    )
    assert response.status_code == 200
    assert wait_until(lambda: PaymentIntent.objects.get(pk=intent.pk).status == IntentStatus.SUCCEEDED)
    assert wait_until(
        lambda: WebhookEvent.objects.get().status == "processed"
    )  # marked after the money moved
    assert balance(intent.credit_account) == 33_000
