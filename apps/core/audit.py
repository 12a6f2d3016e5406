"""The sensitive-action audit log: money, payout accounts, KYC, staff actions.

    from apps.core.audit import AuditCategory, audit_record, snapshot

    before = snapshot(account, fields=["provider", "number_masked"])
    ...change it...
    audit_record(
        action="payments.payout_account.changed",
        category=AuditCategory.PAYOUT_ACCOUNT,
        actor=user,                      # a user (or None for the system)
        organization=org.public_id,      # whose data it is, when it belongs to an organization
        target=account,                  # any object with public_id (or target_type/target_id=)
        before=before, after=snapshot(account, fields=[...]),
        reason="step-up verified",
    )

Call it inside the service's transaction: the entry commits or rolls back with the change.
Who (public id, label, staff flag), from where (IP and user agent of the request, bound by
AuditContextMiddleware, and the request id) and when are filled in. Never pass secrets:
keys named like secrets (token, password, code, otp, pin…) are replaced by "[filtered]" and
values you mark sensitive should be masked before (`mask(number)`).

Staff actions in the back-office: ModelAdmins inherit `AuditedAdminMixin` and every add,
change and delete is recorded with before/after.

Security events (logins, OTP, lockouts, token revocation, role changes, impersonation) are
identity's log (`apps.identity.api.record_security_event`), not this one.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
import uuid
from contextvars import ContextVar

from django.db.models import Model

from .context import get_request_id
from .models import AuditEntry

AuditCategory = AuditEntry.Category

_client: ContextVar[tuple[str | None, str]] = ContextVar("hokwe_audit_client", default=(None, ""))
_SECRET_KEY = re.compile(r"(password|secret|token|otp|^code$|^pin$|cvv|private_key|api_key)", re.IGNORECASE)


def mask(value, keep: int = 3) -> str:
    """`+22997123456` -> `********456` (for payout numbers, IBANs…)."""
    text = str(value or "")
    return ("*" * max(0, len(text) - keep)) + text[-keep:] if text else ""


def _jsonable(value):
    if isinstance(value, dict):
        return {
            str(k): ("[filtered]" if _SECRET_KEY.search(str(k)) else _jsonable(v)) for k, v in value.items()
        }
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, uuid.UUID | decimal.Decimal | dt.date | dt.time | dt.datetime):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if isinstance(value, Model):
        return str(getattr(value, "public_id", value.pk))
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(obj: Model, *, fields: list[str] | None = None, exclude: tuple[str, ...] = ()) -> dict:
    """The values of a model instance's concrete fields, JSON-ready, foreign keys as public ids."""
    data = {}
    for field in obj._meta.concrete_fields:
        if (fields is not None and field.name not in fields) or field.name in exclude:
            continue
        if field.name in ("id", "password") or field.primary_key:
            continue
        if field.is_relation:
            related = getattr(obj, field.name, None)
            data[field.name] = (
                str(getattr(related, "public_id", getattr(related, "pk", ""))) if related else None
            )
        else:
            data[field.name] = getattr(obj, field.attname)
    return _jsonable(data)


def _actor_fields(actor) -> dict:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor_public_id": None, "actor_label": "system" if actor is None else "anonymous"}
    label = getattr(actor, "get_full_name", lambda: "")() or mask(getattr(actor, "phone", ""), 4)
    return {
        "actor_public_id": getattr(actor, "public_id", None),
        "actor_label": str(label)[:200],
        "actor_is_staff": bool(getattr(actor, "is_staff", False)),
    }


def audit_record(
    *,
    action: str,
    category: str,
    actor=None,
    organization=None,
    target=None,
    target_type: str = "",
    target_id=None,
    target_label: str = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry. `organization` is a public id (or an object with one)."""
    if category not in AuditCategory.values:
        raise ValueError(f"Unknown audit category {category!r}")
    if target is not None:
        target_type = target_type or f"{target._meta.app_label}.{target._meta.object_name}"
        target_id = target_id or getattr(target, "public_id", target.pk)
        target_label = target_label or str(target)[:200]
    org = getattr(organization, "public_id", organization)
    ip, user_agent = _client.get()
    return AuditEntry.objects.create(
        action=action,
        category=category,
        organization_public_id=org,
        target_type=target_type,
        target_public_id=str(target_id or ""),
        target_label=target_label[:200],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        reason=reason[:500],
        ip=ip,
        user_agent=user_agent,
        request_id=get_request_id() or "",
        **_actor_fields(actor),
    )


class AuditContextMiddleware:
    """Binds the caller's address (REMOTE_ADDR, set by the gateway's real_ip) and user agent
    for audit entries written during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client.set(
            (request.META.get("REMOTE_ADDR") or None, request.headers.get("User-Agent", "")[:200])
        )
        try:
            return self.get_response(request)
        finally:
            _client.reset(token)


class AuditedAdminMixin:
    """For ModelAdmin: every add, change and delete by staff in the back-office is an audit
    entry (category "staff") with the object's values before and after."""

    audit_category = AuditCategory.STAFF
    audit_exclude: tuple[str, ...] = ()

    def save_model(self, request, obj, form, change):
        before = None
        if change and obj.pk is not None:
            previous = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(previous, exclude=self.audit_exclude) if previous is not None else None
        super().save_model(request, obj, form, change)
        audit_record(
            action=f"admin.{obj._meta.label_lower}.{'changed' if change else 'added'}",
            category=self.audit_category,
            actor=request.user,
            target=obj,
            before=before,
            after=snapshot(obj, exclude=self.audit_exclude),
        )

    def delete_model(self, request, obj):
        before = snapshot(obj, exclude=self.audit_exclude)
        audit_record(
            action=f"admin.{obj._meta.label_lower}.deleted",
            category=self.audit_category,
            actor=request.user,
            target=obj,
            before=before,
        )
        super().delete_model(request, obj)
