"""E-mail through Django's SMTP backend to a real SMTP server on loopback (aiosmtpd)."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

from apps.notifications import api
from apps.notifications.models import Message

from .conftest import RECEIPT, receipt_context

pytestmark = pytest.mark.django_db


class Mailbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Hokwe <no-reply@hokwe.com>"
    yield mailbox
    controller.stop()


def test_receipt_email_arrives_with_text_and_html_from_one_template(smtp, tenant, send_now):
    send_now(
        api.send, tenant.public_id, RECEIPT, receipt_context(payer_name="Brice <b>Z</b>"), channels=["email"]
    )
    message = Message.objects.get()
    assert message.status == "sent" and message.provider == "email"
    assert len(smtp.messages) == 1 and smtp.envelopes[0].rcpt_tos == ["tenant@example.com"]
    received = smtp.messages[0]
    assert received["Subject"] == "Reçu de paiement REC-8F3K2"
    assert received["X-Hokwe-Message-Id"] == str(message.public_id)
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    assert "Nous avons bien reçu votre paiement de 75" in text and "Brice <b>Z</b>" in text
    assert "Brice &lt;b&gt;Z&lt;/b&gt;" in html  # values are escaped in the HTML part
    assert '<a href="https://hokwe.com/r/8F3K2"' in html
    assert html.count("<p>") >= 3


def test_english_user_gets_the_english_email(smtp, tenant, send_now):
    tenant.preferred_language = "en"
    tenant.save()
    send_now(api.send, tenant.public_id, RECEIPT, receipt_context(), channels=["email"])
    assert smtp.messages[0]["Subject"] == "Payment receipt REC-8F3K2"


def test_a_refused_mailbox_fails_with_the_reason(smtp, send_now):
    smtp.refuse.add("gone@example.com")
    send_now(api.send, "gone@example.com", RECEIPT, receipt_context())
    message = Message.objects.get()
    assert message.status == "failed" and "gone@example.com" in message.failure_reason
    assert smtp.messages == []


def test_smtp_down_keeps_the_email_queued(settings, smtp, send_now):
    settings.EMAIL_PORT = _free_port()  # nothing listens there
    send_now(api.send, "someone@example.com", RECEIPT, receipt_context())
    message = Message.objects.get()
    assert message.status == "queued" and message.not_before is not None
    assert "email:" in message.last_error
