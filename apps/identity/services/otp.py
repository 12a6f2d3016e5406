"""Phone one-time codes: 6 digits, stored hashed in Redis (the Django cache), 5-minute life,
5 wrong tries then a lock, a resend cooldown, and rate limits per phone and per IP.

State per (purpose, phone) in the cache — never the code itself:
    otp:c:<purpose>:<phone key>   {"h": HMAC(code), "salt", "exp", "sent", "bind", "ctx"}
    otp:a:<purpose>:<phone key>   wrong tries of the current code (atomic INCR)
    otp:lock:<phone key>          lock deadline after too many wrong tries (all purposes)
    otp:rl:<kind>:<key>:<window>  sends per hour window, per phone and per IP
Expiry is checked against the stored deadline (so tests can move the clock); the cache
TTL only reclaims memory. A code is consumed with an atomic DELETE: single use even when
two requests race.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from .. import requestmeta
from ..errors import OtpCooldown, OtpExpired, OtpInvalid, OtpLocked, RetryLater
from .audit import Kind, audit
from .delivery import otp_sender

CODE_DIGITS = 6


@dataclass(frozen=True)
class OtpSent:
    expires_in: int
    resend_after: int


def _conf(name: str) -> int:
    return int(getattr(settings, name))


def _phone_key(phone: str) -> str:
    # Cache keys carry no phone number in clear.
    return hmac.new(settings.SECRET_KEY.encode(), f"phone:{phone}".encode(), hashlib.sha256).hexdigest()[:32]


def _code_hash(*, purpose: str, phone: str, salt: str, code: str) -> str:
    message = f"{purpose}|{phone}|{salt}|{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _keys(purpose: str, phone: str) -> tuple[str, str, str]:
    pk = _phone_key(phone)
    return f"otp:c:{purpose}:{pk}", f"otp:a:{purpose}:{pk}", f"otp:lock:{pk}"


def _check_lock(lock_key: str, now: float) -> None:
    until = cache.get(lock_key)
    if until is not None and until > now:
        raise OtpLocked(retry_after=until - now)


def _count_in_window(counters: list[tuple[str, str, int]], now: float) -> None:
    """Count one send against each (kind, key, hourly limit) of the fixed hour window, all
    or none: a send refused by one cap (the IP's) spends nothing of the others (the
    phone's), and a refused send is not counted, so waiting Retry-After is enough."""
    window = 3600
    bucket = int(now // window)
    counted = []
    for kind, key, limit in counters:
        cache_key = f"otp:rl:{kind}:{key}:{bucket}"
        cache.add(cache_key, 0, timeout=window + 60)
        counted.append((cache_key, cache.incr(cache_key), limit))
    if any(count > limit for _key, count, limit in counted):
        for cache_key, _count, _limit in counted:
            cache.decr(cache_key)
        raise RetryLater(retry_after=(bucket + 1) * window - now)


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def otp_send(
    *,
    phone: str,
    purpose: str,
    language: str = "fr",
    binding: str = "",
    context: dict | None = None,
    ip: str | None = None,
    actor=None,
) -> OtpSent:
    """Send a fresh code to `phone` for `purpose`. `binding` ties the code to one operation
    (a step-up challenge, an invitation); `context` (JSON, no secrets) comes back from
    `otp_verify`."""
    now = time.time()
    ip = ip or requestmeta.client_ip()
    challenge_key, attempts_key, lock_key = _keys(purpose, phone)
    _check_lock(lock_key, now)
    current = cache.get(challenge_key)
    cooldown = _conf("OTP_RESEND_COOLDOWN_SECONDS")
    if current is not None and current["sent"] + cooldown > now:
        raise OtpCooldown(retry_after=current["sent"] + cooldown - now)
    counters = [("phone", _phone_key(phone), _conf("OTP_MAX_SENDS_PER_PHONE_PER_HOUR"))]
    if ip:
        counters.append(
            ("ip", hashlib.sha256(ip.encode()).hexdigest()[:24], _conf("OTP_MAX_SENDS_PER_IP_PER_HOUR"))
        )
    _count_in_window(counters, now)

    ttl = _conf("OTP_TTL_SECONDS")
    code = new_code()
    salt = secrets.token_hex(8)
    record = {
        "h": _code_hash(purpose=purpose, phone=phone, salt=salt, code=code),
        "salt": salt,
        "exp": now + ttl,
        "sent": now,
        "bind": binding,
        "ctx": context or {},
    }
    cache.set(challenge_key, record, timeout=ttl + cooldown)
    cache.delete(attempts_key)
    otp_sender().send_otp(phone=phone, code=code, purpose=purpose, language=language)
    audit(Kind.OTP_SENT, actor=actor, phone=phone, ip=ip, data={"purpose": purpose})
    return OtpSent(expires_in=ttl, resend_after=cooldown)


def otp_verify(
    *, phone: str, purpose: str, code: str, binding: str = "", ip: str | None = None, actor=None
) -> dict:
    """Check and consume the code; returns the context given to `otp_send`. Wrong codes
    count; the last allowed wrong try locks the phone (OtpLocked)."""
    now = time.time()
    ip = ip or requestmeta.client_ip()
    challenge_key, attempts_key, lock_key = _keys(purpose, phone)
    _check_lock(lock_key, now)
    record = cache.get(challenge_key)
    if record is None:
        raise OtpInvalid()
    if record["exp"] <= now:
        cache.delete(challenge_key)
        raise OtpExpired()

    max_attempts = _conf("OTP_MAX_ATTEMPTS")
    cache.add(attempts_key, 0, timeout=_conf("OTP_TTL_SECONDS") + 60)
    attempts = cache.incr(attempts_key)  # counted before comparing: races cannot exceed it
    candidate = _code_hash(purpose=purpose, phone=phone, salt=record["salt"], code=str(code or "").strip())
    good = (
        attempts <= max_attempts
        and hmac.compare_digest(candidate, record["h"])
        and hmac.compare_digest(binding, record["bind"])
    )
    if not good:
        if attempts >= max_attempts:
            lock_seconds = _conf("OTP_LOCK_SECONDS")
            cache.set(lock_key, now + lock_seconds, timeout=lock_seconds)
            cache.delete(challenge_key)
            audit(Kind.OTP_LOCKED, actor=actor, phone=phone, ip=ip, data={"purpose": purpose})
            raise OtpLocked(retry_after=lock_seconds)
        audit(
            Kind.OTP_FAILED, actor=actor, phone=phone, ip=ip, data={"purpose": purpose, "attempt": attempts}
        )
        raise OtpInvalid()
    if not cache.delete(challenge_key):
        raise OtpInvalid()  # consumed by a concurrent request
    cache.delete(attempts_key)
    return record["ctx"]


def otp_pending(*, phone: str, purpose: str) -> bool:
    record = cache.get(_keys(purpose, phone)[0])
    return record is not None and record["exp"] > time.time()


def otp_unlock(*, phone: str) -> None:
    """Staff action: lift a lock early."""
    cache.delete(_keys("", phone)[2])
