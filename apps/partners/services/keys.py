"""Organization API keys: created by an owner or manager after a step-up, shown once,
stored as an HMAC, scoped, rotatable with an overlap, revocable at once.

A key is `hk_<live|test>_<lookup 12><secret 43>`: `lookup` finds the row (unique index), the
whole key is compared as HMAC-SHA256(pepper, key) in constant time. The key acts as a
service account of identity (a member of its organization with the role its scopes need),
so every rule and foreign key of the other modules works unchanged; the routes a key may
call are listed in contracts.KEY_ROUTES (deny by default)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.errors import Forbidden
from apps.identity import api as identity

from ..contracts import Scope
from ..errors import InvalidScopes, KeyRevoked
from ..models import ApiKey

LOOKUP_ALPHABET = string.ascii_lowercase + string.digits
KEY_PATTERN = re.compile(r"^hk_(live|test)_([a-z0-9]{12})([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class CreatedKey:
    key: ApiKey
    secret: str  # the whole key, shown once


def _pepper() -> bytes:
    pepper = (
        settings.PARTNERS_API_KEY_PEPPER
        or hashlib.sha256(f"partners.api_key:{settings.SECRET_KEY}".encode()).hexdigest()
    )
    return pepper.encode()


def key_digest(raw: str) -> str:
    return hmac.new(_pepper(), raw.encode(), hashlib.sha256).hexdigest()


def _role_for(scopes: list[str]) -> str:
    # the narrowest role that passes the other modules' rules for these scopes
    return identity.OrgRole.ACCOUNTANT if Scope.PAYMENTS_WRITE in scopes else identity.OrgRole.VIEWER


def _clean_scopes(scopes) -> list[str]:
    values = sorted({str(s) for s in scopes or ()})
    if not values or any(v not in Scope._value2member_map_ for v in values):
        raise InvalidScopes(field="scopes")
    return values


def _new_secret(environment: str) -> tuple[str, str]:
    lookup = "".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(12))
    return lookup, f"hk_{environment}_{lookup}{secrets.token_urlsafe(32)}"


def _issue(*, organization_id, name, scopes, rate, account_id, created_by, rotated_from=None) -> CreatedKey:
    environment = settings.PARTNERS_KEY_ENVIRONMENT
    lookup, raw = _new_secret(environment)
    key = ApiKey.objects.create(
        organization_id=organization_id,
        name=name,
        environment=environment,
        lookup=lookup,
        key_hash=key_digest(raw),
        last4=raw[-4:],
        scopes=scopes,
        rate=rate,
        account_id=account_id,
        created_by=created_by,
        rotated_from=rotated_from,
    )
    return CreatedKey(key=key, secret=raw)


def key_create(
    *, actor, organization_id: int, name: str, scopes, rate: str = "", step_up_token: str | None = None
) -> CreatedKey:
    """A new key (the secret is in the result only). Owners and managers, after a step-up
    bound to the organization."""
    identity.require(actor, "partners.key.manage", organization_id)
    scopes = _clean_scopes(scopes)
    if rate and rate not in settings.PARTNERS_KEY_RATE_CHOICES:
        raise InvalidScopes(field="rate")
    organization = identity.get_organization(id=organization_id)
    identity.require_step_up(
        actor=actor, action="partners.key.create", target=str(organization.public_id), token=step_up_token
    )
    name = (name or "").strip()[:100] or "API"
    with transaction.atomic():
        account = identity.service_account_create(
            organization_id=organization_id, role=_role_for(scopes), name=f"API · {name}"[:150]
        )
        created = _issue(
            organization_id=organization_id,
            name=name,
            scopes=scopes,
            rate=rate,
            account_id=account.pk,
            created_by=actor,
        )
    return created


def key_rotate(*, actor, key: ApiKey, now: datetime | None = None) -> CreatedKey:
    """A new key with the same name, scopes and account; the old one keeps working for
    PARTNERS_KEY_ROTATION_OVERLAP_HOURS, then expires."""
    identity.require(actor, "partners.key.manage", key.organization_id)
    now = now or timezone.now()
    with transaction.atomic():
        old = ApiKey.objects.select_for_update().get(pk=key.pk)
        if old.revoked_at or (old.expires_at and old.expires_at <= now):
            raise KeyRevoked()
        created = _issue(
            organization_id=old.organization_id,
            name=old.name,
            scopes=old.scopes,
            rate=old.rate,
            account_id=old.account_id,
            created_by=actor,
            rotated_from=old,
        )
        overlap_end = now + timedelta(hours=settings.PARTNERS_KEY_ROTATION_OVERLAP_HOURS)
        old.expires_at = min(old.expires_at, overlap_end) if old.expires_at else overlap_end
        old.save(update_fields=["expires_at", "updated_at"])
    return created


def key_revoke(*, actor, key: ApiKey, now: datetime | None = None) -> ApiKey:
    """At once: the next request with this key gets 401 (checked in the database on every
    request, in every process). The service account is disabled when no live key uses it."""
    identity.require(actor, "partners.key.manage", key.organization_id)
    now = now or timezone.now()
    with transaction.atomic():
        row = ApiKey.objects.select_for_update().get(pk=key.pk)
        if row.revoked_at:
            raise KeyRevoked()
        row.revoked_at = now
        row.revoked_by = actor
        row.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        still_live = (
            ApiKey.objects.filter(account_id=row.account_id, revoked_at__isnull=True)
            .exclude(expires_at__lte=now)
            .exists()
        )
        if not still_live:
            identity.service_account_disable(user_id=row.account_id)
    return row


def key_authenticate(raw: str, *, now: datetime | None = None) -> ApiKey | None:
    """The live key `raw` names, or None (unknown, wrong secret, revoked or expired). One
    indexed read; the comparison is constant-time."""
    match = KEY_PATTERN.match(raw or "")
    if match is None:
        return None
    key = ApiKey.objects.select_related("account").filter(lookup=match.group(2)).first()
    expected = key.key_hash if key is not None else "0" * 64
    if not hmac.compare_digest(expected, key_digest(raw)) or key is None:
        return None
    now = now or timezone.now()
    if key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= now):
        return None
    if key.environment != match.group(1):
        return None
    return key


def key_touch(key: ApiKey, *, ip: str | None, now: datetime | None = None) -> None:
    """Record last use, at most once a PARTNERS_KEY_TOUCH_SECONDS per key (one UPDATE)."""
    now = now or timezone.now()
    horizon = now - timedelta(seconds=settings.PARTNERS_KEY_TOUCH_SECONDS)
    if key.last_used_at and key.last_used_at > horizon and key.last_used_ip == ip:
        return
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now, last_used_ip=ip or None)


def require_scope(key: ApiKey, scope: str) -> None:
    if scope not in key.scopes:
        raise Forbidden()
