"""Tokens of the built-in issuer (the embedded default): a JWT access token (HS256, 15 min)
and an opaque rotating refresh token.

- A login opens a *family*. Each refresh consumes its token and issues the successor in
  the same family; a consumed token presented again means it leaked: the whole family is
  revoked (and its access tokens with it).
- Logout revokes the family; "log out all devices" revokes every family and moves the
  user's `tokens_valid_after`, which also kills outstanding access tokens.
- Only SHA-256 digests of refresh tokens are stored.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
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
    User.objects.filter(pk=user.pk).update(tokens_valid_after=now)
    user.tokens_valid_after = now
    if reason == "logout_all":
        audit(Kind.LOGOUT_ALL, actor=user, subject=user, data={"sessions": len(families)})
    return len(families)


def access_token_claims(token: str) -> dict:
    """Verify a built-in access token (signature, issuer, audience, expiry); TokenInvalid."""
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != "HS256":
            raise TokenInvalid()
        return jwt.decode(
            token,
            settings.JWT_SIGNING_KEY,
            algorithms=["HS256"],
            audience=settings.JWT_AUDIENCE,
            issuer=settings.JWT_ISSUER,
            options={"require": ["exp", "iat", "sub", "iss", "aud", "sid"]},
        )
    except jwt.PyJWTError:
        raise TokenInvalid()


def user_for_access_token(token: str) -> tuple[User, dict]:
    """The active user a built-in access token belongs to; TokenInvalid / AccountInactive."""
    claims = access_token_claims(token)
    try:
        user = User.objects.get(public_id=claims["sub"])
    except (User.DoesNotExist, ValueError, TypeError):
        raise TokenInvalid()
    if not user.is_active:
        raise AccountInactive()
    if user.tokens_valid_after and claims["iat"] <= user.tokens_valid_after.timestamp():
        raise TokenInvalid()
    if cache.get(_revoked_family_key(claims["sid"])):
        raise TokenInvalid()
    return user, claims


def is_builtin_token(token: str) -> bool:
    try:
        header = jwt.get_unverified_header(token)
        payload = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return False
    return header.get("alg") == "HS256" and payload.get("iss") == settings.JWT_ISSUER
