"""Where identity's messages go: registered senders (apps.notifications registers real
SMS senders from its AppConfig.ready; identity sits below notifications and never imports
it). Until one is registered, the console senders below print them — DEV ONLY."""

from __future__ import annotations

import logging

from ..contracts import InvitationSender, OtpSender

logger = logging.getLogger("hokwe.identity.delivery")


class ConsoleOtpSender:
    """DEV ONLY — prints the code to the console log instead of sending an SMS."""

    label = "console (dev only: codes are printed, not sent)"

    def send_otp(self, *, phone: str, code: str, purpose: str, language: str) -> None:
        logger.warning(
            "DEV CONSOLE SMS (not sent) — Hokwe code %s for %s (%s, %s)", code, phone, purpose, language
        )


class ConsoleInvitationSender:
    """DEV ONLY — prints the invitation link to the console log instead of sending an SMS."""

    label = "console (dev only: links are printed, not sent)"

    def send_invitation(
        self, *, phone: str, link: str, organization_name: str, inviter_name: str, role: str, language: str
    ) -> None:
        logger.warning(
            "DEV CONSOLE SMS (not sent) — invitation to %s as %s for %s: %s",
            organization_name,
            role,
            phone,
            link,
        )


_otp_sender: OtpSender = ConsoleOtpSender()
_invitation_sender: InvitationSender = ConsoleInvitationSender()


def set_otp_sender(sender: OtpSender | None) -> None:
    global _otp_sender
    _otp_sender = sender or ConsoleOtpSender()


def set_invitation_sender(sender: InvitationSender | None) -> None:
    global _invitation_sender
    _invitation_sender = sender or ConsoleInvitationSender()


def otp_sender() -> OtpSender:
    return _otp_sender


def invitation_sender() -> InvitationSender:
    return _invitation_sender


# --- security notices (SIM-swap protection, issue 16) -------------------------------------


class DefaultSecurityNoticeSender:
    """Sends the e-mail with Django's mail backend and prints the SMS to the console log
    (DEV) until apps.notifications registers its SMS sender with set_security_notice_sender."""

    label = "e-mail + console SMS (dev: the SMS is printed, not sent)"

    def send_security_notice(self, *, kind, phone, email, until, language) -> None:
        from django.core.mail import send_mail
        from django.utils import dateformat, timezone, translation
        from django.utils.translation import gettext as _

        with translation.override(language if language in ("fr", "en") else "fr"):
            local = timezone.localtime(until)
            when = _("%(date)s at %(time)s") % {
                "date": dateformat.format(local, "j F Y"),
                "time": dateformat.format(local, "H:i"),
            }
            if kind == "phone_changed":
                text = _(
                    "Hokwe: the phone number of your account was changed. For your protection, "
                    "payouts and payout-account changes are held until %(when)s. Not you? Call Hokwe "
                    "support now."
                ) % {"when": when}
            else:
                text = _(
                    "Hokwe: your account was opened on a new device. For your protection, payouts "
                    "and payout-account changes are held until %(when)s. Not you? Call Hokwe support now."
                ) % {"when": when}
            subject = _("Hokwe: security of your account")
        if email:
            send_mail(subject, text, None, [email], fail_silently=True)
        if phone:
            logger.warning("DEV CONSOLE SMS (not sent) — to %s: %s", phone, text)


_security_notice_sender = DefaultSecurityNoticeSender()


def set_security_notice_sender(sender) -> None:
    """apps.notifications hands its sender here (contracts.SecurityNoticeSender)."""
    global _security_notice_sender
    _security_notice_sender = DefaultSecurityNoticeSender() if sender is None else sender


def security_notice_sender():
    return _security_notice_sender
