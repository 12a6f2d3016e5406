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
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

from ..contracts import OtpPurpose, StepUpChallenge, StepUpProof
from ..errors import OtpInvalid, StepUpRequired
from ..phones import mask_phone
from .audit import Kind, audit
from .otp import otp_send, otp_verify


def operation_binding(
    *, action: str, target: str, amount: int | None = None, currency: str | None = None
) -> str:
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int)):
        raise TypeError("amount is an int in the currency's minor unit")
    text = f"{action}\x1f{target}\x1f{'' if amount is None else amount}\x1f{currency or ''}"
    return hashlib.sha256(text.encode()).hexdigest()


def _proof_key(token: str) -> str:
    return "stepup:proof:" + hashlib.sha256(token.encode()).hexdigest()


def step_up_start(
    *, actor, action: str, target: str, amount: int | None = None, currency: str | None = None
) -> StepUpChallenge:
    """Send a code to the actor's phone for this exact operation."""
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


def step_up_verify(*, actor, challenge_id: str, code: str) -> StepUpProof:
    """Check the code; returns the single-use proof for the operation of the challenge."""
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
    token = secrets.token_urlsafe(32)
    ttl = settings.STEP_UP_TTL_SECONDS
    expires = time.time() + ttl
    cache.set(_proof_key(token), {"user": actor.pk, "op": context["op"], "exp": expires}, timeout=ttl + 60)
    audit(Kind.STEP_UP_VERIFIED, actor=actor, subject=actor, data={"action": context.get("action", "")})
    return StepUpProof(token=token, expires_at=datetime.fromtimestamp(expires, tz=UTC))


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
    operation's transaction, before writing."""
    if not token:
        raise StepUpRequired()
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
    if not cache.delete(key):  # single use, even under a race
        raise StepUpRequired()
