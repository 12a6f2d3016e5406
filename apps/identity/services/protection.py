"""Who needs a strong factor, and the SIM-swap hold.

Strong actions: a module registers the actions that move money
(`register_strong_action("payments.payout.create", hold_after_sim_swap=True)`). Their
step-up is answered by an authenticator app (TOTP), a passkey or a recovery code, never by
an SMS code. Owners and accountants of an organization must enrol one: any step-up of
theirs bound to an amount needs it too.

The SIM-swap hold: after a phone-number change, or a login from a device the account never
used, the actions registered with `hold_after_sim_swap` wait IDENTITY_SIM_SWAP_HOLD_HOURS
(72 h): `StrongActionHeld(until)`. A notice goes to the e-mail and by SMS (to the OLD number
after a phone change). The account's first device never starts a hold (a brand-new account,
or the first device seen since this protection exists).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.errors import Conflict

from .. import requestmeta
from ..contracts import OtpPurpose
from ..errors import OtpInvalid, StrongActionHeld
from ..models import KnownDevice, Membership, StrongActionHold, User
from ..phones import normalize_phone
from .audit import Kind, audit
from .delivery import security_notice_sender
from .otp import OtpSent, otp_send, otp_verify

# action -> hold_after_sim_swap
_STRONG: dict[str, bool] = {
    "identity.second_factor.remove": False,
    "identity.recovery_codes.create": False,
}
MUST_ENROL_ROLES = ("owner", "accountant")


def register_strong_action(action: str, *, hold_after_sim_swap: bool) -> None:
    """Declare that `action`'s step-up needs a strong factor (and, with
    `hold_after_sim_swap`, waits out the SIM-swap hold)."""
    if not action or not isinstance(action, str):
        raise ValueError("action is a permission-like name, e.g. 'payments.payout.create'")
    _STRONG[action] = bool(hold_after_sim_swap)


def strong_actions() -> dict[str, bool]:
    return dict(_STRONG)


def must_enrol(user) -> bool:
    """Owners and accountants of an active organization must have a strong factor."""
    if not getattr(user, "pk", None):
        return False
    return Membership.objects.filter(
        user_id=user.pk, is_active=True, organization__is_active=True, role__in=MUST_ENROL_ROLES
    ).exists()


def _enrol_key(user_id) -> str:
    return f"identity:must-enrol:{user_id}"


def enrolment_missing(user) -> bool:
    """An owner or accountant without a strong factor (the pages' banner). Cached a minute
    per user (no query on most pages); enrolling or removing a factor forgets it."""
    from django.core.cache import cache

    from .second_factor import has_strong_factor

    key = _enrol_key(user.pk)
    missing = cache.get(key)
    if missing is None:
        missing = must_enrol(user) and not has_strong_factor(user)
        cache.set(key, missing, timeout=60)
    return missing


def forget_enrolment(user) -> None:
    from django.core.cache import cache

    cache.delete(_enrol_key(user.pk))


def needs_strong_factor(user, *, action: str, amount=None) -> bool:
    return action in _STRONG or (amount is not None and must_enrol(user))


# --- the hold ----------------------------------------------------------------------------


def hold_of(user):
    """The hold in force for `user` (the latest), or None."""
    if not getattr(user, "pk", None):
        return None
    return (
        StrongActionHold.objects.filter(user_id=user.pk, until__gt=timezone.now()).order_by("-until").first()
    )


def check_hold(user, action: str) -> None:
    if not _STRONG.get(action):
        return
    hold = hold_of(user)
    if hold is not None:
        audit(
            Kind.STRONG_ACTION_HELD, actor=user, subject=user, data={"action": action, "reason": hold.reason}
        )
        raise StrongActionHeld(hold.until, reason=hold.reason)


def _hold_start(user, reason: str) -> StrongActionHold:
    until = timezone.now() + timedelta(hours=settings.IDENTITY_SIM_SWAP_HOLD_HOURS)
    return StrongActionHold.objects.create(user=user, reason=reason, until=until)


def _notify(*, kind: str, phone, email, until, language) -> None:
    def send():
        security_notice_sender().send_security_notice(
            kind=kind,
            phone=str(phone) if phone else None,
            email=email or None,
            until=until,
            language=language,
        )

    transaction.on_commit(send)


# --- devices -------------------------------------------------------------------------------


def _device_hash(device_id: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"device:{device_id}".encode(), hashlib.sha256).hexdigest()


def device_login(user, *, device_id: str | None, kind: str = "app") -> StrongActionHold | None:
    """Remember the device `user` logged in from; a device never seen before (when the
    account already has others) starts the hold. No identifier (a client that sends no
    X-Device-Id): nothing is recorded. Returns the hold started, if any."""
    device_id = (device_id or "").strip()[:200]
    if not device_id or not getattr(user, "pk", None):
        return None
    digest = _device_hash(device_id)
    now = timezone.now()
    with transaction.atomic():
        if KnownDevice.objects.filter(user_id=user.pk, device_hash=digest).update(last_seen_at=now):
            return None
        first = not KnownDevice.objects.filter(user_id=user.pk).exists()
        try:
            with transaction.atomic():
                KnownDevice.objects.create(
                    user=user,
                    device_hash=digest,
                    kind=kind,
                    user_agent=requestmeta.user_agent(),
                    last_seen_at=now,
                )
        except IntegrityError:  # the same device logged in twice at once
            return None
        if first:
            return None
        hold = _hold_start(user, StrongActionHold.Reason.NEW_DEVICE)
        audit(Kind.NEW_DEVICE, actor=user, subject=user, data={"kind": kind, "until": hold.until.isoformat()})
        _notify(
            kind="new_device",
            phone=user.phone,
            email=user.email,
            until=hold.until,
            language=user.preferred_language,
        )
    return hold


# --- phone number change ---------------------------------------------------------------------


def phone_change_request(*, actor, phone: str) -> OtpSent:
    """Send a code to the NEW number (proving it is the person's)."""
    e164 = normalize_phone(phone)
    if str(actor.phone or "") == e164:
        raise Conflict(message=_same_number(), field="phone")
    if User.objects.filter(phone=e164).exclude(pk=actor.pk).exists():
        raise Conflict(message=_taken_number(), field="phone")
    return otp_send(
        phone=e164,
        purpose=OtpPurpose.PHONE_CHANGE,
        language=actor.preferred_language,
        binding=str(actor.public_id),
        context={"user": actor.pk},
        actor=actor,
    )


def phone_change_confirm(*, actor, phone: str, code: str) -> User:
    """Check the code sent to the new number, change the number, start the hold and tell
    the OLD number (SMS) and the e-mail."""
    e164 = normalize_phone(phone)
    context = otp_verify(
        phone=e164, purpose=OtpPurpose.PHONE_CHANGE, code=code, binding=str(actor.public_id), actor=actor
    )
    if context.get("user") != actor.pk:
        raise OtpInvalid()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        old = str(user.phone) if user.phone else None
        if User.objects.filter(phone=e164).exclude(pk=user.pk).exists():
            raise Conflict(message=_taken_number(), field="phone")
        user.phone = e164
        user.save(update_fields=["phone", "updated_at"])
        hold = _hold_start(user, StrongActionHold.Reason.PHONE_CHANGED)
        audit(Kind.PHONE_CHANGED, actor=user, subject=user, phone=old, data={"until": hold.until.isoformat()})
        _notify(
            kind="phone_changed",
            phone=old,
            email=user.email,
            until=hold.until,
            language=user.preferred_language,
        )
    actor.phone = user.phone
    return user


def _same_number():
    from django.utils.translation import gettext as _

    return _("This is already your phone number.")


def _taken_number():
    from django.utils.translation import gettext as _

    return _("This phone number is used by another account.")
