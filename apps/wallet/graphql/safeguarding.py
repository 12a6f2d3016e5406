"""GraphQL of the wallet's safeguarding part (fields named wallet<Thing>): the daily reports,
for finance and compliance staff (anyone else: a Forbidden error). Read-only: entering a
bank balance is a back-office act (admin)."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.mutations import clamp_first, current_user
from apps.core.graphql.types import MoneyField, PublicIdField, UTCDateTime
from apps.identity.api import authenticated

from ..services import safeguarding


class WalletSafeguardingReport(graphene.ObjectType):
    """One day's comparison in one currency: e-money outstanding against the trust bank
    balance; gap = safeguarded − outstanding (null when no bank balance is known)."""

    id = PublicIdField()
    day = graphene.Date(required=True)
    currency = graphene.String(required=True)
    status = graphene.String(required=True, description=_("balanced, gap or missing"))
    outstanding = MoneyField()
    safeguarded = MoneyField(required=False)
    gap = MoneyField(required=False)
    accounts = graphene.Int(required=True)
    source = graphene.String(required=True)
    computed_at = UTCDateTime(required=True)


class SafeguardingQueries(graphene.ObjectType):
    wallet_safeguarding_reports = graphene.List(
        graphene.NonNull(WalletSafeguardingReport),
        required=True,
        currency=graphene.String(),
        gaps_only=graphene.Boolean(default_value=False),
        first=graphene.Int(default_value=60),
        description=_("The daily safeguarding reports, newest first (finance and compliance staff)."),
    )

    @staticmethod
    def resolve_wallet_safeguarding_reports(root, info, currency=None, gaps_only=False, first=60):
        actor = authenticated(current_user(info))
        return list(
            safeguarding.reports_for(actor, currency=currency, gaps_only=gaps_only)[: clamp_first(first)]
        )


class SafeguardingMutations(graphene.ObjectType):
    pass
