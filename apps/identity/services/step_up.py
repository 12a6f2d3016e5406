"""Step-up OTP for sensitive operations (payouts, changing a payout number, large wallet
transfers, role changes).

    challenge = step_up_start(actor=u, action="payments.payout.create", target=str(payout_id),
                              amount=250_000, currency="XOF")          # SMS with a code
    proof = step_up_verify(actor=u, challenge_id=challenge.challenge_id, code="123456")
    ...
    require_step_up(actor=u, action="payments.payout.create", target=str(payout_id),
                    amount=250_000, currency="XOF", token=proof.token)  # in the service

The proof is bound to the actor, the action, the target and the amount; it is single-use
(atomic DELETE) and expires after STEP_UP_TTL_SECONDS. Anything else: StepUpRequired.

Strong actions (services/protection.py: registered with `register_strong_action`, and any
step-up with an amount by an owner or accountant) are answered by the authenticator app
(TOTP), a passkey or a recovery code, never by SMS: `step_up_start` then sends nothing and
returns `method="totp"` or `"passkey"` (with `webauthn_options`); without a factor it raises
SecondFactorRequired; during the SIM-swap hold, StrongActionHeld. `require_step_up` checks
the same, so an SMS proof never releases a strong action.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

from apps.core.errors import DomainError

from ..contracts import OtpPurpose, StepUpChallenge, StepUpProof
from ..errors import OtpInvalid, OtpLocked, SecondFactorRequired, StepUpRequired
from ..phones import mask_phone
from . import protection, second_factor
from .audit import Kind, audit
from .otp import otp_send, otp_verify

METHODS = ("sms", "totp", "passkey")


def operation_binding(
    *, action: str, target: str, amount: int | None = None, currency: str | None = None
) -> str:
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int)):
        raise TypeError("amount is an int in the currency's minor unit")
    text = f"{action}\x1f{target}\x1f{'' if amount is None else amount}\x1f{currency or ''}"
    return hashlib.sha256(text.encode()).hexdigest()


def _proof_key(token: str) -> str:
    return "stepup:proof:" + hashlib.sha256(token.encode()).hexdigest()


def _challenge_key(challenge_id: str) -> str:
    return "stepup:strong:" + hashlib.sha256(str(challenge_id).encode()).hexdigest()


def step_up_start(
    *,
    actor,
    action: str,
    target: str,
    amount: int | None = None,
    currency: str | None = None,
    method: str | None = None,
) -> StepUpChallenge:
    """Start the step-up of this exact operation: an SMS code, or — for a strong action —
    the authenticator app or a passkey (`method` picks one when the user has both)."""
    if protection.needs_strong_factor(actor, action=action, amount=amount):
        protection.check_hold(actor, action)
        return _strong_start(
            actor=actor, action=action, target=target, amount=amount, currency=currency, method=method
        )
    if not actor.phone:
        raise StepUpRequired()
    challenge_id = secrets.token_urlsafe(16)
    binding = operation_binding(action=action, target=target, amount=amount, currency=currency)
    sent = otp_send(
        phone=str(actor.phone),
        purpose=OtpPurpose.STEP_UP,
        language=actor.preferred_language,
        binding=challenge_id,
        context={"user": actor.pk, "op": binding, "action": action},
        actor=actor,
    )
    expires = datetime.fromtimestamp(time.time() + sent.expires_in, tz=UTC)
    return StepUpChallenge(challenge_id=challenge_id, expires_at=expires, phone_hint=mask_phone(actor.phone))


def _strong_start(*, actor, action, target, amount, currency, method) -> StepUpChallenge:
    methods = second_factor.methods_of(actor)
    if not methods or (method and method not in methods):
        raise SecondFactorRequired()
    chosen = method or methods[0]
    challenge_id = secrets.token_urlsafe(16)
    ttl = settings.STEP_UP_TTL_SECONDS
    expires = time.time() + ttl
    record = {
        "user": actor.pk,
        "op": operation_binding(action=action, target=target, amount=amount, currency=currency),
        "action": action,
        "method": chosen,
        "exp": expires,
        "wa": "",
    }
    options = ""
    if chosen == "passkey":
        options, record["wa"] = second_factor.passkey_authentication_options(actor)
    cache.set(_challenge_key(challenge_id), record, timeout=ttl + 60)
    return StepUpChallenge(
        challenge_id=challenge_id,
        expires_at=datetime.fromtimestamp(expires, tz=UTC),
        phone_hint="",
        method=chosen,
        webauthn_options=options,
    )


def _strong_verify(*, actor, challenge_id: str, record: dict, code: str, credential) -> StepUpProof:
    key = _challenge_key(challenge_id)
    if record.get("user") != actor.pk or record["exp"] <= time.time():
        raise OtpInvalid()
    now = time.time()
    lock_key, fails_key = f"stepup:strong:lock:{actor.pk}", f"stepup:strong:fails:{actor.pk}"
    locked_until = cache.get(lock_key)
    if locked_until is not None and locked_until > now:  # too many wrong answers, any challenge
        raise OtpLocked(retry_after=locked_until - now)
    attempts_key = key + ":tries"
    cache.add(attempts_key, 0, timeout=settings.STEP_UP_TTL_SECONDS + 60)
    if cache.incr(attempts_key) > settings.OTP_MAX_ATTEMPTS:
        cache.delete(key)
        raise OtpLocked(retry_after=1)
    try:
        used = second_factor.strong_check(actor, code=code, credential=credential, challenge=record["wa"])
    except DomainError:
        audit(Kind.STEP_UP_FAILED, actor=actor, subject=actor, data={"action": record["action"]})
        lock_seconds = settings.OTP_LOCK_SECONDS
        cache.add(fails_key, 0, timeout=lock_seconds)
        if cache.incr(fails_key) >= 2 * settings.OTP_MAX_ATTEMPTS:  # a guesser starting new challenges
            cache.set(lock_key, now + lock_seconds, timeout=lock_seconds)
            cache.delete(fails_key)
        raise
    if not cache.delete(key):  # single use, even under a race
        raise OtpInvalid()
    cache.delete(fails_key)
    return _issue_proof(actor, op=record["op"], action=record["action"], method=used)


def _issue_proof(actor, *, op: str, action: str, method: str) -> StepUpProof:
    token = secrets.token_urlsafe(32)
    ttl = settings.STEP_UP_TTL_SECONDS
    expires = time.time() + ttl
    strong = method != "sms"
    cache.set(
        _proof_key(token), {"user": actor.pk, "op": op, "exp": expires, "strong": strong}, timeout=ttl + 60
    )
    audit(Kind.STEP_UP_VERIFIED, actor=actor, subject=actor, data={"action": action, "method": method})
    return StepUpProof(token=token, expires_at=datetime.fromtimestamp(expires, tz=UTC))


def step_up_verify(*, actor, challenge_id: str, code: str = "", credential=None) -> StepUpProof:
    """Check the answer (an SMS or TOTP or recovery code, or a passkey's assertion in
    `credential`); returns the single-use proof for the operation of the challenge."""
    record = cache.get(_challenge_key(challenge_id)) if challenge_id else None
    if record is not None:
        return _strong_verify(
            actor=actor, challenge_id=str(challenge_id), record=record, code=code, credential=credential
        )
    try:
        context = otp_verify(
            phone=str(actor.phone or ""),
            purpose=OtpPurpose.STEP_UP,
            code=code,
            binding=str(challenge_id or ""),
            actor=actor,
        )
    except OtpInvalid:
        audit(Kind.STEP_UP_FAILED, actor=actor, subject=actor)
        raise
    if context.get("user") != actor.pk:
        raise OtpInvalid()
    return _issue_proof(actor, op=context["op"], action=context.get("action", ""), method="sms")


def require_step_up(
    *,
    actor,
    action: str,
    target: str,
    token: str | None,
    amount: int | None = None,
    currency: str | None = None,
) -> None:
    """Consume the proof for this operation, or raise StepUpRequired. Call it inside the
    operation's transaction, before writing. A strong action also needs a proof of the
    strong factor (SecondFactorRequired) and waits out the SIM-swap hold (StrongActionHeld)."""
    strong = protection.needs_strong_factor(actor, action=action, amount=amount)
    if strong:
        protection.check_hold(actor, action)
    if not token:
        raise StepUpRequired()
    if strong and not second_factor.has_strong_factor(actor):
        raise SecondFactorRequired()
    key = _proof_key(str(token))
    proof = cache.get(key)
    binding = operation_binding(action=action, target=target, amount=amount, currency=currency)
    if (
        proof is None
        or proof["user"] != getattr(actor, "pk", None)
        or proof["op"] != binding
        or proof["exp"] <= time.time()
    ):
        raise StepUpRequired()
    if strong and not proof.get("strong"):
        raise SecondFactorRequired()
    if not cache.delete(key):  # single use, even under a race
        raise StepUpRequired()
