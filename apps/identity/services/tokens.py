"""Tokens of the built-in issuer (the embedded default): a JWT access token (HS256, 15 min)
and an opaque rotating refresh token.

- A login opens a *family*. Each refresh consumes its token and issues the successor in
  the same family; a consumed token presented again means it leaked: the whole family is
  revoked (and its access tokens with it).
- Logout revokes the family; "log out all devices" revokes every family and moves the
  user's `tokens_valid_after`, which also kills outstanding access tokens.
- Only SHA-256 digests of refresh tokens are stored.

Authenticating an access token costs one signature check and one cache round trip (issue
29): the user's *version* and the session's revocation mark are read together, and the user
itself comes from a per-process snapshot keyed by (user, version), kept `USER_SNAPSHOT_SECONDS`.
Every change of a user moves its version (the model's save/delete signals, "log out all
devices", and `user_changed` for queryset updates), so a suspension, a closure or a global
logout is refused on the very next call; without a version in the cache (flushed, evicted)
the user is read from the database.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from .. import requestmeta
from ..errors import AccountInactive, RefreshTokenReused, TokenInvalid
from ..models import RefreshToken, User
from .audit import Kind, audit

ACCESS_TOKEN_TYPE = "at+jwt"


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    access_expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime
    user: User

    @property
    def expires_in(self) -> int:
        return max(0, round((self.access_expires_at - timezone.now()).total_seconds()))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _revoked_family_key(family) -> str:
    return f"tokens:revoked-family:{family}"


# --- the user behind an access token: a version in the cache, a snapshot per process ----------

USER_SNAPSHOT_SECONDS = 30  # a process keeps a user's fields this long for the same version
USER_VERSION_SECONDS = 24 * 3600  # a version outlives any snapshot; once gone, the database decides
_SNAPSHOTS_MAX = 20_000
# public_id -> (version, monotonic deadline, concrete field values)
_snapshots: dict[str, tuple[str, float, tuple]] = {}


def _user_version_key(public_id) -> str:
    return f"tokens:user-version:{public_id}"


def user_changed(public_id) -> None:
    """A user's row changed (status, tokens_valid_after, profile…): every process drops what it
    kept of it. Called by the User model's signals (apps.py): saves, deletes and queryset
    updates (`models.users_updated`, sent by the User queryset itself); bumped again after the transaction commits, so no request that read
    the old row in between can keep it under the new version."""
    key = _user_version_key(public_id)
    cache.set(key, uuid.uuid4().hex, timeout=USER_VERSION_SECONDS)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, timeout=USER_VERSION_SECONDS))


def on_users_updated(sender, public_ids, **kwargs) -> None:
    """A queryset update of users (models.users_updated, connected in apps.py)."""
    for public_id in public_ids:
        user_changed(public_id)


def on_user_saved(sender, instance, **kwargs) -> None:
    """post_save / post_delete of User (connected in apps.py)."""
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    user_changed(instance.public_id)


@functools.cache
def _user_fields() -> tuple[str, ...]:
    return tuple(f.attname for f in User._meta.concrete_fields)


def _user_from_snapshot(sub: str, version) -> User | None:
    kept = _snapshots.get(sub)
    if kept is None or version is None or kept[0] != version or kept[1] < time.monotonic():
        return None
    return User.from_db(DEFAULT_DB_ALIAS, _user_fields(), kept[2])  # a fresh instance per request


def _keep_snapshot(sub: str, user: User, version) -> None:
    if len(_snapshots) >= _SNAPSHOTS_MAX:
        _snapshots.clear()
    values = tuple(getattr(user, name) for name in _user_fields())
    _snapshots[sub] = (version, time.monotonic() + USER_SNAPSHOT_SECONDS, values)


def _access_token(user: User, family: uuid.UUID, now: datetime) -> tuple[str, datetime]:
    expires = now + timedelta(seconds=settings.JWT_ACCESS_TTL_SECONDS)
    claims = {
        "iss": settings.JWT_ISSUER,
        "aud": settings.JWT_AUDIENCE,
        "sub": str(user.public_id),
        "sid": str(family),
        # NumericDate with milliseconds: "log out all devices" cuts at the exact instant.
        "iat": round(now.timestamp(), 3),
        "exp": int(expires.timestamp()),
        "jti": uuid.uuid4().hex,
    }
    token = jwt.encode(
        claims, settings.JWT_SIGNING_KEY, algorithm="HS256", headers={"typ": ACCESS_TOKEN_TYPE}
    )
    return token, expires


def _new_refresh(*, user: User, family: uuid.UUID, parent: RefreshToken | None, auth_method: str, now):
    token = secrets.token_urlsafe(48)
    row = RefreshToken.objects.create(
        user=user,
        family=family,
        parent=parent,
        token_hash=_digest(token),
        auth_method=auth_method,
        expires_at=now + timedelta(days=settings.REFRESH_TOKEN_TTL_DAYS),
        ip=requestmeta.client_ip(),
        user_agent=requestmeta.user_agent(),
    )
    return token, row


def tokens_issue(*, user: User, auth_method: str) -> TokenPair:
    """Open a new login session (family) for an active user."""
    if not user.is_active:
        raise AccountInactive()
    now = timezone.now()
    family = uuid.uuid4()
    refresh, row = _new_refresh(user=user, family=family, parent=None, auth_method=auth_method, now=now)
    access, access_exp = _access_token(user, family, now)
    User.objects.filter(pk=user.pk).update(last_login=now)
    return TokenPair(access, access_exp, refresh, row.expires_at, user)


def _revoke_family(family, *, reason: str, now) -> int:
    count = RefreshToken.objects.filter(family=family, revoked_at__isnull=True).update(
        revoked_at=now, revoked_reason=reason
    )
    cache.set(_revoked_family_key(family), 1, timeout=settings.JWT_ACCESS_TTL_SECONDS + 60)
    return count


def tokens_refresh(*, refresh_token: str) -> TokenPair:
    """Rotate: consume `refresh_token`, return a new pair in the same family."""
    now = timezone.now()
    reused = None
    with transaction.atomic():
        row = (
            RefreshToken.objects.select_for_update()
            .select_related("user")
            .filter(token_hash=_digest(str(refresh_token or "")))
            .first()
        )
        if row is None or row.expires_at <= now:
            raise TokenInvalid()
        if row.used_at is not None:  # a consumed token came back: it leaked
            if _revoke_family(row.family, reason="reuse", now=now):
                audit(
                    Kind.TOKEN_FAMILY_REVOKED,
                    subject=row.user,
                    data={"family": str(row.family), "reason": "reuse"},
                )
            reused = row
        elif row.revoked_at is not None:
            raise TokenInvalid()
        else:
            user = row.user
            if not user.is_active:
                raise AccountInactive()
            if user.tokens_valid_after and row.created_at < user.tokens_valid_after:
                raise TokenInvalid()
            row.used_at = now
            row.save(update_fields=["used_at", "updated_at"])
            refresh, new_row = _new_refresh(
                user=user, family=row.family, parent=row, auth_method=row.auth_method, now=now
            )
            access, access_exp = _access_token(user, row.family, now)
    if reused is not None:
        raise RefreshTokenReused()
    return TokenPair(access, access_exp, refresh, new_row.expires_at, user)


def tokens_logout(*, refresh_token: str | None = None, family: str | None = None, actor=None) -> None:
    """Revoke one login session, by its refresh token or its family id (the `sid` claim)."""
    now = timezone.now()
    if refresh_token:
        row = RefreshToken.objects.filter(token_hash=_digest(refresh_token)).only("family", "user_id").first()
        if row is None:
            raise TokenInvalid()
        if actor is not None and row.user_id != actor.pk:
            raise TokenInvalid()
        family = row.family
    if family is None:
        raise TokenInvalid()
    _revoke_family(family, reason="logout", now=now)
    audit(Kind.LOGOUT, actor=actor, subject=actor, data={"family": str(family)})


def tokens_logout_all(*, user: User, reason: str = "logout_all") -> int:
    """Revoke every session of `user`; access tokens issued before now stop working."""
    now = timezone.now()
    families = list(
        RefreshToken.objects.filter(user=user, revoked_at__isnull=True)
        .values_list("family", flat=True)
        .distinct()
    )
    for family in families:
        _revoke_family(family, reason=reason, now=now)
    User.objects.filter(pk=user.pk).update(tokens_valid_after=now)  # tells the snapshots
    user.tokens_valid_after = now
    if reason == "logout_all":
        audit(Kind.LOGOUT_ALL, actor=user, subject=user, data={"sessions": len(families)})
    return len(families)


def access_token_claims(token: str) -> dict:
    """Verify a built-in access token (signature, issuer, audience, expiry); TokenInvalid.
    The token is parsed once (header and payload together)."""
    try:
        decoded = jwt.api_jwt.decode_complete(
            token,
            settings.JWT_SIGNING_KEY,
            algorithms=["HS256"],
            audience=settings.JWT_AUDIENCE,
            issuer=settings.JWT_ISSUER,
            options={"require": ["exp", "iat", "sub", "iss", "aud", "sid"]},
        )
    except jwt.PyJWTError:
        raise TokenInvalid()
    if decoded["header"].get("alg") != "HS256":
        raise TokenInvalid()
    return decoded["payload"]


def user_for_claims(claims: dict) -> User:
    """The active user of verified built-in claims; TokenInvalid / AccountInactive. One cache
    round trip (the user's version and the session's revocation mark); the database only
    when this process holds no snapshot of the user at that version."""
    sub = claims["sub"]
    if not isinstance(sub, str):
        raise TokenInvalid()
    version_key, family_key = _user_version_key(sub), _revoked_family_key(claims["sid"])
    found = cache.get_many([version_key, family_key])
    version = found.get(version_key)
    user = _user_from_snapshot(sub, version)
    if user is None:
        try:
            user = User.objects.get(public_id=sub)
        except (User.DoesNotExist, ValueError, TypeError, ValidationError):
            raise TokenInvalid()
        if version is None:  # no version yet (or evicted): start one; the next call keeps the user
            cache.add(version_key, uuid.uuid4().hex, timeout=USER_VERSION_SECONDS)
        else:
            _keep_snapshot(sub, user, version)
    if not user.is_active:
        raise AccountInactive()
    if user.tokens_valid_after and claims["iat"] <= user.tokens_valid_after.timestamp():
        raise TokenInvalid()
    if found.get(family_key):
        raise TokenInvalid()
    return user


def user_for_access_token(token: str) -> tuple[User, dict]:
    """The active user a built-in access token belongs to; TokenInvalid / AccountInactive."""
    claims = access_token_claims(token)
    return user_for_claims(claims), claims


def is_builtin_token(token: str) -> bool:
    try:
        header = jwt.get_unverified_header(token)
        payload = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return False
    return header.get("alg") == "HS256" and payload.get("iss") == settings.JWT_ISSUER
