"""GraphQL of market's applications part: fields named market<Thing> (the same services as
REST: services/applications.py). A listing's applicants are its managers' only; another
organization's listing or application is null / not_found."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user, or_none
from apps.core.graphql.types import MoneyField, PublicIdField, UTCDateTime
from apps.identity.api import authenticated

from ..errors import ListingNotFound
from ..services import applications as svc


class MarketApplicationType(graphene.ObjectType):
    class Meta:
        name = "MarketApplication"

    id = PublicIdField()
    listing = graphene.UUID(required=True, resolver=lambda a, info: a.listing.public_id)
    listing_title = graphene.String(required=True, resolver=lambda a, info: a.listing.title)
    status = graphene.String(required=True)
    message = graphene.String(required=True)
    household_size = graphene.Int(required=True)
    monthly_income = MoneyField(currency="listing.currency", required=False)
    move_in = graphene.Date()
    decline_reason = graphene.String(required=True)
    created_at = UTCDateTime(required=True)
    decided_at = UTCDateTime()


class MarketApplicantType(graphene.ObjectType):
    class Meta:
        name = "MarketApplicant"

    application = graphene.Field(MarketApplicationType, required=True)
    name = graphene.String(required=True)
    phone = graphene.String(required=True)
    kyc_tier = graphene.Int(required=True)
    screening = graphene.UUID(resolver=lambda row, info: row.application.screening)
    screening_state = graphene.String(required=True)
    screening_label = graphene.String(required=True)


class ApplicationsQueries(graphene.ObjectType):
    market_my_applications = graphene.List(
        graphene.NonNull(MarketApplicationType),
        required=True,
        first=graphene.Int(default_value=50),
        description=_("Your applications, newest first."),
    )
    market_applicants = graphene.List(
        graphene.NonNull(MarketApplicantType),
        listing_id=graphene.UUID(required=True),
        description=_("The applicants of a listing you manage, with their screening state."),
    )

    @staticmethod
    def resolve_market_my_applications(root, info, first=50):
        return list(svc.applications_of(authenticated(current_user(info)))[: clamp_first(first)])

    @staticmethod
    @or_none
    def resolve_market_applicants(root, info, listing_id):
        actor = authenticated(current_user(info))
        try:
            return svc.applicants(actor, svc.managed_listing(actor, listing_id))
        except ListingNotFound:
            return None


class MarketApply(HokweMutation):
    """Apply to a published listing for rent (once while your application is live)."""

    class Arguments:
        listing_id = graphene.UUID(required=True)
        message = graphene.String()
        household_size = graphene.Int()
        monthly_income = graphene.Int()
        move_in = graphene.Date()

    application = graphene.Field(MarketApplicationType)

    @classmethod
    def perform(
        cls, info, user, *, listing_id, message="", household_size=1, monthly_income=None, move_in=None
    ):
        app = svc.apply(
            applicant=user,
            listing=svc.visible_listing(listing_id),
            message=message or "",
            household_size=household_size or 1,
            monthly_income=monthly_income,
            move_in=move_in,
        )
        return {"application": app}


class MarketWithdrawApplication(HokweMutation):
    """Give up your application (while it is submitted)."""

    class Arguments:
        application_id = graphene.UUID(required=True)

    application = graphene.Field(MarketApplicationType)

    @classmethod
    def perform(cls, info, user, *, application_id):
        app = svc.withdraw(actor=user, application=svc.application_of(user, application_id))
        return {"application": app}


class MarketAcceptApplication(HokweMutation):
    """Accept this applicant: the others declined, the listing reserved; answers the link to
    estate's new-lease form pre-filled."""

    class Arguments:
        application_id = graphene.UUID(required=True)

    application = graphene.Field(MarketApplicationType)
    lease_form_url = graphene.String()

    @classmethod
    def perform(cls, info, user, *, application_id):
        url = svc.accept(actor=user, application=application_id)
        return {"application": svc.application_for_manager(user, application_id), "lease_form_url": url}


class MarketDeclineApplication(HokweMutation):
    """Decline this applicant (the reason is sent to them)."""

    class Arguments:
        application_id = graphene.UUID(required=True)
        reason = graphene.String()

    application = graphene.Field(MarketApplicationType)

    @classmethod
    def perform(cls, info, user, *, application_id, reason=""):
        return {"application": svc.decline(actor=user, application=application_id, reason=reason or "")}


class ApplicationsMutations(graphene.ObjectType):
    market_apply = MarketApply.Field()
    market_withdraw_application = MarketWithdrawApplication.Field()
    market_accept_application = MarketAcceptApplication.Field()
    market_decline_application = MarketDeclineApplication.Field()
