"""Through a real Celery worker on the real Redis broker: a payment's event reaches the
outbox's dispatcher in the worker, partners' handler queues the delivery, the
`partners.deliver` task POSTs it, signed, to a real local receiver. Nothing of it runs in the
publishing transaction."""

import pytest
from django.db import transaction

from apps.core.outbox import publish
from apps.partners import api as partners
from apps.partners.models import Delivery
from tests.core.test_celery_worker import wait_until

from .test_webhooks import succeeded

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_a_payment_event_is_delivered_by_the_worker(endpoint, org, receiver, real_celery_worker):
    with transaction.atomic():
        publish(succeeded(org))
        assert receiver.received == []  # nothing before the commit
    assert wait_until(lambda: len(receiver.received) == 1)
    (request,) = receiver.received
    assert partners.verify_signature(endpoint.secret, request.headers["Hokwe-Signature"], request.body)
    assert request.json["type"] == "payment.succeeded"
    assert wait_until(lambda: Delivery.objects.filter(status="succeeded").count() == 1)
    assert Delivery.objects.get().attempt_log.get().status_code == 200
