"""One httpx client setup for the providers: timeouts, connection retries, no redirects."""

import httpx
from django.conf import settings


def client(base_url: str, **kwargs) -> httpx.Client:
    return httpx.Client(
        base_url=base_url,
        timeout=httpx.Timeout(settings.KYC_HTTP_TIMEOUT_SECONDS),
        transport=httpx.HTTPTransport(retries=2),
        follow_redirects=False,
        **kwargs,
    )
