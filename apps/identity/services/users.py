"""Accounts: sign-up and login with a phone code, profile, suspension and closure."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.errors import Conflict
from apps.core.outbox import publish

from .. import requestmeta
from ..contracts import OtpPurpose
from ..errors import AccountInactive, LastOwner
from ..events import UserClosed, UserRegistered, UserSuspended
from ..models import Language, Membership, User
from ..phones import normalize_phone
from ..policy import require
from . import protection
from .audit import Kind, audit
from .otp import OtpSent, otp_send, otp_verify
from .tokens import TokenPair, tokens_issue, tokens_logout_all

LANGUAGES = {code for code, _label in Language.choices}


def _language(value: str | None) -> str:
    return value if value in LANGUAGES else Language.FRENCH


def login_code_request(*, phone: str, language: str | None = None) -> OtpSent:
    """Send a login code (also the sign-up code: an unknown number gets an account)."""
    e164 = normalize_phone(phone)
    existing = User.objects.filter(phone=e164).only("preferred_language").first()
    lang = existing.preferred_language if existing else _language(language)
    return otp_send(phone=e164, purpose=OtpPurpose.LOGIN, language=lang)


def registration_code_request(
    *, phone: str, full_name: str, preferred_language: str | None = None
) -> OtpSent:
    """Sign-up with a name: the profile waits with the code and is applied on success."""
    e164 = normalize_phone(phone)
    profile = {"full_name": full_name.strip()[:150], "preferred_language": _language(preferred_language)}
    return otp_send(
        phone=e164, purpose=OtpPurpose.LOGIN, language=profile["preferred_language"], context=profile
    )


def login_with_code(*, phone: str, code: str) -> tuple[TokenPair, bool]:
    """Verify the code; log in (or sign up). Returns the tokens and whether the account is
    new. Not one transaction on purpose: failed tries stay in the audit log."""
    user, created = user_for_login_code(phone=phone, code=code)
    with transaction.atomic():
        pair = tokens_issue(user=user, auth_method="otp")
        audit(
            Kind.LOGIN, actor=user, subject=user, phone=user.phone, data={"method": "otp", "created": created}
        )
        # SIM-swap protection: a device the account never used starts the hold (not the first)
        protection.device_login(user, device_id=requestmeta.device_id(), kind="app")
    return pair, created


def user_for_login_code(*, phone: str, code: str) -> tuple[User, bool]:
    """Verify a login code and return the (possibly new) active account — for the web
    login, which opens a session instead of issuing tokens."""
    e164 = normalize_phone(phone)
    profile = otp_verify(phone=e164, purpose=OtpPurpose.LOGIN, code=code)
    with transaction.atomic():
        user, created = user_get_or_create_by_phone(phone=e164, profile=profile)
    if not user.is_active:
        audit(Kind.LOGIN_FAILED, subject=user, phone=e164, data={"reason": user.status})
        raise AccountInactive()
    return user, created


def user_get_or_create_by_phone(*, phone: str, profile: dict | None = None) -> tuple[User, bool]:
    """The account of a verified phone number, created on first use."""
    profile = profile or {}
    user = User.objects.filter(phone=phone).first()
    if user is not None:
        return user, False
    try:
        with transaction.atomic():
            user = User(
                phone=phone,
                full_name=str(profile.get("full_name") or "")[:150],
                preferred_language=_language(profile.get("preferred_language")),
            )
            user.set_unusable_password()
            user.save()
    except IntegrityError:  # the same number signed up concurrently
        return User.objects.get(phone=phone), False
    audit(Kind.REGISTERED, actor=user, subject=user, phone=phone)
    publish(UserRegistered(user_public_id=str(user.public_id)))
    return user, True


@transaction.atomic
def user_update_profile(
    *,
    actor: User,
    user: User,
    full_name: str | None = None,
    email: str | None = None,
    preferred_language: str | None = None,
    avatar=None,
    remove_avatar: bool = False,
) -> User:
    require(actor, "identity.user.update", user, hide=True)
    fields = []
    if full_name is not None:
        user.full_name = full_name.strip()[:150]
        fields.append("full_name")
    if email is not None:
        email = email.strip().lower()
        if email and User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            raise Conflict(field="email")
        user.email = email
        fields.append("email")
    if preferred_language is not None:
        user.preferred_language = _language(preferred_language)
        fields.append("preferred_language")
    if remove_avatar and user.avatar:
        user.avatar.delete(save=False)
        user.avatar = None
        fields.append("avatar")
    if avatar is not None:
        user.avatar = avatar
        fields.append("avatar")
    if fields:
        user.save(update_fields=[*fields, "updated_at"])
    return user


@transaction.atomic
def user_suspend(*, actor: User, user: User, reason: str = "") -> User:
    require(actor, "identity.user.suspend", user)
    if user.status != User.Status.ACTIVE:
        return user
    user.status = User.Status.SUSPENDED
    user.save(update_fields=["status", "updated_at"])
    tokens_logout_all(user=user, reason="suspended")
    audit(Kind.USER_SUSPENDED, actor=actor, subject=user, data={"reason": reason[:200]})
    publish(UserSuspended(user_public_id=str(user.public_id)))
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> User:
    require(actor, "identity.user.suspend", user)
    if user.status != User.Status.SUSPENDED:
        return user
    user.status = User.Status.ACTIVE
    user.save(update_fields=["status", "updated_at"])
    audit(Kind.USER_REACTIVATED, actor=actor, subject=user)
    return user


@transaction.atomic
def user_close(*, actor: User, user: User) -> User:
    """Close the account: personal data is anonymised, the row (and every financial record
    pointing to it) stays. The phone number becomes free for a new account."""
    require(actor, "identity.user.close", user, hide=True)
    if user.status == User.Status.CLOSED:
        return user
    _refuse_if_last_owner(user)
    tokens_logout_all(user=user, reason="closed")
    if user.avatar:
        user.avatar.delete(save=False)
    user.phone = None
    user.email = ""
    user.full_name = ""
    user.avatar = None
    user.oidc_sub = None
    user.status = User.Status.CLOSED
    user.closed_at = timezone.now()
    user.is_staff = False
    user.staff_role = ""
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    Membership.objects.filter(user=user).update(is_active=False)
    user.invitations_sent.filter(status="pending").update(status="revoked")
    audit(Kind.USER_CLOSED, actor=actor, subject=user, data={"ref": uuid.uuid4().hex[:8]})
    publish(UserClosed(user_public_id=str(user.public_id)))
    return user


def _refuse_if_last_owner(user: User) -> None:
    """An organization with other members must keep an owner: hand it over first."""
    owned = Membership.objects.filter(user=user, role=Membership.Role.OWNER, is_active=True).values_list(
        "organization_id", flat=True
    )
    for org_id in owned:
        others = Membership.objects.filter(organization_id=org_id, is_active=True).exclude(user=user)
        if others.exists() and not others.filter(role=Membership.Role.OWNER).exists():
            raise LastOwner()
