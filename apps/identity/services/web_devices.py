"""A page login's device: a long-lived signed cookie names this browser (the apps send
X-Device-Id instead). Connected to Django's user_logged_in signal (apps.py), so every web
login — password, SMS code, SSO, admin — is seen; a login without a real request (the test
client's force_login, a management command) records nothing."""

from __future__ import annotations

import secrets

from django.conf import settings

from . import protection

SALT = "identity.device"


def browser_device_id(request) -> str:
    """This browser's identifier (its signed cookie), or a new one the response will set."""
    current = request.get_signed_cookie(
        settings.IDENTITY_DEVICE_COOKIE,
        default=None,
        salt=SALT,
        max_age=settings.IDENTITY_DEVICE_COOKIE_DAYS * 86400,
    )
    if current:
        return current
    fresh = getattr(request, "identity_new_device_cookie", None) or secrets.token_urlsafe(24)
    request.identity_new_device_cookie = fresh  # IdentityMiddleware sets the cookie
    return fresh


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    if request is None or not request.META.get("REMOTE_ADDR") or not hasattr(request, "COOKIES"):
        return
    protection.device_login(user, device_id=browser_device_id(request), kind="web")
