"""E-mail through Django's e-mail backend (EMAIL_URL: SMTP, console in dev; an ESP through
django-anymail is a backend swap). One text, two parts: the plain text and an HTML version
rendered from the same text in templates/notifications/email/message.html."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe
from django.utils.translation import override

from .base import Accepted, ProviderError, RecipientRejected


class DjangoEmail:
    name = "email"

    def send(self, *, to: str, subject: str, text: str, language: str, reference: str) -> Accepted:
        plain, html = render_email(subject=subject, text=text, language=language)
        message = EmailMultiAlternatives(
            subject=subject,
            body=plain,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers={"X-Hokwe-Message-Id": reference},
            connection=get_connection(),
        )
        message.attach_alternative(html, "text/html")
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise RecipientRejected(f"recipient refused: {exc.recipients}", provider=self.name) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise ProviderError(f"{type(exc).__name__}: {exc}"[:300], provider=self.name) from exc
        return Accepted(provider_message_id=reference)


def render_email(*, subject: str, text: str, language: str) -> tuple[str, str]:
    """(plain text, HTML) of one message text. The text is escaped as a whole, then its URLs
    become links and its blank lines paragraphs."""
    body_html = mark_safe(linebreaks(urlize(text, autoescape=True), autoescape=False))  # noqa: S308
    with override(language):
        html = render_to_string(
            "notifications/email/message.html",
            {"subject": subject, "body_html": body_html, "language": language},
        )
        plain = render_to_string("notifications/email/message.txt", {"body": text})
    return plain, html
