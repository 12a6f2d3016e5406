"""Rate limits on the shared cache (Redis in test and prod), for every surface.

A limit is a scope with a rate (`"10/min"`), keyed by who is calling (a user, an IP, an
organization, a phone number…). The counter is a fixed window with an atomic INCR, and the
previous window is weighted in (the "sliding window counter"), so a burst at a window edge
cannot double the rate and every check is two Redis round trips at most.

    from apps.core.ratelimit import hit
    hit("payments.create", key=f"user:{user.pk}")   # raises RateLimited (429, Retry-After)

Rates live in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (one table for DRF throttles,
GraphQL and pages); `hit` also accepts an explicit `rate=`. Transport-free: DRF throttles
(apps.core.throttling), the GraphQL view and the page middleware all call this module.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy

from . import metrics
from .errors import DomainError

THROTTLED = metrics.THROTTLED

_PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}
_PERIODS |= {"d": 86400, "day": 86400}


class RateLimited(DomainError):
    code = "throttled"
    status = 429
    default_message = gettext_lazy("Too many requests. Try again later.")

    def __init__(self, message=None, *, retry_after: int, scope: str = "", **params):
        self.retry_after = retry_after
        self.scope = scope
        super().__init__(message, **params)


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds

    @classmethod
    def parse(cls, text: str) -> Rate:
        """`"10/min"`, `"600/minute"`, `"5/h"`, `"100/10s"` (a number before the unit multiplies it)."""
        count, _sep, unit = text.strip().partition("/")
        digits = "".join(ch for ch in unit if ch.isdigit())
        name = unit[len(digits) :].strip().lower()
        if name not in _PERIODS:
            raise ValueError(f"Unknown rate period in {text!r}")
        return cls(limit=int(count), period=_PERIODS[name] * (int(digits) if digits else 1))


def rate_for(scope: str) -> Rate | None:
    """The configured rate of a scope, or None when the scope has no limit."""
    rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
    text = rates.get(scope)
    return Rate.parse(text) if text else None


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int
    retry_after: int  # seconds until a request would be allowed again (0 when allowed)


def check(scope: str, *, key: str, rate: Rate | str | None = None, cost: int = 1) -> Decision:
    """Count one request of `key` against `scope` and say whether it is allowed."""
    if isinstance(rate, str):
        rate = Rate.parse(rate)
    rate = rate or rate_for(scope)
    if rate is None or not getattr(settings, "HOKWE_THROTTLING_ENABLED", True):
        return Decision(True, -1, 0)
    now = time.time()
    window = int(now // rate.period)
    base = f"rl:{scope}:{key}"
    current_key, previous_key = f"{base}:{window}", f"{base}:{window - 1}"
    cache.add(current_key, 0, timeout=rate.period * 2)
    try:
        current = cache.incr(current_key, cost)
    except ValueError:  # expired between add and incr
        cache.set(current_key, cost, timeout=rate.period * 2)
        current = cost
    previous = cache.get(previous_key) or 0
    elapsed = (now % rate.period) / rate.period
    estimated = previous * (1 - elapsed) + current
    if estimated <= rate.limit:
        return Decision(True, max(0, int(rate.limit - estimated)), 0)
    # Blocked: when will the weighted count fall back under the limit?
    if previous and current <= rate.limit:
        needed = (previous * (1 - elapsed) + current - rate.limit) / previous  # fraction of a period
        wait = needed * rate.period
    else:
        wait = (1 - elapsed) * rate.period
    return Decision(False, 0, max(1, math.ceil(wait)))


def hit(scope: str, *, key: str, rate: Rate | str | None = None, cost: int = 1) -> Decision:
    """`check`, raising RateLimited (429 with Retry-After on every surface) when refused."""
    decision = check(scope, key=key, rate=rate, cost=cost)
    if not decision.allowed:
        THROTTLED.labels(scope=scope).inc()
        raise RateLimited(retry_after=decision.retry_after, scope=scope)
    return decision


def client_key(request) -> str:
    """Who is calling, for per-user or per-IP limits: the user when authenticated, else the
    address (REMOTE_ADDR: the gateway sets it to the client's with `real_ip`)."""
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"
