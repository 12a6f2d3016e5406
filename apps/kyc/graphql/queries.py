"""KycQueries: my verification level, limits and submission; an organization's KYB."""

import graphene

from apps.core.errors import NotFound
from apps.core.graphql.mutations import current_user
from apps.core.graphql.types import deprecated_alias

from .. import selectors
from ..contracts import Tier
from ..models import Submission, TierChoices
from ..services.limits import how_to_raise
from .types import KybType, KycLimitsType, MyKycType


def detailed(submission):
    """The submission with its documents (and directors) loaded, for the types."""
    if submission is None:
        return None
    return selectors.with_details(Submission.objects.filter(pk=submission.pk)).get()


def resolve_kyc_mine(root, info):
    user = current_user(info)
    if user is None:
        return None
    tier = selectors.tier_of(user)
    country = selectors.country_of_user(user)
    return MyKycType(
        tier=tier,
        tier_label=str(TierChoices(tier).label),
        country=country,
        limits=selectors.limits(country=country, tier=tier),
        next_limits=selectors.limits(country=country, tier=tier + 1) if tier < Tier.FULL else None,
        how_to_raise=how_to_raise(tier),
        submission=detailed(selectors.open_submission(user) or selectors.latest_submission(user)),
    )


def resolve_kyc_my_limits(root, info):
    user = current_user(info)
    if user is None:
        return None
    return selectors.limits(country=selectors.country_of_user(user), tier=selectors.tier_of(user))


def kyb_of(org) -> KybType:
    """An organization's KYB: its open submission, else its latest one."""
    submission = selectors.open_business_submission(org.id) or selectors.latest_business_submission(org.id)
    return KybType(
        organization_id=org.public_id,
        verified=selectors.organization_verified(org.id),
        submission=detailed(submission),
    )


def resolve_kyc_organization_kyb(root, info, organization_id):
    try:
        org = selectors.organization_for(current_user(info), organization_id)
    except NotFound:
        return None
    return kyb_of(org)


class KycQueries(graphene.ObjectType):
    kyc_mine = graphene.Field(
        MyKycType,
        description="My verification level, limits and verification (null when anonymous)",
        resolver=resolve_kyc_mine,
    )
    kyc_my_limits = graphene.Field(
        KycLimitsType, description="The limits of my verification level", resolver=resolve_kyc_my_limits
    )
    kyc_organization_kyb = graphene.Field(
        KybType,
        organization_id=graphene.UUID(required=True),
        description="An organization's business verification",
        resolver=resolve_kyc_organization_kyb,
    )

    # the names before the module prefix (docs/api.md, "GraphQL naming")
    my_kyc = deprecated_alias(kyc_mine, use="kycMine")
    my_kyc_limits = deprecated_alias(kyc_my_limits, use="kycMyLimits")
    organization_kyb = deprecated_alias(kyc_organization_kyb, use="kycOrganizationKyb")
