"""The providers' HTTP layer: clients from core's `http_client` (timeouts, connection-only
retries), `request()` with one quick retry for idempotent reads, and errors mapped to
ProviderUnavailable (timeouts, 5xx) / ProviderRejected (4xx).

No network call under a transaction: `request()` refuses to run while a database
transaction is open on this thread (ProviderCallInTransaction, a programming error). A
slow provider would otherwise hold row locks and a database connection for the length of
its timeout. Services record what they are about to ask, commit, call, then apply the
answer in a new transaction (docs/payments.md, "Calling a provider").
"""

from __future__ import annotations

import httpx
from django.conf import settings
from django.db import transaction

from apps.core.http import http_client

from .base import ProviderRejected, ProviderUnavailable


class ProviderCallInTransaction(RuntimeError):
    """A provider was about to be called inside a database transaction: a programming error
    (the caller must commit first and apply the answer in a new transaction)."""


def open_transaction(using: str | None = None) -> bool:
    """True when this thread is inside a transaction that was not opened by a test case.

    Django's TestCase (what pytest-django's plain `django_db` uses) wraps each test in
    atomic blocks it marks `_from_testcase`, exactly as Django's own `atomic(durable=True)`
    check does; those are ignored. Every other block counts, including one opened by the
    test's own code, and `django_db(transaction=True)` tests have no wrapping block at all."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return False
    blocks = connection.atomic_blocks
    if not blocks:  # autocommit switched off by hand: a transaction is open
        return True
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def ensure_no_transaction(what: str) -> None:
    if open_transaction():
        raise ProviderCallInTransaction(
            f"{what}: a provider is called inside a database transaction; commit first "
            "(record the intent to call), then call, then apply the answer in a new transaction"
        )


def client(service: str, base_url: str, headers: dict) -> httpx.Client:
    """The provider's client, from core's one factory (`apps.core.http.http_client`: bounded
    timeouts, connection-only retries, no redirects, User-Agent and X-Request-ID)."""
    return http_client(
        service=service, base_url=base_url, headers=headers, timeout=settings.PAYMENT_HTTP_TIMEOUT_SECONDS
    )


def request(
    http: httpx.Client,
    method: str,
    path: str,
    *,
    json=None,
    params=None,
    retry: bool = False,
    ok_statuses=(),
    headers: dict | None = None,
    content: bytes | None = None,
) -> httpx.Response:
    ensure_no_transaction(f"{method} {path}")
    tries = 2 if retry else 1
    for attempt in range(tries):
        try:
            response = http.request(method, path, json=json, params=params, headers=headers, content=content)
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            if attempt + 1 < tries and not isinstance(exc, httpx.ReadTimeout):
                continue
            raise ProviderUnavailable(f"{method} {path}: {type(exc).__name__}") from exc
        if response.status_code >= 500:
            raise ProviderUnavailable(
                f"{method} {path}: HTTP {response.status_code}", status=response.status_code
            )
        if response.status_code >= 400 and response.status_code not in ok_statuses:
            raise ProviderRejected(
                f"{method} {path}: HTTP {response.status_code}",
                status=response.status_code,
                body=_body(response),
            )
        return response
    raise AssertionError("unreachable")


def _body(response: httpx.Response):
    try:
        return response.json()
    except ValueError:
        return response.text[:500]


def json_of(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError as exc:
        raise ProviderUnavailable("the provider answered something that is not JSON") from exc
    if not isinstance(data, dict):
        raise ProviderUnavailable("the provider answered an unexpected JSON shape")
    return data
