"""Keycloak / any OpenID Provider, when OIDC_ISSUER is set.

- Bearer tokens (the mobile apps logged in at Keycloak) are verified locally: RS256 only,
  signature with the issuer's JWKS, `iss`, `aud` and `exp` checked. The JWKS is cached
  (Django cache, shared by the processes) and fetched again when a token names an unknown
  `kid` (key rotation) — at most once per OIDC_JWKS_MIN_REFRESH_SECONDS, so random kids
  cannot make us hammer the provider.
- Users are linked by `sub`; on first sight they are provisioned (or linked to the
  account that owns the same verified phone number). Keycloak realm roles
  `<OIDC_STAFF_ROLE_PREFIX><role>` map to our staff roles.
"""

from __future__ import annotations

import json
import logging
import time

import httpx
import jwt
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction

from ..contracts import StaffRole
from ..errors import AccountInactive, TokenInvalid
from ..models import User
from ..phones import InvalidPhone, normalize_phone
from .audit import Kind, audit

logger = logging.getLogger("hokwe.identity.oidc")

ALLOWED_ALGORITHMS = ["RS256"]
_JWKS_KEY = "oidc:jwks"
_JWKS_FETCHED_KEY = "oidc:jwks:fetched-at"


def oidc_enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def _fetch_jwks() -> dict:
    response = httpx.get(settings.OIDC_JWKS_URI, timeout=settings.OIDC_HTTP_TIMEOUT_SECONDS)
    response.raise_for_status()
    keys = {k["kid"]: k for k in response.json().get("keys", []) if k.get("kid") and k.get("kty") == "RSA"}
    cache.set(_JWKS_KEY, keys, timeout=settings.OIDC_JWKS_CACHE_SECONDS)
    cache.set(_JWKS_FETCHED_KEY, time.time(), timeout=settings.OIDC_JWKS_CACHE_SECONDS)
    return keys


def signing_key(kid: str):
    """The issuer's public key `kid`: from the cache, or after one refresh of the JWKS."""
    keys = cache.get(_JWKS_KEY)
    if keys is None or kid not in keys:
        fetched_at = cache.get(_JWKS_FETCHED_KEY) or 0
        if keys is None or time.time() - fetched_at >= settings.OIDC_JWKS_MIN_REFRESH_SECONDS:
            try:
                keys = _fetch_jwks()
            except (httpx.HTTPError, ValueError, KeyError):
                logger.warning("oidc_jwks_fetch_failed", exc_info=True)
                raise TokenInvalid()
    jwk = (keys or {}).get(kid)
    if jwk is None:
        raise TokenInvalid()
    return jwt.PyJWK.from_json(json.dumps(jwk), algorithm="RS256").key


def oidc_token_claims(token: str) -> dict:
    """Verify an access token of the OpenID Provider; TokenInvalid otherwise."""
    if not oidc_enabled():
        raise TokenInvalid()
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise TokenInvalid()
    if header.get("alg") not in ALLOWED_ALGORITHMS or not header.get("kid"):
        raise TokenInvalid()  # alg=none, HS* with the public key as secret, …
    key = signing_key(str(header["kid"]))
    try:
        return jwt.decode(
            token,
            key,
            algorithms=ALLOWED_ALGORITHMS,
            audience=settings.OIDC_AUDIENCE,
            issuer=settings.OIDC_ISSUER,
            leeway=settings.OIDC_LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
    except jwt.PyJWTError:
        raise TokenInvalid()


def _staff_role_from(claims: dict) -> str | None:
    """None when the token says nothing about roles; "" for "no staff role"."""
    realm = claims.get("realm_access")
    if not isinstance(realm, dict):
        return None
    prefix = settings.OIDC_STAFF_ROLE_PREFIX
    roles = {str(r)[len(prefix) :] for r in realm.get("roles", []) if str(r).startswith(prefix)}
    for role in (StaffRole.ADMIN, StaffRole.COMPLIANCE, StaffRole.FINANCE, StaffRole.SUPPORT):
        if role.value in roles:
            return role.value
    return ""


def _phone_from(claims: dict) -> str | None:
    if not claims.get("phone_number") or claims.get("phone_number_verified") is False:
        return None
    try:
        return normalize_phone(claims["phone_number"])
    except InvalidPhone:
        return None


def user_for_oidc_claims(claims: dict) -> User:
    """The user linked to `sub` — linked or provisioned on first sight."""
    sub = str(claims.get("sub") or "")
    if not sub:
        raise TokenInvalid()
    user = User.objects.filter(oidc_sub=sub).first()
    if user is None:
        user = _link_or_provision(sub, claims)
    staff_role = _staff_role_from(claims)
    if staff_role is not None and (user.staff_role != staff_role or user.is_staff != bool(staff_role)):
        User.objects.filter(pk=user.pk).update(staff_role=staff_role, is_staff=bool(staff_role))
        user.staff_role, user.is_staff = staff_role, bool(staff_role)
    if not user.is_active:
        raise AccountInactive()
    return user


def _link_or_provision(sub: str, claims: dict) -> User:
    phone = _phone_from(claims)
    language = str(claims.get("locale") or "fr")[:2]
    try:
        with transaction.atomic():
            user = User.objects.select_for_update().filter(phone=phone).first() if phone else None
            if user is not None and user.oidc_sub is None:
                user.oidc_sub = sub
                user.save(update_fields=["oidc_sub", "updated_at"])
                return user
            user = User(
                phone=phone if user is None else None,
                oidc_sub=sub,
                full_name=str(claims.get("name") or "")[:150],
                preferred_language=language if language in ("fr", "en") else "fr",
            )
            user.set_unusable_password()
            user.save()
            audit(Kind.REGISTERED, actor=user, subject=user, data={"via": "oidc"})
            return user
    except IntegrityError:  # a concurrent first login of the same sub won
        return User.objects.get(oidc_sub=sub)
