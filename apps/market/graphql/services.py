"""GraphQL of market's services part: fields named market<Thing> (the same services as REST:
services/providers.py, services/quotes.py). A provider sees only the requests matching its
trades and zones or sent to it; another's request or quote is null / not_found."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user, or_none
from apps.core.graphql.types import Amount, MoneyField, PublicIdField, UTCDateTime
from apps.identity.api import authenticated

from ..errors import ProviderNotFound, QuoteRequestNotFound
from ..models import Trade
from ..services import providers, quotes

MarketTradeEnum = graphene.Enum("MarketTrade", [(t.upper(), t) for t in Trade.values])


class MarketZoneType(graphene.ObjectType):
    class Meta:
        name = "MarketZone"

    country = graphene.String(required=True)
    city = graphene.String(required=True)
    neighbourhood = graphene.String(required=True)


class MarketZoneInput(graphene.InputObjectType):
    class Meta:
        name = "MarketZoneInput"

    city = graphene.String(required=True)
    neighbourhood = graphene.String()


class MarketReviewType(graphene.ObjectType):
    class Meta:
        name = "MarketReview"

    rating = graphene.Int(required=True)
    comment = graphene.String(required=True)
    author = graphene.String(required=True, resolver=lambda r, info: (r.author.full_name or "").split(" ")[0])
    created_at = UTCDateTime(required=True)


class MarketProviderType(graphene.ObjectType):
    class Meta:
        name = "MarketProvider"

    id = PublicIdField()
    name = graphene.String(required=True)
    bio = graphene.String(required=True)
    phone = graphene.String(required=True)
    status = graphene.String(required=True)
    trades = graphene.List(graphene.NonNull(graphene.String), required=True)
    zones = graphene.List(graphene.NonNull(MarketZoneType), required=True)
    rating = graphene.Float(description=_("Average of the reviews (1 to 5), null without"))
    rating_count = graphene.Int(required=True)
    jobs_done = graphene.Int(required=True)
    reviews = graphene.List(graphene.NonNull(MarketReviewType), required=True)

    @staticmethod
    def resolve_reviews(root, info):
        return list(providers.reviews_of(root["row"])) if root.get("with_reviews") else []


def _provider(row, *, with_reviews=False) -> dict:
    return {**providers.profile(row), "row": row, "with_reviews": with_reviews}


class MarketQuoteType(graphene.ObjectType):
    class Meta:
        name = "MarketQuote"

    id = PublicIdField()
    request = graphene.UUID(required=True, resolver=lambda q, info: q.request.public_id)
    provider = graphene.UUID(required=True, resolver=lambda q, info: q.provider.public_id)
    provider_name = graphene.String(required=True, resolver=lambda q, info: q.provider.name)
    amount = MoneyField()
    message = graphene.String(required=True)
    valid_until = graphene.Date()
    status = graphene.String(required=True)
    paid_at = UTCDateTime()
    completed_at = UTCDateTime()
    created_at = UTCDateTime(required=True)


class MarketQuoteRequestType(graphene.ObjectType):
    class Meta:
        name = "MarketQuoteRequest"

    id = PublicIdField()
    trade = graphene.String(required=True)
    country = graphene.String(required=True)
    city = graphene.String(required=True)
    neighbourhood = graphene.String(required=True)
    description = graphene.String(required=True)
    wanted_by = graphene.Date()
    status = graphene.String(required=True)
    direct = graphene.Boolean(required=True, resolver=lambda r, info: bool(r.provider_id))
    maintenance_ticket = graphene.UUID()
    created_at = UTCDateTime(required=True)
    quotes = graphene.List(graphene.NonNull(MarketQuoteType), required=True)

    @staticmethod
    def resolve_quotes(root, info):
        user = current_user(info)
        if root.requester_id == getattr(user, "pk", None):
            return list(quotes.quotes_for_request(user, root))
        own = quotes.own_quote(user, root) if user else None
        return [own] if own else []


class MarketPaymentLinkType(graphene.ObjectType):
    class Meta:
        name = "MarketPaymentLink"

    intent = graphene.UUID(required=True, resolver=lambda i, info: i.public_id)
    status = graphene.String(required=True)
    amount = MoneyField()
    pay_url = graphene.String(required=True)


class ServicesQueries(graphene.ObjectType):
    public_fields = ("market_providers", "market_provider")  # the public directory and profiles

    market_providers = graphene.List(
        graphene.NonNull(MarketProviderType),
        required=True,
        trade=MarketTradeEnum(required=True),
        city=graphene.String(required=True),
        neighbourhood=graphene.String(),
        description=_("Active providers of a trade in a city (and neighbourhood), best rated first."),
    )
    market_provider = graphene.Field(
        MarketProviderType,
        provider_id=graphene.UUID(required=True),
        description=_("An active provider's public profile with its reviews."),
    )
    market_my_provider = graphene.Field(MarketProviderType, description=_("Your provider profile."))
    market_quote_requests = graphene.List(
        graphene.NonNull(MarketQuoteRequestType),
        required=True,
        first=graphene.Int(default_value=50),
        description=_("Your quote requests, newest first."),
    )
    market_matching_quote_requests = graphene.List(
        graphene.NonNull(MarketQuoteRequestType),
        required=True,
        first=graphene.Int(default_value=50),
        description=_("The open requests your provider profile may quote."),
    )
    market_quote_request = graphene.Field(
        MarketQuoteRequestType,
        request_id=graphene.UUID(required=True),
        description=_("Your quote request with its quotes, or a request you may quote."),
    )
    market_my_quotes = graphene.List(
        graphene.NonNull(MarketQuoteType),
        required=True,
        first=graphene.Int(default_value=50),
        description=_("Your provider profile's quotes (your jobs), newest first."),
    )

    @staticmethod
    def resolve_market_providers(root, info, trade, city, neighbourhood=""):
        value = getattr(trade, "value", trade)
        return [_provider(p) for p in providers.providers_for(value, city, neighbourhood or "")]

    @staticmethod
    @or_none
    def resolve_market_provider(root, info, provider_id):
        return _provider(providers.active_provider(provider_id), with_reviews=True)

    @staticmethod
    def resolve_market_my_provider(root, info):
        row = providers.provider_of(authenticated(current_user(info)))
        return _provider(providers.refresh_status(row)) if row else None

    @staticmethod
    def resolve_market_quote_requests(root, info, first=50):
        return list(quotes.requests_of(authenticated(current_user(info)))[: clamp_first(first)])

    @staticmethod
    def resolve_market_matching_quote_requests(root, info, first=50):
        user = authenticated(current_user(info))
        try:
            return list(quotes.requests_for_provider(user)[: clamp_first(first)])
        except ProviderNotFound:
            return []

    @staticmethod
    @or_none
    def resolve_market_quote_request(root, info, request_id):
        user = authenticated(current_user(info))
        try:
            return quotes.request_of(user, request_id)
        except QuoteRequestNotFound:
            return quotes.request_for_provider(user, request_id)

    @staticmethod
    def resolve_market_my_quotes(root, info, first=50):
        user = authenticated(current_user(info))
        try:
            return list(quotes.quotes_of_provider(user).select_related("provider")[: clamp_first(first)])
        except ProviderNotFound:
            return []


class MarketProviderSignup(HokweMutation):
    """Become a provider: active once your KYC allows it, pending until then."""

    class Arguments:
        name = graphene.String(required=True)
        phone = graphene.String(required=True)
        trades = graphene.List(graphene.NonNull(MarketTradeEnum), required=True)
        zones = graphene.List(graphene.NonNull(MarketZoneInput), required=True)
        bio = graphene.String()
        country = graphene.String()

    provider = graphene.Field(MarketProviderType)

    @classmethod
    def perform(cls, info, user, *, name, phone, trades, zones, bio="", country="BJ"):
        row = providers.provider_signup(
            user=user,
            name=name,
            phone=phone,
            trades=[getattr(t, "value", t) for t in trades],
            zones=[{"city": z.city, "neighbourhood": z.neighbourhood or ""} for z in zones],
            bio=bio or "",
            country=country or "BJ",
        )
        return {"provider": _provider(row)}


class MarketCreateQuoteRequest(HokweMutation):
    """Ask for quotes: open to every matching provider, or to one; an agency member may send
    one of its estate maintenance tickets."""

    class Arguments:
        trade = MarketTradeEnum(required=True)
        description = graphene.String()
        city = graphene.String()
        neighbourhood = graphene.String()
        country = graphene.String()
        wanted_by = graphene.Date()
        provider_id = graphene.UUID()
        organization_id = graphene.UUID()
        maintenance_ticket = graphene.UUID()

    quote_request = graphene.Field(MarketQuoteRequestType)

    @classmethod
    def perform(cls, info, user, *, trade, provider_id=None, organization_id=None, **fields):
        req = quotes.request_create(
            actor=user,
            trade=getattr(trade, "value", trade),
            provider=provider_id,
            organization=organization_id,
            description=fields.get("description") or "",
            city=fields.get("city") or "",
            neighbourhood=fields.get("neighbourhood") or "",
            country=fields.get("country") or "BJ",
            wanted_by=fields.get("wanted_by"),
            maintenance_ticket=fields.get("maintenance_ticket"),
        )
        return {"quote_request": req}


class MarketCancelQuoteRequest(HokweMutation):
    """Cancel your open quote request (its quotes are declined)."""

    class Arguments:
        request_id = graphene.UUID(required=True)

    quote_request = graphene.Field(MarketQuoteRequestType)

    @classmethod
    def perform(cls, info, user, *, request_id):
        return {
            "quote_request": quotes.request_cancel(actor=user, request=quotes.request_of(user, request_id))
        }


class MarketSendQuote(HokweMutation):
    """Quote a request you may see (amount in minor units, once while your quote is live)."""

    class Arguments:
        request_id = graphene.UUID(required=True)
        amount = Amount(required=True)
        message = graphene.String()
        valid_until = graphene.Date()

    quote = graphene.Field(MarketQuoteType)

    @classmethod
    def perform(cls, info, user, *, request_id, amount, message="", valid_until=None):
        row = quotes.quote_send(
            actor=user, request=request_id, amount=amount, message=message or "", valid_until=valid_until
        )
        return {"quote": row}


def _quote_mutation(class_name: str, service_name: str, doc: str):
    service = getattr(quotes, service_name)

    class Arguments:
        quote_id = graphene.UUID(required=True)

    def perform(cls, info, user, *, quote_id):
        service(actor=user, quote=quote_id)
        return {"quote": quotes.quote_for(user, quote_id)}

    return type(
        class_name,
        (HokweMutation,),
        {
            "__doc__": doc,
            "Arguments": Arguments,
            "quote": graphene.Field(MarketQuoteType),
            "perform": classmethod(perform),
        },
    )


MarketWithdrawQuote = _quote_mutation(
    "MarketWithdrawQuote", "quote_withdraw", "Withdraw your quote (while sent)."
)
MarketAcceptQuote = _quote_mutation(
    "MarketAcceptQuote", "quote_accept", "Accept this quote on your request: the other quotes are declined."
)
MarketMarkJobDone = _quote_mutation(
    "MarketMarkJobDone", "job_done", "The provider says the paid job is done."
)
MarketConfirmJobDone = _quote_mutation(
    "MarketConfirmJobDone", "job_confirm", "The requester confirms the job done: completed."
)


class MarketReviewJob(HokweMutation):
    """Rate the completed job (its requester, once, 1 to 5)."""

    class Arguments:
        quote_id = graphene.UUID(required=True)
        rating = graphene.Int(required=True)
        comment = graphene.String()

    quote = graphene.Field(MarketQuoteType)

    @classmethod
    def perform(cls, info, user, *, quote_id, rating, comment=""):
        quotes.review(actor=user, quote=quote_id, rating=rating, comment=comment or "")
        return {"quote": quotes.quote_for(user, quote_id)}


class MarketPayQuote(HokweMutation):
    """Pay the accepted quote: the payment link (one per quote) paid to the provider's wallet."""

    class Arguments:
        quote_id = graphene.UUID(required=True)

    payment = graphene.Field(MarketPaymentLinkType)

    @classmethod
    def perform(cls, info, user, *, quote_id):
        return {"payment": quotes.quote_pay(actor=user, quote=quote_id)}


class ServicesMutations(graphene.ObjectType):
    market_provider_signup = MarketProviderSignup.Field()
    market_create_quote_request = MarketCreateQuoteRequest.Field()
    market_cancel_quote_request = MarketCancelQuoteRequest.Field()
    market_send_quote = MarketSendQuote.Field()
    market_withdraw_quote = MarketWithdrawQuote.Field()
    market_accept_quote = MarketAcceptQuote.Field()
    market_pay_quote = MarketPayQuote.Field()
    market_mark_job_done = MarketMarkJobDone.Field()
    market_confirm_job_done = MarketConfirmJobDone.Field()
    market_review_job = MarketReviewJob.Field()
