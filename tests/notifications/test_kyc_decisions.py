"""KYC decisions reach the person: kyc publishes KycSubmissionDecided, notifications (the
layer above) tells them by SMS and in the inbox, in their language, once per event."""

import uuid

import pytest

from apps.core import outbox
from apps.core.models import OutboxEvent
from apps.kyc.events import KycSubmissionDecided
from apps.notifications.models import Message
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def decided(user, decision, reason=""):
    return KycSubmissionDecided(
        submission_public_id=str(uuid.uuid4()),
        subject="individual",
        user_public_id=str(user.public_id),
        organization_public_id="",
        decision=decision,
        reason=reason,
    )


def test_an_approval_is_sent_by_sms_and_inbox(django_capture_on_commit_callbacks):
    user = UserFactory(preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        outbox.publish(decided(user, "approved"))
    messages = Message.objects.filter(template_key="kyc.approved")
    assert {m.channel for m in messages} == {"sms", "inapp"}
    sms = messages.get(channel="sms")
    assert sms.body == "Hokwe: votre vérification est validée. Vos plafonds de paiement ont été relevés."


def test_a_rejection_carries_the_reason_in_the_recipients_language(django_capture_on_commit_callbacks):
    user = UserFactory(preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox.publish(decided(user, "rejected", "document_expired"))
    sms = Message.objects.get(template_key="kyc.rejected", channel="sms")
    assert sms.body == (
        "Hokwe: your verification was not approved. The identity document has expired. Please redo it in the app."
    )
    # Delivered again (at-least-once): nothing is sent twice.
    OutboxEvent.objects.filter(id=row.id).update(status=OutboxEvent.Status.PENDING)
    outbox.dispatch(row.id)
    assert Message.objects.filter(template_key="kyc.rejected", channel="sms").count() == 1


def test_french_rejection_text(django_capture_on_commit_callbacks):
    user = UserFactory(preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        outbox.publish(decided(user, "rejected", "document_expired"))
    sms = Message.objects.get(template_key="kyc.rejected", channel="sms")
    assert sms.body.startswith("Hokwe: votre vérification n'a pas abouti. ")
    assert "expir" in sms.body  # the French reason label
