"""The security audit log (append-only): who, what, from where."""

from __future__ import annotations

from apps.core.context import get_request_id

from .. import requestmeta
from ..models import SecurityEvent
from ..phones import mask_phone

Kind = SecurityEvent.Kind


def audit(
    kind: str,
    *,
    actor=None,
    subject=None,
    organization=None,
    phone: str | None = None,
    ip: str | None = None,
    data: dict | None = None,
) -> SecurityEvent:
    """Record one security event. Never pass secrets (codes, tokens) in `data`."""
    return SecurityEvent.objects.create(
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        subject=subject if getattr(subject, "pk", None) else None,
        organization=organization,
        phone_hint=mask_phone(phone) if phone else "",
        ip=ip or requestmeta.client_ip(),
        user_agent=requestmeta.user_agent(),
        request_id=get_request_id() or "",
        data=data or {},
    )


def _is_admin(request) -> bool:
    return request is not None and request.path.startswith("/admin/")


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    backend = getattr(user, "backend", "") or ""
    method = "oidc" if "Oidc" in backend else "session"
    kind = Kind.STAFF_LOGIN if _is_admin(request) else Kind.LOGIN
    audit(kind, actor=user, subject=user, data={"method": method})


def on_user_login_failed(sender, credentials, request=None, **kwargs) -> None:
    kind = Kind.STAFF_LOGIN_FAILED if _is_admin(request) else Kind.LOGIN_FAILED
    audit(kind, phone=str(credentials.get("username") or "")[:32], data={"method": "password"})
