"""Rate limits on the shared cache (Redis in test and prod), for every surface.

A limit is a scope with a rate (`"10/min"`), keyed by who is calling (a user, an IP, an
organization, a phone number…). The counter is a fixed window with an atomic INCR, and the
previous window is weighted in (the "sliding window counter"), so a burst at a window edge
cannot double the rate. On Redis, all the limits of one check (per IP, user, organization,
scope) are counted and their previous windows read in ONE round trip (a Lua script); a
refusal gives the counts back in one more. Other caches (the embedded default's local
memory) take the same steps key by key.

    from apps.core.ratelimit import hit
    hit("payments.create", key=f"user:{user.pk}")   # raises RateLimited (429, Retry-After)

Rates live in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (one table for DRF throttles,
GraphQL and pages); `hit` also accepts an explicit `rate=`. Transport-free: DRF throttles
(apps.core.throttling), the GraphQL view and the page middleware all call this module.

Honest answers (issue 17):
- `retry_after` is the shortest wait after which the same call WILL be accepted, computed
  from the window state (the previous window's weight included), rounded up to a second.
- A refused call is not counted: waiting always helps.
- Several limits on one call (`check_many`: per IP, per user, per organization, per scope)
  are decided together: either all count the call or none does, and the wait is the largest.
- Within one request a (scope, key) is counted once, even when the gateway and the view
  both check it.
- Time is Python's `time.time()` (tests move it with time_machine); the cache only stores
  counters per window number, its TTL only reclaims memory.
"""

from __future__ import annotations

import math
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy

from . import metrics
from .errors import DomainError

THROTTLED = metrics.THROTTLED

_PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}
_PERIODS |= {"d": 86400, "day": 86400}
_EPSILON = 1e-6  # float noise in the weighted count must not refuse a call on the boundary


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

    def __str__(self) -> str:
        return f"{self.limit}/{self.period}s"


def rate_for(scope: str) -> Rate | None:
    """The configured rate of a scope, or None when the scope has no limit."""
    rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
    text = rates.get(scope)
    return Rate.parse(text) if text else None


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int  # calls left in the budget after this one (0 when refused; -1: no limit)
    retry_after: int  # seconds until the same call will be accepted (0 when allowed)
    limit: int = -1  # the budget (RateLimit-Limit)
    reset: int = 0  # seconds until the whole budget is back (RateLimit-Reset)
    scope: str = ""
    period: int = 0

    @property
    def limited(self) -> bool:
        return self.limit >= 0


UNLIMITED = Decision(True, -1, 0)


class RateLimited(DomainError):
    code = "throttled"
    status = 429
    default_message = gettext_lazy("Too many requests. Try again later.")

    def __init__(
        self, message=None, *, retry_after: int, scope: str = "", decision: Decision | None = None, **params
    ):
        self.retry_after = retry_after
        self.scope = scope
        self.decision = decision
        self.rate_limit_headers = headers_for(decision)  # RateLimit-* (apps.core.errors)
        super().__init__(message, **params)


# --- the sliding window counter -------------------------------------------------------------


def _assess(scope: str, rate: Rate, previous: int, others: int, elapsed: float, cost: int) -> Decision:
    """Decide one call of `cost` given the previous window's count, the current window's count
    without this call (`others`) and the elapsed fraction of the current window."""
    limit, period = rate.limit, rate.period
    estimated = previous * (1 - elapsed) + others + cost
    allowed = estimated <= limit + _EPSILON
    counted = others + cost if allowed else others  # what the windows hold after this call
    if counted:
        reset = (2 - elapsed) * period  # the current window ages out at the end of the next one
    elif previous:
        reset = (1 - elapsed) * period
    else:
        reset = 0.0
    if allowed:
        remaining = max(0, math.floor(limit - estimated + _EPSILON))
        return Decision(True, remaining, 0, limit, math.ceil(reset - _EPSILON), scope, period)
    wait = _wait(limit, period, previous, others, elapsed, cost)
    return Decision(
        False,
        0,
        max(1, math.ceil(wait - _EPSILON)),
        limit,
        math.ceil(max(reset, wait) - _EPSILON),
        scope,
        period,
    )


def _wait(limit: int, period: int, previous: int, others: int, elapsed: float, cost: int) -> float:
    """The shortest t (seconds) after which `previous·(1-e) + others + cost <= limit` holds
    again, following the windows as they slide (counts only decrease with time)."""
    if cost > limit:
        return math.inf
    left = (1 - elapsed) * period  # until the current window ends
    room = limit - others - cost
    if room >= 0 and previous:
        # Still in this window: the previous window's weight decays linearly.
        t = left - room * period / previous
        if t <= left:
            return max(0.0, t)
    # In the next window: this window becomes the previous one, weighted by (1 - e').
    if others:
        fraction = max(0.0, 1 - (limit - cost) / others)
        return left + fraction * period
    return left


# KEYS: current window, previous window, … (pairs); ARGV: cost, then each pair's TTL.
# Adds `cost` to each current window (a new window gets its TTL, an existing one keeps it,
# like add + incr) and returns, per pair, the current count and the previous window's.
_COUNT_SCRIPT = """
local out = {}
local cost = tonumber(ARGV[1])
for i = 1, #KEYS, 2 do
  local current = redis.call('INCRBY', KEYS[i], cost)
  if redis.call('TTL', KEYS[i]) < 0 then
    redis.call('EXPIRE', KEYS[i], tonumber(ARGV[(i + 1) / 2 + 1]))
  end
  out[#out + 1] = current
  out[#out + 1] = redis.call('GET', KEYS[i + 1]) or '0'
end
return out
"""
# KEYS: the windows counted by a refused check; ARGV: cost. Gives the call back where the
# window still exists (an expired one has nothing to give back).
_UNCOUNT_SCRIPT = """
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('DECRBY', KEYS[i], tonumber(ARGV[1]))
  end
end
return #KEYS
"""
_scripts: dict = {}


def _redis():
    """(raw client, key maker) when the cache is django-redis, else None."""
    client = getattr(cache, "client", None)
    if client is None or not hasattr(client, "get_client") or not hasattr(client, "make_key"):
        return None
    return client.get_client(write=True), client.make_key


def _script(raw, name: str, source: str):
    script = _scripts.get((id(raw), name))
    if script is None:
        script = _scripts[(id(raw), name)] = raw.register_script(source)  # EVALSHA, loads once
    return script


def _as_count(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _count_windows(windows: list[tuple[str, str, int]], cost: int) -> list[tuple[int, int]]:
    """For each (current key, previous key, ttl): the current window's count including this
    call and the previous window's count. One round trip on Redis."""
    redis = _redis()
    if redis is None:
        return [
            (_incr(current, cost, timeout=ttl), _as_count(cache.get(previous) or 0))
            for current, previous, ttl in windows
        ]
    raw, make_key = redis
    keys = [str(make_key(k)) for current, previous, _ttl in windows for k in (current, previous)]
    args = [cost, *(ttl for _c, _p, ttl in windows)]
    out = _script(raw, "count", _COUNT_SCRIPT)(keys=keys, args=args, client=raw)
    return [(_as_count(out[i]), _as_count(out[i + 1])) for i in range(0, len(out), 2)]


def _uncount_windows(keys: list[str], cost: int) -> None:
    redis = _redis()
    if redis is None:
        for key in keys:
            _uncount(key, cost)
        return
    raw, make_key = redis
    _script(raw, "uncount", _UNCOUNT_SCRIPT)(keys=[str(make_key(k)) for k in keys], args=[cost], client=raw)


def _incr(key: str, cost: int, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key, cost)
    except ValueError:  # expired between add and incr
        cache.set(key, cost, timeout=timeout)
        return cost


def _uncount(key: str, cost: int) -> None:
    try:
        cache.decr(key, cost)
    except ValueError:  # already expired: nothing to give back
        pass


# --- one request's decisions (the RateLimit-* headers, counting once per request) -----------

_request_decisions: ContextVar[dict | None] = ContextVar("hokwe_ratelimit_decisions", default=None)


def begin_request():
    """Start recording this request's decisions (the gateway middleware); returns a token."""
    return _request_decisions.set({})


def end_request(token) -> None:
    _request_decisions.reset(token)


def request_decisions() -> list[Decision]:
    return list((_request_decisions.get() or {}).values())


def most_restrictive(decisions) -> Decision | None:
    """The refused limit with the longest wait, else the limit with the fewest calls left
    (the longest reset on a tie)."""
    limited = [d for d in decisions if d.limited]
    if not limited:
        return None
    refused = [d for d in limited if not d.allowed]
    if refused:
        return max(refused, key=lambda d: (d.retry_after, d.reset))
    return min(limited, key=lambda d: (d.remaining, -d.reset))


def headers_for(decision: Decision | None) -> dict[str, str]:
    """RateLimit-Limit / -Remaining / -Reset (IETF draft httpapi-ratelimit-headers, numeric
    form) and, on a refusal, Retry-After."""
    if decision is None or not decision.limited:
        return {}
    headers = {
        "RateLimit-Limit": str(decision.limit),
        "RateLimit-Remaining": str(decision.remaining),
        "RateLimit-Reset": str(decision.reset),
    }
    if decision.period:
        headers["RateLimit-Policy"] = f"{decision.limit};w={decision.period}"
    if not decision.allowed:
        headers["Retry-After"] = str(decision.retry_after)
    return headers


# --- checking -------------------------------------------------------------------------------


def _resolve(rate, scope):
    if isinstance(rate, str):
        rate = Rate.parse(rate)
    return rate or rate_for(scope)


def check_many(limits, *, cost: int = 1) -> Decision:
    """Count one call against several limits `[(scope, key, rate or None), …]` at once: when
    any refuses, none keeps the call and the decision is the longest wait; when all allow,
    the decision is the most restrictive one (fewest calls left)."""
    if not getattr(settings, "HOKWE_THROTTLING_ENABLED", True):
        return UNLIMITED
    seen = _request_decisions.get()
    now = time.time()
    decisions: list[Decision | None] = []  # in the order of `limits`; None: counted below
    pending: list[tuple[int, str, str, Rate]] = []
    windows: list[tuple[str, str, int]] = []
    for scope, key, rate in limits:
        rate = _resolve(rate, scope)
        if rate is None:
            continue
        if seen is not None and (scope, key) in seen:  # already counted by this request
            decisions.append(seen[(scope, key)])
            continue
        window = int(now // rate.period)
        base = f"rl:{scope}:{key}"
        pending.append((len(decisions), scope, key, rate))
        decisions.append(None)
        windows.append((f"{base}:{window}", f"{base}:{window - 1}", rate.period * 2 + 1))
    fresh: list[tuple[tuple[str, str], Decision]] = []
    if windows:
        counts = _count_windows(windows, cost)
        for (slot, scope, key, rate), (current, previous) in zip(pending, counts, strict=True):
            elapsed = (now % rate.period) / rate.period
            decision = _assess(scope, rate, previous, current - cost, elapsed, cost)
            decisions[slot] = decision
            fresh.append(((scope, key), decision))
    if not decisions:
        return UNLIMITED
    refused = any(not d.allowed for d in decisions)
    if refused and windows:
        _uncount_windows([current_key for current_key, _previous, _ttl in windows], cost)
    if seen is not None:
        for ident, decision in fresh:
            seen[ident] = decision
    return most_restrictive(decisions)


def check(scope: str, *, key: str, rate: Rate | str | None = None, cost: int = 1) -> Decision:
    """Count one request of `key` against `scope` and say whether it is allowed (a refused
    request is not counted)."""
    return check_many([(scope, key, rate)], cost=cost)


def refuse(decision: Decision) -> RateLimited:
    """The RateLimited error for a refused decision (counted in hokwe_throttled_total)."""
    THROTTLED.labels(scope=decision.scope).inc()
    return RateLimited(retry_after=decision.retry_after, scope=decision.scope, decision=decision)


def hit(scope: str, *, key: str, rate: Rate | str | None = None, cost: int = 1) -> Decision:
    """`check`, raising RateLimited (429 with Retry-After on every surface) when refused."""
    decision = check(scope, key=key, rate=rate, cost=cost)
    if not decision.allowed:
        raise refuse(decision)
    return decision


def hit_many(limits, *, cost: int = 1) -> Decision:
    """`check_many`, raising RateLimited with the longest wait when any limit refuses."""
    decision = check_many(limits, cost=cost)
    if not decision.allowed:
        raise refuse(decision)
    return decision


def client_key(request) -> str:
    """Who is calling, for per-user or per-IP limits: the user when authenticated, else the
    address (REMOTE_ADDR: the gateway sets it to the client's with `real_ip`)."""
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"
