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
