"""PUBLIC: what other modules may call in partners (API keys, outbound webhooks).

    from apps.partners import api as partners
    partners.verify_signature(secret, header, body) -> bool   (the receiver's check, docs/partners.md)
    partners.retry_schedule() -> [(attempt, seconds after the first)]

Partners consumes payments' and estate's events (handlers.py); it publishes none.
"""

from __future__ import annotations

from .contracts import EventType, Scope
from .services.delivery import retry_schedule
from .services.signing import verify as verify_signature

__all__ = ["EventType", "Scope", "retry_schedule", "verify_signature"]
