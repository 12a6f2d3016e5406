"""Error tracking with Sentry: off by default, on when SENTRY_DSN is set.

Personal data never leaves: `send_default_pii=False`, and `scrub_event` (before_send and
before_send_transaction) removes phone numbers, e-mail addresses, bearer/JWT tokens, OTP
codes, and the values of sensitive keys (Authorization, Cookie, password, token, code,
otp, secret, phone, email…) anywhere in the event: request headers, bodies, query strings,
breadcrumbs, local variables of stack frames, log messages and extra data.
"""

from __future__ import annotations

import re

from django.conf import settings

FILTERED = "[Filtered]"

SENSITIVE_KEYS = re.compile(
    r"(authorization|cookie|csrf|session|password|passwd|secret|token|api[_-]?key|otp|phone|"
    r"msisdn|e-?mail|iban|account[_-]?number|cvv|signature|jwt|^code$|^pin$|^card$|verification_code)",
    re.IGNORECASE,
)
_PATTERNS = [
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+"),  # Authorization values
    re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"),  # JWTs
    re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),  # e-mail addresses
    re.compile(r"(?<![\w-])\+?\d[\d .-]{7,}\d(?![\w-])"),  # phone numbers (8+ digits)
    re.compile(r"(?i)%2B\d{8,15}"),  # URL-encoded +phone
    re.compile(r"(?i)\b(code|otp|pin)([\"'\s:=]+)\d{4,8}\b"),  # "code: 123456"
]


def scrub_text(text: str) -> str:
    for pattern in _PATTERNS:
        if pattern.groups == 2:
            text = pattern.sub(lambda m: f"{m.group(1)}{m.group(2)}{FILTERED}", text)
        else:
            text = pattern.sub(FILTERED, text)
    return text


def _scrub(value, depth: int = 0):
    if depth > 20:
        return FILTERED
    if isinstance(value, dict):
        return {
            key: (
                FILTERED if isinstance(key, str) and SENSITIVE_KEYS.search(key) else _scrub(item, depth + 1)
            )
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        scrubbed = [_scrub(item, depth + 1) for item in value]
        # Header lists arrive as [[name, value], ...]
        if len(scrubbed) == 2 and isinstance(value[0], str) and SENSITIVE_KEYS.search(value[0]):
            return [value[0], FILTERED]
        return scrubbed
    if isinstance(value, str):
        return scrub_text(value)
    return value


def scrub_event(event: dict, hint=None) -> dict:
    """before_send: the whole event, recursively (keys that name secrets lose their value,
    strings lose phone numbers, e-mails, tokens and codes)."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]  # the query string is scrubbed below
        if isinstance(request.get("query_string"), str):
            request["query_string"] = scrub_text(request["query_string"])
    user = event.get("user")
    if isinstance(user, dict):  # keep the internal id only
        event["user"] = {"id": user["id"]} if "id" in user else {}
    return _scrub(event)


def configure_sentry(*, transport=None) -> bool:
    """On when SENTRY_DSN is set (`transport`: tests capture events instead of sending)."""
    if not settings.SENTRY_DSN:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=settings.SENTRY_DSN,
        environment=settings.SENTRY_ENVIRONMENT or settings.HOKWE_ENVIRONMENT,
        release=settings.HOKWE_VERSION,
        # No IPs, cookies or user details by default (send_default_pii stays off).
        include_local_variables=True,  # scrubbed by before_send
        max_request_body_size="small",
        traces_sample_rate=settings.SENTRY_TRACES_SAMPLE_RATE,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        before_breadcrumb=lambda crumb, hint: _scrub(crumb),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        **({"transport": transport} if transport is not None else {}),
    )
    return True
