"""Reads, always scoped to the actor. Each part appends its own under `# --- <part> ---`."""

from __future__ import annotations

from django.db.models import Q

from apps.identity import api as identity
from apps.identity.contracts import MANAGE_ROLES, READ_ROLES

from .errors import AdvertiserNotFound
from .models import Advertiser


def advertisers_visible_to(actor, *, manage: bool = False):
    """The advertisers whose ads `actor` reads (manage: runs): its organizations' (members
    read, managers run) and its own as an independent advertiser."""
    if actor is None or not actor.is_authenticated:
        return Advertiser.objects.none()
    roles = MANAGE_ROLES if manage else READ_ROLES
    org_ids = identity.organization_ids_of(actor, roles=roles)
    return Advertiser.objects.filter(
        Q(organization_id__in=org_ids) | Q(owner_id=actor.pk, organization__isnull=True)
    )


def advertiser_get(actor, public_id, *, manage: bool = False) -> Advertiser:
    """One advertiser `actor` may read (manage: run), else AdvertiserNotFound (never another's)."""
    row = (
        advertisers_visible_to(actor, manage=manage).filter(public_id=public_id).first()
        if public_id
        else None
    )
    if row is None:
        raise AdvertiserNotFound()
    return row


def advertiser_of(actor, *, organization=None, manage: bool = False) -> Advertiser | None:
    """The actor's advertiser for `organization` (a public id), or their own independent one
    when no organization is given and they have one; else the only one they may use; None
    when none is open yet."""
    qs = advertisers_visible_to(actor, manage=manage).select_related("organization")
    if organization:
        return qs.filter(organization__public_id=organization).first()
    rows = list(qs[:2])
    return rows[0] if len(rows) == 1 else next((r for r in rows if r.organization_id is None), None)
