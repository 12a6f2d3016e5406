"""The senders handed to identity at start-up (one-time codes, invitation links and the
security notices of the SIM-swap protection).

Identity sits below notifications and cannot import it; it declares `OtpSender` and
`InvitationSender` protocols (apps/identity/contracts.py) and registration hooks
(apps/identity/api.py: set_otp_sender, set_invitation_sender), which
NotificationsConfig.ready() calls with the classes below. Codes travel on the OTP queue.
Codes and invitation links are secrets: the message log keeps "******" in their place and
the real text only sealed (encrypted) until it is handed to the SMS provider.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from . import api
from .catalog import OTP_PURPOSES, SECURITY_EVENTS
from .contracts import Channel, Priority, TemplateKey

ROLE_LABELS = {
    "owner": _("owner"),
    "manager": _("manager"),
    "accountant": _("accountant"),
    "collector": _("collector"),
    "viewer": _("viewer"),
}


def _language(value: str) -> str:
    return value if value in ("fr", "en") else "fr"


class NotificationsOtpSender:
    """Implements identity's OtpSender."""

    def send_otp(self, *, phone: str, code: str, purpose: str, language: str) -> None:
        api.send(
            phone,
            TemplateKey.OTP,
            {
                "code": code,
                "purpose": purpose if purpose in OTP_PURPOSES else "other",
                "minutes": max(1, getattr(settings, "OTP_TTL_SECONDS", 300) // 60),
            },
            channels=[Channel.SMS],
            priority=Priority.OTP,
            language=_language(language),
        )


class NotificationsInvitationSender:
    """Implements identity's InvitationSender (SMS to the invited phone number)."""

    def send_invitation(
        self, *, phone: str, link: str, organization_name: str, inviter_name: str, role: str, language: str
    ) -> None:
        language = _language(language)
        with override(language):
            role_label = str(ROLE_LABELS.get(role, role))
        api.send(
            phone,
            TemplateKey.INVITATION,
            {
                "inviter_name": inviter_name or "Hokwe",
                "organization_name": organization_name,
                "role": role_label,
                "url": link,
            },
            channels=[Channel.SMS],
            language=language,
        )


class NotificationsSecurityNoticeSender:
    """Implements identity's SecurityNoticeSender: an SMS to the number given (the OLD one
    after a phone change: a SIM swapper holds the new one) and an e-mail, each on its own."""

    def send_security_notice(self, *, kind: str, phone, email, until, language: str) -> None:
        context = {
            "event": kind if kind in SECURITY_EVENTS else "new_device",
            "until": until.isoformat(),
        }
        key = f"identity:security:{kind}:{int(until.timestamp())}"
        for address, channel in ((phone, Channel.SMS), (email, Channel.EMAIL)):
            if address:
                api.send(
                    address,
                    TemplateKey.SECURITY_NOTICE,
                    context,
                    channels=[channel],
                    language=_language(language),
                    idempotency_key=key,
                )


def register_with_identity() -> bool:
    """Hand our senders to identity (True when its hooks exist)."""
    try:
        from apps.identity import api as identity_api
    except ImportError:
        return False
    set_otp = getattr(identity_api, "set_otp_sender", None)
    set_invitation = getattr(identity_api, "set_invitation_sender", None)
    if set_otp is None:
        return False
    set_otp(NotificationsOtpSender())
    if set_invitation is not None:
        set_invitation(NotificationsInvitationSender())
    set_notice = getattr(identity_api, "set_security_notice_sender", None)
    if set_notice is not None:
        set_notice(NotificationsSecurityNoticeSender())
    return True
