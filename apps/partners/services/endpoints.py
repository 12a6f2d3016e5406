"""Webhook endpoints of an organization: an https URL (in production), the events it wants,
a signing secret `whsec_…` shown once (rotatable with an overlap), disabled after persistent
failure and enabled again by a manager."""

from __future__ import annotations

import ipaddress
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.identity import api as identity

from ..contracts import EventType
from ..errors import InvalidEndpointUrl, InvalidEvents
from ..models import WebhookEndpoint


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _internal_host(host: str) -> bool:
    """A name or an address literal of our own network (production refuses them: a webhook
    must not reach the cluster's inside). Names are not resolved here."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal", ".svc", ".cluster.local")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host  # a bare name (`redis`, `postgres`): a service of the cluster
    return not address.is_global


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    allowed = ("https",) if settings.PARTNERS_WEBHOOK_REQUIRE_HTTPS else ("https", "http")
    if parts.scheme not in allowed or not parts.hostname or parts.username or parts.password:
        raise InvalidEndpointUrl(field="url")
    if settings.PARTNERS_WEBHOOK_REQUIRE_HTTPS and _internal_host(parts.hostname):
        raise InvalidEndpointUrl(field="url")
    if len(url) > 500:
        raise InvalidEndpointUrl(field="url")
    return url


def _clean_events(events) -> list[str]:
    values = sorted({str(e) for e in events or ()})
    if not values or any(v not in EventType._value2member_map_ for v in values):
        raise InvalidEvents(field="events")
    return values


def endpoint_create(
    *, actor, organization_id: int, url: str, events, description: str = ""
) -> WebhookEndpoint:
    """The new endpoint; its `secret` is shown to the caller once."""
    identity.require(actor, "partners.endpoint.manage", organization_id)
    return WebhookEndpoint.objects.create(
        organization_id=organization_id,
        url=_clean_url(url),
        events=_clean_events(events),
        description=(description or "").strip()[:200],
        secret=new_secret(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def endpoint_update(
    *, actor, endpoint: WebhookEndpoint, url=None, events=None, description=None, enabled=None
) -> WebhookEndpoint:
    identity.require(actor, "partners.endpoint.manage", endpoint.organization_id)
    with transaction.atomic():
        row = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if url is not None:
            row.url = _clean_url(url)
        if events is not None:
            row.events = _clean_events(events)
        if description is not None:
            row.description = description.strip()[:200]
        if enabled is True and row.status == WebhookEndpoint.Status.DISABLED:
            row.status, row.disabled_at, row.disabled_reason = WebhookEndpoint.Status.ACTIVE, None, ""
        elif enabled is False and row.status == WebhookEndpoint.Status.ACTIVE:
            row.status, row.disabled_at, row.disabled_reason = (
                WebhookEndpoint.Status.DISABLED,
                timezone.now(),
                "manual",
            )
        row.save()
    return row


def endpoint_rotate_secret(
    *, actor, endpoint: WebhookEndpoint, now: datetime | None = None
) -> WebhookEndpoint:
    """A new secret; the old one keeps signing beside it (a second v1) for the overlap."""
    identity.require(actor, "partners.endpoint.manage", endpoint.organization_id)
    now = now or timezone.now()
    with transaction.atomic():
        row = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        row.previous_secret = row.secret
        row.previous_secret_expires_at = now + timedelta(hours=settings.PARTNERS_WEBHOOK_SECRET_OVERLAP_HOURS)
        row.secret = new_secret()
        row.save()
    return row


def signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    live = [endpoint.secret]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_expires_at
        and endpoint.previous_secret_expires_at > now
    ):
        live.append(endpoint.previous_secret)
    return live
