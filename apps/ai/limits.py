"""The daily LLM token budget of each user (settings.AI_DAILY_TOKEN_BUDGET), counted in the
cache (Redis) per UTC day:

    spent(user_id) -> int        tokens used today
    remaining(user_id) -> int    what is left today (never below 0)
    spend(user_id, tokens) -> int   adds a completion's tokens atomically; returns today's total

The counter of a day is `ai:tokens:<YYYY-MM-DD>:<user_id>`, created by `cache.add` with a
two-day expiry and raised by `cache.incr` (atomic in Redis), so concurrent answers of the
same user both count. Past the budget, the offline assistant answers (the caller checks
`remaining` before calling the LLM and `spend`s the usage after).
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

__all__ = ["KEY_TTL_SECONDS", "remaining", "spend", "spent"]

KEY_TTL_SECONDS = 2 * 24 * 3600


def _key(user_id) -> str:
    return f"ai:tokens:{datetime.now(UTC):%Y-%m-%d}:{user_id}"


def spent(user_id) -> int:
    return int(cache.get(_key(user_id)) or 0)


def remaining(user_id) -> int:
    return max(0, settings.AI_DAILY_TOKEN_BUDGET - spent(user_id))


def spend(user_id, tokens: int) -> int:
    if tokens < 0:
        raise ValueError("tokens must be >= 0")
    key = _key(user_id)
    if tokens == 0:
        return int(cache.get(key) or 0)
    cache.add(key, 0, timeout=KEY_TTL_SECONDS)
    try:
        return int(cache.incr(key, tokens))
    except ValueError:  # the key expired between add and incr
        if cache.add(key, tokens, timeout=KEY_TTL_SECONDS):
            return tokens
        return int(cache.incr(key, tokens))
