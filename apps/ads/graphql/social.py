"""GraphQL of ads' social part (fields named ads<Thing>): the same services as REST
(services/social.py). The advertiser's connected Facebook pages (connect by OAuth: start,
callback, choose; disconnect), its posts and boosts with their imported results (publish a
listing, boost a post, retry a post the network did not receive). Another advertiser's page
or post is null (a query) or `not_found` (a mutation). No token is ever exposed. The
mutations that call the network are not atomic: the service commits before the call."""

import graphene
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user
from apps.core.graphql.types import Amount, MoneyField, PublicIdField, UTCDateTime
from apps.identity.api import authenticated

from ..errors import InvalidSocialPost
from ..services import social


def _or_none(func):
    """A refusal as not found (404: another advertiser's row) resolves to null."""

    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except DomainError as exc:
            if getattr(exc, "status", None) == 404:
                return None
            raise

    wrapper.__name__ = getattr(func, "__name__", "resolver")
    return wrapper


class AdsSocialConnectionType(graphene.ObjectType):
    class Meta:
        name = "AdsSocialConnection"

    id = PublicIdField()
    advertiser_id = graphene.UUID(required=True)
    page_id = graphene.String(required=True)
    page_name = graphene.String(required=True)
    instagram_account_id = graphene.String(required=True)
    ad_account_id = graphene.String(
        required=True, description=_("The Meta ad account boosts are paid from, if chosen")
    )
    status = graphene.String(required=True, description=_("active, expired or revoked"))
    token_expires_at = UTCDateTime()
    scopes = graphene.List(graphene.NonNull(graphene.String), required=True)
    created_at = UTCDateTime(required=True)

    @staticmethod
    def resolve_advertiser_id(row, info):
        return row.advertiser.public_id


class AdsSocialPostType(graphene.ObjectType):
    class Meta:
        name = "AdsSocialPost"

    id = PublicIdField()
    advertiser_id = graphene.UUID(required=True)
    connection_id = graphene.UUID(required=True)
    network = graphene.String(required=True, description=_("facebook or instagram"))
    kind = graphene.String(required=True, description=_("post or boost"))
    listing_id = graphene.UUID(required=True)
    message = graphene.String(required=True)
    status = graphene.String(
        required=True, description=_("pending, published, boosting, completed or failed")
    )
    external_id = graphene.String(required=True)
    external_ad_id = graphene.String(required=True)
    budget = MoneyField(required=False)
    starts_at = UTCDateTime()
    ends_at = UTCDateTime()
    error = graphene.String(required=True)
    impressions = graphene.Int(required=True)
    reach = graphene.Int(required=True)
    clicks = graphene.Int(required=True)
    spend = MoneyField()
    results_imported_at = UTCDateTime()
    created_at = UTCDateTime(required=True)

    @staticmethod
    def resolve_advertiser_id(row, info):
        return row.advertiser.public_id

    @staticmethod
    def resolve_connection_id(row, info):
        return row.connection.public_id

    @staticmethod
    def resolve_listing_id(row, info):
        return row.listing


class AdsSocialPageChoiceType(graphene.ObjectType):
    class Meta:
        name = "AdsSocialPageChoice"

    id = graphene.String(required=True)
    name = graphene.String(required=True)
    instagram_account_id = graphene.String(required=True)
    instagram_username = graphene.String(required=True)


class AdsSocialAdAccountChoiceType(graphene.ObjectType):
    class Meta:
        name = "AdsSocialAdAccountChoice"

    id = graphene.String(required=True)
    name = graphene.String(required=True)
    currency = graphene.String(required=True)


class SocialQueries(graphene.ObjectType):
    ads_social_connections = graphene.List(
        graphene.NonNull(AdsSocialConnectionType),
        required=True,
        advertiser_id=graphene.UUID(),
        first=graphene.Int(default_value=50),
        description=_("The Facebook pages connected by the advertisers you read, newest first."),
    )
    ads_social_connection = graphene.Field(
        AdsSocialConnectionType,
        connection_id=graphene.UUID(required=True),
        description=_("One connected page of an advertiser you read, else null."),
    )
    ads_social_posts = graphene.List(
        graphene.NonNull(AdsSocialPostType),
        required=True,
        advertiser_id=graphene.UUID(),
        first=graphene.Int(default_value=50),
        description=_("The posts and boosts of the advertisers you read, with their results, newest first."),
    )
    ads_social_post = graphene.Field(
        AdsSocialPostType,
        post_id=graphene.UUID(required=True),
        description=_("One post or boost of an advertiser you read, else null."),
    )

    @staticmethod
    def resolve_ads_social_connections(root, info, advertiser_id=None, first=50):
        user = authenticated(current_user(info))
        try:
            advertiser = social.advertiser_get(user, advertiser_id) if advertiser_id else None
        except DomainError:
            return []
        return list(social.connections_visible_to(user, advertiser=advertiser)[: clamp_first(first)])

    @staticmethod
    @_or_none
    def resolve_ads_social_connection(root, info, connection_id):
        return social.connection_get(authenticated(current_user(info)), connection_id)

    @staticmethod
    def resolve_ads_social_posts(root, info, advertiser_id=None, first=50):
        user = authenticated(current_user(info))
        try:
            advertiser = social.advertiser_get(user, advertiser_id) if advertiser_id else None
        except DomainError:
            return []
        return list(social.posts_visible_to(user, advertiser=advertiser)[: clamp_first(first)])

    @staticmethod
    @_or_none
    def resolve_ads_social_post(root, info, post_id):
        return social.post_get(authenticated(current_user(info)), post_id)


def _callback_uri(info) -> str:
    return info.context.build_absolute_uri(reverse("manager:ads-social-callback"))


class AdsSocialConnectStart(HokweMutation):
    """Start connecting a Facebook page: the dialog URL to open (its state is valid once,
    15 minutes, for you and this advertiser)."""

    class Arguments:
        advertiser_id = graphene.UUID(description=_("The advertiser (default: your only one)"))

    dialog_url = graphene.String()

    @classmethod
    def perform(cls, info, user, *, advertiser_id=None):
        advertiser = social.advertiser_for(user, advertiser_id, manage=True)
        return {
            "dialog_url": social.connect_start(
                actor=user, advertiser=advertiser, redirect_uri=_callback_uri(info)
            )
        }


class AdsSocialConnectCallback(HokweMutation):
    """The dialog's state and code: the pages (and ad accounts) to choose from, and the
    `pending` key to pass with the choice. A state is used once."""

    atomic = False

    class Arguments:
        state = graphene.String(required=True)
        code = graphene.String(required=True)

    pending = graphene.String()
    advertiser_id = graphene.UUID()
    pages = graphene.List(graphene.NonNull(AdsSocialPageChoiceType))
    ad_accounts = graphene.List(graphene.NonNull(AdsSocialAdAccountChoiceType))
    sandbox = graphene.Boolean()

    @classmethod
    def perform(cls, info, user, *, state, code):
        pending = social.connect_callback(actor=user, state=state, code=code)
        return {
            "pending": pending.key,
            "advertiser_id": pending.advertiser.public_id,
            "pages": pending.pages,
            "ad_accounts": pending.ad_accounts,
            "sandbox": pending.sandbox,
        }


class AdsSocialConnectChoose(HokweMutation):
    """Connect the page chosen after the callback (and the ad account for boosts)."""

    class Arguments:
        pending = graphene.String(required=True)
        page_id = graphene.String(required=True)
        ad_account_id = graphene.String(default_value="")

    connection = graphene.Field(AdsSocialConnectionType)

    @classmethod
    def perform(cls, info, user, *, pending, page_id, ad_account_id=""):
        row = social.connect_choose(
            actor=user, key=pending, page_id=page_id, ad_account_id=ad_account_id or ""
        )
        return {"connection": row}


class AdsSocialDisconnect(HokweMutation):
    """Hokwe forgets the page's access (its tokens are erased; the posts and results stay)."""

    class Arguments:
        connection_id = graphene.UUID(required=True)

    connection = graphene.Field(AdsSocialConnectionType)

    @classmethod
    def perform(cls, info, user, *, connection_id):
        row = social.connection_get(user, connection_id, manage=True)
        return {"connection": social.connection_disconnect(actor=user, connection=row)}


class AdsSocialPublish(HokweMutation):
    """Publish your published listing on the page (facebook) or its Instagram account
    (instagram). The post's status says whether the network took it; the same
    idempotencyKey again returns the same post, published once."""

    atomic = False

    class Arguments:
        connection_id = graphene.UUID(required=True)
        listing = graphene.String(required=True, description=_("Your published listing: its id or its link"))
        network = graphene.String(default_value="facebook")
        message = graphene.String(default_value="")
        idempotency_key = graphene.String()

    post = graphene.Field(AdsSocialPostType)

    @classmethod
    def perform(
        cls, info, user, *, connection_id, listing, network="facebook", message="", idempotency_key=None
    ):
        connection = social.connection_get(user, connection_id, manage=True)
        if len(message or "") > social.MAX_MESSAGE:
            raise InvalidSocialPost(_("The message is too long (2,000 characters at most)."), field="message")
        post = social.post_publish(
            actor=user,
            connection=connection,
            listing=listing,
            network=network,
            message=message or "",
            idempotency_key=idempotency_key,
        )
        return {"post": post}


class AdsSocialBoost(HokweMutation):
    """Boost a published Facebook post: a housing ad on your own Meta ad account, the budget
    spent by Meta between the dates (Hokwe charges nothing). The same idempotencyKey again
    returns the same boost."""

    atomic = False

    class Arguments:
        post_id = graphene.UUID(required=True)
        budget = Amount(required=True)
        starts_at = UTCDateTime(required=True)
        ends_at = UTCDateTime(required=True)
        idempotency_key = graphene.String()

    post = graphene.Field(AdsSocialPostType)

    @classmethod
    def perform(cls, info, user, *, post_id, budget, starts_at, ends_at, idempotency_key=None):
        post = social.post_get(user, post_id, manage=True)
        boost = social.post_boost(
            actor=user,
            post=post,
            budget=budget,
            starts_at=starts_at,
            ends_at=ends_at,
            idempotency_key=idempotency_key,
        )
        return {"post": boost}


class AdsSocialRetry(HokweMutation):
    """Send again a post (or boost) the network did not receive (still pending)."""

    atomic = False

    class Arguments:
        post_id = graphene.UUID(required=True)

    post = graphene.Field(AdsSocialPostType)

    @classmethod
    def perform(cls, info, user, *, post_id):
        post = social.post_get(user, post_id, manage=True)
        return {"post": social.post_retry(actor=user, post=post)}


class SocialMutations(graphene.ObjectType):
    ads_social_connect_start = AdsSocialConnectStart.Field()
    ads_social_connect_callback = AdsSocialConnectCallback.Field()
    ads_social_connect_choose = AdsSocialConnectChoose.Field()
    ads_social_disconnect = AdsSocialDisconnect.Field()
    ads_social_publish = AdsSocialPublish.Field()
    ads_social_boost = AdsSocialBoost.Field()
    ads_social_retry = AdsSocialRetry.Field()
