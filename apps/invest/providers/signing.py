"""The partner callbacks' signature (docs/invest.md « Partner API »), shared by HttpPartner,
the fake partner of the tests and anyone writing a partner:

    X-Partner-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">

keyed with the partner's callback secret (UTF-8). Several v1 entries may be given (a secret
being rotated): one matching is enough.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time

from .base import BadCallback

SIGNATURE_HEADER = "X-Partner-Signature"
_HEX = re.compile(r"[0-9a-f]{64}")


def signature(secret: str, body: bytes, t: int) -> str:
    """The hex HMAC-SHA256 of "<t>.<body>"."""
    return hmac.new(secret.encode(), str(t).encode() + b"." + body, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, t: int | None = None) -> str:
    """The X-Partner-Signature header's value for `body` signed at `t` (now by default)."""
    t = int(time.time()) if t is None else t
    return f"t={t},v1={signature(secret, body, t)}"


def verify(secret: str, body: bytes, header: str | None, *, tolerance: int, now: float | None = None) -> int:
    """Check `header` against `body`; return its t. Raises BadCallback when the header is
    missing or malformed, no v1 matches, or t is more than `tolerance` seconds away from now
    (older: a replay; newer: a clock or a forger from the future)."""
    if not secret:
        raise BadCallback("no callback secret is configured for this partner")
    if not header:
        raise BadCallback(f"no {SIGNATURE_HEADER} header")
    t_text, candidates = None, []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t":
            t_text = value.strip()
        elif key == "v1":
            candidates.append(value.strip().lower())
    if not t_text or not t_text.isascii() or not t_text.isdigit() or len(t_text) > 12:
        raise BadCallback("malformed signature header: no valid t")
    if not candidates:
        raise BadCallback("malformed signature header: no v1")
    t = int(t_text)
    expected = signature(secret, body, t).encode()
    if not any(_HEX.fullmatch(c) and hmac.compare_digest(expected, c.encode()) for c in candidates):
        raise BadCallback("bad signature")
    now = time.time() if now is None else now
    if now - t > tolerance:
        raise BadCallback(f"signed {int(now - t)} s ago, more than {tolerance} s")
    if t - now > tolerance:
        raise BadCallback(f"signed {int(t - now)} s in the future, more than {tolerance} s")
    return t
