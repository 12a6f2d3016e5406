"""Partners' reads, scoped to what the actor may see (another organization's key, endpoint or
delivery is a 404)."""

from __future__ import annotations

from uuid import UUID

from apps.core.errors import NotFound
from apps.identity import api as identity

from .models import ApiKey, Delivery, WebhookEndpoint


def managed_org_id(actor, public_id, permission: str = "partners.key.manage") -> int:
    """The organization `public_id` if the actor may `permission` there, else NotFound."""
    ids = identity.organization_ids([public_id]) if public_id else {}
    org_id = ids.get(UUID(str(public_id))) if ids else None
    if org_id is None or not identity.can(actor, permission, org_id):
        raise NotFound(field="organization")
    return org_id


def _org_ids(actor, permission: str) -> list[int]:
    return [org for org in identity.organization_ids_of(actor) if identity.can(actor, permission, org)]


def keys_for(actor, organization_id: int | None = None):
    orgs = _org_ids(actor, "partners.key.view")
    qs = ApiKey.objects.filter(organization_id__in=orgs).select_related("created_by")
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    return qs.order_by("-created_at", "-id")


def key_for(actor, public_id) -> ApiKey:
    try:
        return keys_for(actor).get(public_id=public_id)
    except (ApiKey.DoesNotExist, ValueError):
        raise NotFound()


def endpoints_for(actor, organization_id: int | None = None):
    orgs = _org_ids(actor, "partners.endpoint.view")
    qs = WebhookEndpoint.objects.filter(organization_id__in=orgs)
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    return qs.order_by("-created_at", "-id")


def endpoint_for(actor, public_id) -> WebhookEndpoint:
    try:
        return endpoints_for(actor).get(public_id=public_id)
    except (WebhookEndpoint.DoesNotExist, ValueError):
        raise NotFound()


def deliveries_for(actor, endpoint: WebhookEndpoint):
    endpoint_for(actor, endpoint.public_id)
    return (
        Delivery.objects.filter(endpoint=endpoint)
        .prefetch_related("attempt_log")
        .order_by("-created_at", "-id")
    )


def delivery_for(actor, public_id) -> Delivery:
    orgs = _org_ids(actor, "partners.endpoint.view")
    try:
        return Delivery.objects.select_related("endpoint").get(
            public_id=public_id, endpoint__organization_id__in=orgs
        )
    except (Delivery.DoesNotExist, ValueError):
        raise NotFound()
