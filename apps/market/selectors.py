"""Reads, always scoped to what the actor may see."""

# --- listings ---
from django.db.models import Q as _Q

from apps.identity import api as _identity


def listings_of(actor):
    """The listings the actor manages: its organizations' (manage roles: owner, manager) and
    its own as an independent owner. Newest first."""
    from .models import Listing

    if not getattr(actor, "is_authenticated", False):
        return Listing.objects.none()
    orgs = _identity.organization_ids_of(actor, _identity.MANAGE_ROLES)
    return Listing.objects.filter(_Q(organization_id__in=orgs) | _Q(owner_id=actor.pk)).order_by(
        "-created_at", "-id"
    )
