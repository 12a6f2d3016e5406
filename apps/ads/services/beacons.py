"""Signed beacons (docs/ads.md, "Tracking").

Each delivered ad gets one token: `<payload>.<mac>`, both base64url. The payload names the
campaign, the creative, the placement, the promoted listing, the hashed viewer, when it was
issued and a random impression id; the MAC is HMAC-SHA256 under a key derived from
SECRET_KEY, so a token cannot be forged, nor changed to count for another campaign. The
impression beacon and the click beacon take the same token: each counts at most once per
token (the store remembers the impression id), and once per viewer and window.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from functools import cache

from django.conf import settings

VERSION = "1"


@cache
def _key() -> bytes:
    return hashlib.sha256(b"hokwe.ads.beacon|" + settings.SECRET_KEY.encode()).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def viewer_hash(viewer: str) -> str:
    """A viewer key as stored and signed: 16 hex characters, not reversible to the key."""
    if not viewer:
        return ""
    return hmac.new(_key(), b"viewer|" + viewer.encode(), hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True)
class Beacon:
    campaign: str  # public id, hex
    creative: str  # public id, hex
    placement: str
    listing: str  # promoted listing's public id (str), or ""
    viewer: str  # hashed
    issued: int  # unix seconds
    impression: str  # random id


def sign(
    *, campaign: str, creative: str, placement: str, listing: str, viewer: str, now: float | None = None
) -> str:
    issued = int(now if now is not None else time.time())
    payload = "|".join(
        [VERSION, campaign, creative, placement, listing, viewer, str(issued), secrets.token_hex(8)]
    ).encode()
    mac = hmac.new(_key(), payload, hashlib.sha256).digest()[:16]
    return f"{_b64(payload)}.{_b64(mac)}"


def verify(token: str, *, now: float | None = None) -> Beacon | None:
    """The beacon a token carries, or None: malformed, forged, or older than the TTL."""
    if not token or len(token) > 400 or token.count(".") != 1:
        return None
    raw_payload, raw_mac = token.split(".")
    try:
        payload, mac = _unb64(raw_payload), _unb64(raw_mac)
    except (ValueError, TypeError):
        return None
    if not hmac.compare_digest(mac, hmac.new(_key(), payload, hashlib.sha256).digest()[:16]):
        return None
    parts = payload.decode(errors="replace").split("|")
    if len(parts) != 8 or parts[0] != VERSION:
        return None
    _v, campaign, creative, placement, listing, viewer, issued, impression = parts
    try:
        issued_at = int(issued)
    except ValueError:
        return None
    age = (now if now is not None else time.time()) - issued_at
    if age < -60 or age > settings.ADS_BEACON_TTL_SECONDS:
        return None
    return Beacon(campaign, creative, placement, listing, viewer, issued_at, impression)


def is_bot(user_agent: str) -> bool:
    """A robot's user agent (settings ADS_BOT_USER_AGENTS), or none at all."""
    agent = (user_agent or "").casefold()
    if not agent.strip():
        return True
    return any(marker in agent for marker in _markers())


@cache
def _markers() -> tuple[str, ...]:
    return tuple(m.casefold() for m in settings.ADS_BOT_USER_AGENTS if m)
