"""Reads, always scoped to what the actor may see. An object the actor may not see is
NotFound (404), never Forbidden: its existence is not revealed."""

from __future__ import annotations

import uuid

from django.db.models import F, QuerySet

from apps.core.errors import NotFound

from .models import Invitation, Membership, Organization, User
from .policy import can


def _uuid(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise NotFound()


def organizations_of(actor: User) -> QuerySet[Organization]:
    """The active organizations the actor is an active member of, with `my_role`."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return Organization.objects.none()
    return Organization.objects.filter(
        memberships__user=actor, memberships__is_active=True, is_active=True
    ).annotate(my_role=F("memberships__role"))


def organization_get(actor: User, public_id) -> Organization:
    org = organizations_of(actor).filter(public_id=_uuid(public_id)).first()
    if org is None or not can(actor, "identity.organization.view", org):
        raise NotFound()
    return org


def members_of(actor: User, organization: Organization) -> QuerySet[Membership]:
    if not can(actor, "identity.member.view", organization):
        raise NotFound()
    return Membership.objects.filter(organization=organization, is_active=True).select_related("user")


def membership_get(actor: User, organization: Organization, public_id) -> Membership:
    membership = members_of(actor, organization).filter(public_id=_uuid(public_id)).first()
    if membership is None:
        raise NotFound()
    return membership


def invitations_of(actor: User, organization: Organization) -> QuerySet[Invitation]:
    if not can(actor, "identity.member.invite", organization):
        return Invitation.objects.none()
    return Invitation.objects.filter(
        organization=organization, status=Invitation.Status.PENDING
    ).select_related("invited_by")


def invitation_get(actor: User, organization: Organization, public_id) -> Invitation:
    invitation = invitations_of(actor, organization).filter(public_id=_uuid(public_id)).first()
    if invitation is None:
        raise NotFound()
    return invitation
