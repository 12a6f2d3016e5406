"""A small httpx wrapper for the providers: timeouts, one quick retry on connection errors
for idempotent reads, and errors mapped to ProviderUnavailable / ProviderRejected."""

from __future__ import annotations

import httpx
from django.conf import settings

from .base import ProviderRejected, ProviderUnavailable


def client(base_url: str, headers: dict) -> httpx.Client:
    timeout = httpx.Timeout(
        settings.PAYMENT_HTTP_TIMEOUT_SECONDS, connect=min(5.0, settings.PAYMENT_HTTP_TIMEOUT_SECONDS)
    )
    return httpx.Client(base_url=base_url, headers=headers, timeout=timeout)


def request(
    http: httpx.Client, method: str, path: str, *, json=None, params=None, retry: bool = False, ok_statuses=()
) -> httpx.Response:
    tries = 2 if retry else 1
    for attempt in range(tries):
        try:
            response = http.request(method, path, json=json, params=params)
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
