"""GraphQL of scoring's valuation part (fields named scoring<Thing>): the same service as REST
(services/valuation.py estimate_for): a unit's estimates for a manager of its organization."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.mutations import current_user, or_none
from apps.core.graphql.types import MoneyField
from apps.identity.api import authenticated

from ..services import valuation


class ScoringValuationType(graphene.ObjectType):
    unit = graphene.UUID(required=True)
    rent = MoneyField(required=False, description=_("The monthly rent estimate"))
    rent_low = MoneyField(required=False)
    rent_high = MoneyField(required=False)
    price = MoneyField(
        required=False, description=_("A sale price estimate: 12 months of rent at the kind's gross yield")
    )
    price_low = MoneyField(required=False)
    price_high = MoneyField(required=False)
    current_rent = MoneyField(required=False)
    method = graphene.String(required=True, description=_("blend, model, comparables or none"))
    comparables = graphene.Int(required=True)
    model_version = graphene.String(required=True)
    computed_on = graphene.Date(required=True)


class ValuationQueries(graphene.ObjectType):
    scoring_unit_valuation = graphene.Field(
        ScoringValuationType,
        unit_id=graphene.UUID(required=True),
        description=_("A unit's rent and sale price estimates with their range (null if it is not yours)."),
    )

    @staticmethod
    @or_none
    def resolve_scoring_unit_valuation(root, info, unit_id):
        return valuation.estimate_for(authenticated(current_user(info)), unit_id)


class ValuationMutations(graphene.ObjectType):
    pass
