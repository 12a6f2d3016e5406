"""DRF throttles on the shared limiter (apps.core.ratelimit): per IP, per user, per
organization and per scope. All of them answer 429 problem details with Retry-After
(apps.core.errors).

Defaults (settings REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]) apply to every API view:
    AnonThrottle          "anon"  per IP, anonymous callers
    UserThrottle          "user"  per user
    OrganizationThrottle  "org"   per organization named in the URL (organization_id, org_id,
                                  organization) or by the view's `throttle_organization(request)`
    ScopedThrottle        the view's `throttle_scope` (e.g. "identity.otp_request"), keyed per
                          user or per IP; a view may list several: `throttle_scopes = [...]`.

Stricter scopes for money and phone codes: give the view `throttle_scope = "payments.create"`
and a rate in DEFAULT_THROTTLE_RATES (env THROTTLE_PAYMENT_CREATE, …).
"""

from __future__ import annotations

from rest_framework.throttling import BaseThrottle

from . import ratelimit

ORGANIZATION_URL_KWARGS = ("organization_id", "org_id", "organization", "organization_public_id")


class _LimiterThrottle(BaseThrottle):
    """All the limiter throttles of a view decide together (apps.core.ratelimit.check_many):
    the first one to run gathers every (scope, key) of the view's throttles, so a call refused
    by one limit is counted by none, and Retry-After is the longest wait of the refusing
    limits (DRF takes the largest `wait()`)."""

    scope = ""

    def keys(self, request, view) -> list[tuple[str, str]]:
        """(scope, key) pairs this request counts against; empty = not limited."""
        raise NotImplementedError

    def allow_request(self, request, view):
        decision = getattr(request, "_hokwe_throttle_decision", None)
        if decision is None:
            limits = []
            for throttle in view.get_throttles():
                if isinstance(throttle, _LimiterThrottle):
                    limits += [(scope, key, None) for scope, key in throttle.keys(request, view)]
            decision = ratelimit.check_many(limits)
            if not decision.allowed:
                ratelimit.THROTTLED.labels(scope=decision.scope).inc()
            request._hokwe_throttle_decision = decision
        self._wait = None if decision.allowed else decision.retry_after
        return decision.allowed

    def wait(self):
        return self._wait


class AnonThrottle(_LimiterThrottle):
    def keys(self, request, view):
        if request.user and request.user.is_authenticated:
            return []
        return [("anon", ratelimit.client_key(request))]


class UserThrottle(_LimiterThrottle):
    def keys(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return []
        return [("user", ratelimit.client_key(request))]


class OrganizationThrottle(_LimiterThrottle):
    """Shares one budget among all the users of an organization, so one agency's scripts
    cannot starve the others at month end."""

    def keys(self, request, view):
        org = None
        hook = getattr(view, "throttle_organization", None)
        if callable(hook):
            org = hook(request)
        if org is None:
            kwargs = getattr(view, "kwargs", {}) or {}
            org = next((kwargs[name] for name in ORGANIZATION_URL_KWARGS if kwargs.get(name)), None)
        return [("org", f"org:{org}")] if org else []


class ScopedThrottle(_LimiterThrottle):
    def keys(self, request, view):
        scopes = list(getattr(view, "throttle_scopes", ()) or ())
        if getattr(view, "throttle_scope", None):
            scopes.append(view.throttle_scope)
        return [(scope, ratelimit.client_key(request)) for scope in scopes]


class IPScopedThrottle(_LimiterThrottle):
    """The view's scopes keyed per IP even for authenticated callers (phone codes: a stolen
    session must not widen an attacker's budget)."""

    def keys(self, request, view):
        scopes = list(getattr(view, "throttle_scopes", ()) or ())
        if getattr(view, "throttle_scope", None):
            scopes.append(view.throttle_scope)
        return [(f"{scope}.ip", f"ip:{request.META.get('REMOTE_ADDR', '')}") for scope in scopes]
