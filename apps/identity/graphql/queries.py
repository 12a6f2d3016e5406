"""IdentityQueries: me, my organizations, an organization, its members and invitations.
An organization the user may not see resolves to null (or an empty list), the same answer
as for one that does not exist."""

import graphene

from apps.core.errors import NotFound
from apps.core.graphql.mutations import current_user, or_none
from apps.core.graphql.types import deprecated_alias

from .. import selectors
from ..policy import can
from .types import InvitationType, MembershipType, OrganizationType, SecurityType, UserType


def resolve_identity_me(root, info):
    return current_user(info)


def resolve_identity_my_organizations(root, info):
    user = current_user(info)
    return list(selectors.organizations_of(user).order_by("name")) if user else []


@or_none
def resolve_identity_organization(root, info, id):
    return selectors.organization_get(current_user(info), id)


def resolve_identity_organization_members(root, info, organization_id):
    user = current_user(info)
    try:
        org = selectors.organization_get(user, organization_id)
    except NotFound:
        return []
    info.context.identity_show_phones = can(user, "identity.member.invite", org)
    return list(selectors.members_of(user, org).order_by("created_at"))


def resolve_identity_organization_invitations(root, info, organization_id):
    user = current_user(info)
    try:
        org = selectors.organization_get(user, organization_id)
    except NotFound:
        return []
    return list(selectors.invitations_of(user, org).order_by("-created_at"))


def resolve_identity_security(root, info):
    from ..services import protection, second_factor

    user = current_user(info)
    if user is None:
        return None
    hold = protection.hold_of(user)
    return {
        "factors": second_factor.factors_of(user),
        "must_enrol": protection.must_enrol(user),
        "recovery_codes_left": second_factor.recovery_codes_left(user),
        "held_until": hold.until if hold else None,
    }


class IdentityQueries(graphene.ObjectType):
    identity_security = graphene.Field(
        SecurityType,
        description="My second factors, whether I must enrol one, and the SIM-swap hold (null when anonymous)",
        resolver=resolve_identity_security,
    )
    identity_me = graphene.Field(
        UserType, description="The logged-in user (null when anonymous)", resolver=resolve_identity_me
    )
    identity_my_organizations = graphene.List(
        graphene.NonNull(OrganizationType), required=True, resolver=resolve_identity_my_organizations
    )
    identity_organization = graphene.Field(
        OrganizationType, id=graphene.UUID(required=True), resolver=resolve_identity_organization
    )
    identity_organization_members = graphene.List(
        graphene.NonNull(MembershipType),
        organization_id=graphene.UUID(required=True),
        required=True,
        resolver=resolve_identity_organization_members,
    )
    identity_organization_invitations = graphene.List(
        graphene.NonNull(InvitationType),
        organization_id=graphene.UUID(required=True),
        required=True,
        resolver=resolve_identity_organization_invitations,
    )

    # the names before the module prefix (docs/api.md, "GraphQL naming")
    me = deprecated_alias(identity_me, use="identityMe")
    my_organizations = deprecated_alias(identity_my_organizations, use="identityMyOrganizations")
    organization = deprecated_alias(identity_organization, use="identityOrganization")
    organization_members = deprecated_alias(identity_organization_members, use="identityOrganizationMembers")
    organization_invitations = deprecated_alias(
        identity_organization_invitations, use="identityOrganizationInvitations"
    )
