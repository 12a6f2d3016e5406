"""The strong second factor of people who move money: an authenticator app (TOTP, django-otp's
TOTPDevice), passkeys (WebAuthn, py_webauthn) and recovery codes (django-otp's StaticDevice).

Enrolment of an authenticator app, a small state machine per device:

    (none) --totp_start--> pending --totp_confirm(first right code)--> confirmed --remove--> (none)
                            `--totp_start again / IDENTITY_TOTP_ENROLMENT_TTL_SECONDS--> dropped

`totp_start` returns the secret (base32), the otpauth:// URI and its QR code (an SVG data
URI); only a confirmed device answers a step-up. Confirming the first device creates the
recovery codes, returned once and never shown again. A TOTP code is accepted once: the
device's `last_t` is moved under a row lock, so a replayed code (or the same code raced in
two requests) is refused.

Removing a factor needs a step-up by the strong factor itself (action
`identity.second_factor.remove`, registered as a strong action).
"""

from __future__ import annotations

import base64
import io
import json
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..errors import OtpInvalid, PasskeyInvalid, SecondFactorNotFound
from ..models import Passkey
from .audit import Kind, audit

RECOVERY_NAME = "recovery"
REMOVE_ACTION = "identity.second_factor.remove"
RECOVERY_ACTION = "identity.recovery_codes.create"


@dataclass(frozen=True)
class TotpEnrolment:
    device_id: str  # "totp:<id>"
    secret: str  # base32, to type into an app that cannot scan
    otpauth_uri: str
    qr_svg: str  # data:image/svg+xml;base64,...


@dataclass(frozen=True)
class SecondFactor:
    id: str  # "totp:<id>" | "passkey:<public id>"
    kind: str  # totp | passkey
    name: str
    confirmed: bool
    created_at: object
    last_used_at: object


# --- identifiers -----------------------------------------------------------------------


def _parse_id(device_id: str) -> tuple[str, str]:
    kind, _sep, key = str(device_id or "").partition(":")
    if kind not in ("totp", "passkey") or not key:
        raise SecondFactorNotFound()
    return kind, key


def _totp_of(actor, key: str, *, confirmed: bool | None = None) -> TOTPDevice:
    rows = TOTPDevice.objects.filter(user_id=actor.pk)
    if confirmed is not None:
        rows = rows.filter(confirmed=confirmed)
    try:
        return rows.get(pk=int(key))
    except (TOTPDevice.DoesNotExist, ValueError):
        raise SecondFactorNotFound() from None


def _passkey_of(actor, key: str) -> Passkey:
    try:
        return Passkey.objects.get(user_id=actor.pk, public_id=key)
    except (Passkey.DoesNotExist, ValueError, TypeError, ValidationError):
        raise SecondFactorNotFound() from None


# --- what a user has ---------------------------------------------------------------------


def has_totp(user) -> bool:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def has_passkey(user) -> bool:
    return Passkey.objects.filter(user_id=user.pk).exists()


def methods_of(user) -> list[str]:
    """The strong step-up methods `user` can answer, preferred first."""
    if not getattr(user, "pk", None):
        return []
    return [m for m, ok in (("totp", has_totp(user)), ("passkey", has_passkey(user))) if ok]


def has_strong_factor(user) -> bool:
    return bool(methods_of(user))


def factors_of(actor) -> list[SecondFactor]:
    """The actor's own authenticator apps (confirmed ones and the pending one) and passkeys."""
    rows = [
        SecondFactor(
            id=f"totp:{d.pk}",
            kind="totp",
            name=d.name,
            confirmed=d.confirmed,
            created_at=d.created_at,
            last_used_at=d.last_used_at,
        )
        for d in TOTPDevice.objects.filter(user_id=actor.pk).order_by("pk")
    ]
    rows += [
        SecondFactor(
            id=f"passkey:{p.public_id}",
            kind="passkey",
            name=p.name,
            confirmed=True,
            created_at=p.created_at,
            last_used_at=p.last_used_at,
        )
        for p in Passkey.objects.filter(user_id=actor.pk).order_by("pk")
    ]
    return rows


def recovery_codes_left(actor) -> int:
    return StaticToken.objects.filter(device__user_id=actor.pk, device__name=RECOVERY_NAME).count()


def _forget(actor) -> None:
    from .protection import forget_enrolment

    forget_enrolment(actor)


# --- TOTP --------------------------------------------------------------------------------


def _qr_svg(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _otpauth_uri(device: TOTPDevice) -> str:
    issuer = getattr(settings, "OTP_TOTP_ISSUER", "Hokwe")
    label = quote(f"{issuer}:{device.user.phone or device.user.public_id}")
    params = {
        "secret": base64.b32encode(device.bin_key).decode(),
        "issuer": issuer,
        "algorithm": "SHA1",
        "digits": device.digits,
        "period": device.step,
    }
    return f"otpauth://totp/{label}?{urlencode(params)}"


def totp_start(*, actor, name: str = "") -> TotpEnrolment:
    """Begin enrolling an authenticator app: a pending device with a fresh secret. A
    previous pending device of the actor is dropped (one enrolment at a time)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=actor.pk, confirmed=False).delete()
        device = TOTPDevice.objects.create(
            user=actor, name=(name or "").strip()[:64] or _("Authenticator app"), confirmed=False
        )
    uri = _otpauth_uri(device)
    return TotpEnrolment(
        device_id=f"totp:{device.pk}",
        secret=base64.b32encode(device.bin_key).decode(),
        otpauth_uri=uri,
        qr_svg=_qr_svg(uri),
    )


def totp_pending(actor) -> TotpEnrolment | None:
    """The actor's enrolment in progress (to show its QR code again), or None."""
    device = TOTPDevice.objects.filter(user_id=actor.pk, confirmed=False).first()
    if device is None or _enrolment_expired(device):
        return None
    uri = _otpauth_uri(device)
    return TotpEnrolment(
        device_id=f"totp:{device.pk}",
        secret=base64.b32encode(device.bin_key).decode(),
        otpauth_uri=uri,
        qr_svg=_qr_svg(uri),
    )


def _enrolment_expired(device: TOTPDevice) -> bool:
    ttl = timedelta(seconds=settings.IDENTITY_TOTP_ENROLMENT_TTL_SECONDS)
    return device.created_at is not None and device.created_at + ttl < timezone.now()


def totp_match(device: TOTPDevice, code: str) -> bool:
    """True when `code` is the device's code for now (± `tolerance` steps) and newer than
    the last accepted one; the step is then spent (row lock: a replay is refused)."""
    code = str(code or "").strip().replace(" ", "")
    if not code.isdigit() or len(code) != device.digits:
        return False
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        totp = TOTP(locked.bin_key, locked.step, locked.t0, locked.digits, locked.drift)
        totp.time = time.time()
        if not totp.verify(int(code), locked.tolerance, locked.last_t + 1):
            return False
        locked.last_t = totp.t()  # the step that matched (t() includes the matched offset)
        locked.last_used_at = timezone.now()
        locked.save(update_fields=["last_t", "last_used_at"])
    return True


def totp_confirm(*, actor, device_id: str, code: str) -> list[str]:
    """Confirm the pending device with the app's first code. Returns the recovery codes
    when this is the actor's first strong factor (shown once), else []."""
    kind, key = _parse_id(device_id)
    if kind != "totp":
        raise SecondFactorNotFound()
    device = _totp_of(actor, key, confirmed=False)
    if _enrolment_expired(device):
        device.delete()
        raise OtpInvalid(_("This enrolment has expired: start again."))
    if not totp_match(device, code):
        audit(Kind.STEP_UP_FAILED, actor=actor, subject=actor, data={"action": "totp_confirm"})
        raise OtpInvalid(_("This code is not valid. Check the time of your phone and try again."))
    with transaction.atomic():
        first = not has_strong_factor(actor)
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        audit(Kind.SECOND_FACTOR_ADDED, actor=actor, subject=actor, data={"kind": "totp"})
        _forget(actor)
        return _recovery_codes_create(actor) if first or recovery_codes_left(actor) == 0 else []


def totp_cancel(*, actor) -> None:
    TOTPDevice.objects.filter(user_id=actor.pk, confirmed=False).delete()


# --- recovery codes ------------------------------------------------------------------------


def _recovery_codes_create(actor) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=actor, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(settings.IDENTITY_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    audit(Kind.RECOVERY_CODES_CREATED, actor=actor, subject=actor, data={"count": len(codes)})
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def recovery_codes_create(*, actor, step_up_token: str | None) -> list[str]:
    """New recovery codes (the old ones stop working); needs a strong step-up."""
    from .step_up import require_step_up

    with transaction.atomic():
        require_step_up(actor=actor, action=RECOVERY_ACTION, target=str(actor.public_id), token=step_up_token)
        if not has_strong_factor(actor):
            raise SecondFactorNotFound()
        return _recovery_codes_create(actor)


def recovery_match(actor, code: str) -> bool:
    """A recovery code answers a strong step-up once."""
    code = str(code or "").replace("-", "").replace(" ", "").strip()
    if len(code) != 10 or not code.isdigit():
        return False
    with transaction.atomic():
        token = (
            StaticToken.objects.select_for_update()
            .filter(device__user_id=actor.pk, device__name=RECOVERY_NAME, token=code)
            .first()
        )
        if token is None:
            return False
        token.delete()
    return True


# --- passkeys (WebAuthn) -----------------------------------------------------------------------


def _wa():
    import webauthn
    from webauthn.helpers import structs

    return webauthn, structs


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _reg_key(actor) -> str:
    return f"identity:webauthn:reg:{actor.pk}"


def passkey_registration_options(*, actor) -> str:
    """PublicKeyCredentialCreationOptions (JSON) for navigator.credentials.create(); the
    challenge waits in the cache for `passkey_register`."""
    webauthn, structs = _wa()
    options = webauthn.generate_registration_options(
        rp_id=settings.IDENTITY_WEBAUTHN_RP_ID,
        rp_name=settings.IDENTITY_WEBAUTHN_RP_NAME,
        user_id=actor.public_id.bytes,
        user_name=str(actor.phone or actor.public_id),
        user_display_name=actor.full_name or str(actor.phone or ""),
        exclude_credentials=[
            structs.PublicKeyCredentialDescriptor(id=_unb64url(p.credential_id))
            for p in Passkey.objects.filter(user_id=actor.pk)
        ],
        authenticator_selection=structs.AuthenticatorSelectionCriteria(
            resident_key=structs.ResidentKeyRequirement.PREFERRED,
            user_verification=structs.UserVerificationRequirement.PREFERRED,
        ),
    )
    cache.set(_reg_key(actor), _b64url(options.challenge), timeout=300)
    return webauthn.options_to_json(options)


def passkey_register(*, actor, credential, name: str = "") -> Passkey:
    """Verify the authenticator's attestation (format 'none' accepted) for the pending
    challenge and store the credential's public key."""
    webauthn, _structs = _wa()
    challenge = cache.get(_reg_key(actor))
    if not challenge:
        raise PasskeyInvalid(_("This registration has expired: start again."))
    try:
        verified = webauthn.verify_registration_response(
            credential=credential,
            expected_challenge=_unb64url(challenge),
            expected_rp_id=settings.IDENTITY_WEBAUTHN_RP_ID,
            expected_origin=list(settings.IDENTITY_WEBAUTHN_ORIGINS),
        )
    except Exception as exc:  # the library raises its own InvalidRegistrationResponse & co.
        raise PasskeyInvalid() from exc
    cache.delete(_reg_key(actor))
    data = json.loads(credential) if isinstance(credential, str) else dict(credential or {})
    transports = [str(t) for t in (data.get("response", {}).get("transports") or [])][:8]
    credential_id = _b64url(verified.credential_id)
    if Passkey.objects.filter(credential_id=credential_id).exists():
        raise PasskeyInvalid(_("This passkey is already registered."))
    with transaction.atomic():
        passkey = Passkey.objects.create(
            user=actor,
            credential_id=credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            transports=transports,
            name=(name or "").strip()[:64] or _("Passkey"),
        )
        first_codes = not recovery_codes_left(actor) and not has_totp(actor)
        audit(Kind.SECOND_FACTOR_ADDED, actor=actor, subject=actor, data={"kind": "passkey"})
        _forget(actor)
        if first_codes:
            passkey.recovery_codes = _recovery_codes_create(actor)
    return passkey


def passkey_authentication_options(actor) -> tuple[str, str]:
    """(options JSON for navigator.credentials.get(), challenge as base64url)."""
    webauthn, structs = _wa()
    options = webauthn.generate_authentication_options(
        rp_id=settings.IDENTITY_WEBAUTHN_RP_ID,
        allow_credentials=[
            structs.PublicKeyCredentialDescriptor(id=_unb64url(p.credential_id))
            for p in Passkey.objects.filter(user_id=actor.pk)
        ],
        user_verification=structs.UserVerificationRequirement.PREFERRED,
    )
    return webauthn.options_to_json(options), _b64url(options.challenge)


def passkey_match(actor, *, challenge: str, credential) -> Passkey:
    """Verify an assertion of one of the actor's passkeys for `challenge`. The signature
    counter must grow (a cloned authenticator replays an old one): refused otherwise."""
    webauthn, _structs = _wa()
    data = json.loads(credential) if isinstance(credential, str) else dict(credential or {})
    raw_id = str(data.get("rawId") or data.get("id") or "")
    with transaction.atomic():
        passkey = (
            Passkey.objects.select_for_update()
            .filter(user_id=actor.pk, credential_id=raw_id.rstrip("="))
            .first()
        )
        if passkey is None:
            raise PasskeyInvalid()
        try:
            verified = webauthn.verify_authentication_response(
                credential=data,
                expected_challenge=_unb64url(challenge),
                expected_rp_id=settings.IDENTITY_WEBAUTHN_RP_ID,
                expected_origin=list(settings.IDENTITY_WEBAUTHN_ORIGINS),
                credential_public_key=bytes(passkey.public_key),
                credential_current_sign_count=passkey.sign_count,
            )
        except Exception as exc:
            raise PasskeyInvalid() from exc
        passkey.sign_count = verified.new_sign_count
        passkey.last_used_at = timezone.now()
        passkey.save(update_fields=["sign_count", "last_used_at", "updated_at"])
    return passkey


# --- removal -------------------------------------------------------------------------------


def second_factor_remove(*, actor, device_id: str, step_up_token: str | None) -> None:
    """Remove one of the actor's own factors (another's is not found). A pending enrolment
    is dropped freely; a confirmed factor needs a strong step-up (action
    identity.second_factor.remove, target the factor's id)."""
    from .step_up import require_step_up

    kind, key = _parse_id(device_id)
    if kind == "totp":
        device = _totp_of(actor, key)
        if not device.confirmed:
            device.delete()
            return
    else:
        device = _passkey_of(actor, key)
    with transaction.atomic():
        require_step_up(actor=actor, action=REMOVE_ACTION, target=device_id, token=step_up_token)
        device.delete()
        if not has_strong_factor(actor):
            StaticDevice.objects.filter(user_id=actor.pk, name=RECOVERY_NAME).delete()
        audit(Kind.SECOND_FACTOR_REMOVED, actor=actor, subject=actor, data={"kind": kind})
        _forget(actor)


def strong_check(actor, *, code: str = "", credential=None, challenge: str = "") -> str:
    """The method that answered ("totp", "recovery", "passkey"); raises otherwise."""
    if credential:
        passkey_match(actor, challenge=challenge, credential=credential)
        return "passkey"
    for device in TOTPDevice.objects.filter(user_id=actor.pk, confirmed=True).order_by("pk"):
        if totp_match(device, code):
            return "totp"
    if recovery_match(actor, code):
        return "recovery"
    raise OtpInvalid()
