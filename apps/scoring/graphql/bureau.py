"""GraphQL of scoring's bureau part (fields named scoring<Thing>): the tenant's consent to
credit bureau reporting — scoringMyBureauConsent, scoringGiveBureauConsent,
scoringWithdrawBureauConsent (services/bureau.py, as REST)."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.mutations import HokweMutation, current_user
from apps.core.graphql.types import UTCDateTime
from apps.identity.api import authenticated

from ..services import bureau
from ..services.tenant_view import consent_json


class ScoringBureauConsentType(graphene.ObjectType):
    given = graphene.Boolean(required=True)
    given_at = UTCDateTime()
    withdrawn_at = UTCDateTime()
    text_version = graphene.String(required=True)


def _consent(consent) -> dict:
    return consent_json(consent)


class BureauQueries(graphene.ObjectType):
    scoring_my_bureau_consent = graphene.Field(
        ScoringBureauConsentType,
        required=True,
        description=_("Whether your paid rents are reported to the credit bureau."),
    )

    @staticmethod
    def resolve_scoring_my_bureau_consent(root, info):
        return _consent(bureau.consent_of(authenticated(current_user(info))))


class ScoringGiveBureauConsent(HokweMutation):
    """Report your rents paid in full to the credit bureau each month (positive data only)."""

    consent = graphene.Field(ScoringBureauConsentType)

    @classmethod
    def perform(cls, info, user):
        return {"consent": _consent(bureau.give_consent(actor=user))}


class ScoringWithdrawBureauConsent(HokweMutation):
    """Stop reporting from the next monthly report on."""

    consent = graphene.Field(ScoringBureauConsentType)

    @classmethod
    def perform(cls, info, user):
        return {"consent": _consent(bureau.withdraw_consent(actor=user))}


class BureauMutations(graphene.ObjectType):
    scoring_give_bureau_consent = ScoringGiveBureauConsent.Field()
    scoring_withdraw_bureau_consent = ScoringWithdrawBureauConsent.Field()
