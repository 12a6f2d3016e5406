"""Bodies that hold a secret (a one-time code) are never stored in clear.

The message log keeps a masked body ("code ******"); the real body is encrypted (Fernet:
AES-128-CBC + HMAC-SHA256, key derived from SECRET_KEY) until the worker hands it to the
provider, then wiped. A sealed OTP older than NOTIFICATIONS_OTP_TTL_SECONDS no longer
opens: a code that could not be sent in time is useless and fails instead.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

__all__ = ["InvalidToken", "seal", "unseal"]


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"hokwe.notifications.seal:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def unseal(token: str, *, otp: bool) -> str:
    """Raises InvalidToken when tampered with or too old: an OTP after
    NOTIFICATIONS_OTP_TTL_SECONDS, anything else (an invitation link) after
    NOTIFICATIONS_SEALED_TTL_SECONDS."""
    ttl = settings.NOTIFICATIONS_OTP_TTL_SECONDS if otp else settings.NOTIFICATIONS_SEALED_TTL_SECONDS
    return _fernet().decrypt(token.encode(), ttl=ttl).decode()
