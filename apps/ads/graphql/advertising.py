"""GraphQL of ads' advertising part (fields named ads<Thing>): the same services as REST
(services/campaigns.py, topups.py, reports.py, delivery.py). Another advertiser's campaign is
null (a query) or `not_found` (a mutation). A banner's image is uploaded through REST
(multipart); GraphQL adds promoted listings and text ads."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user, or_none
from apps.core.graphql.types import Amount, MoneyField, PublicIdField

from ..contracts import AdContext
from ..selectors import advertiser_get, advertisers_visible_to
from ..services import advertisers as advertisers_service
from ..services import campaigns as svc
from ..services import delivery, reports, topups


class AdsAdvertiserType(graphene.ObjectType):
    class Meta:
        name = "AdsAdvertiser"

    id = PublicIdField()
    name = graphene.String(required=True)
    kind = graphene.String(required=True)
    balance = MoneyField(description=_("The prepaid ad balance"))
    suspended = graphene.Boolean(required=True)

    @staticmethod
    def resolve_balance(row, info):
        from apps.core.money import Money

        return Money(advertisers_service.balance_of(row), row.currency)


class AdsCreativeType(graphene.ObjectType):
    class Meta:
        name = "AdsCreative"

    id = PublicIdField()
    kind = graphene.String(required=True)
    listing = graphene.UUID()
    headline = graphene.String(required=True)
    body = graphene.String(required=True)
    link_url = graphene.String(required=True)
    status = graphene.String(required=True)
    rejection_reason = graphene.String(required=True)


class AdsReportLineType(graphene.ObjectType):
    class Meta:
        name = "AdsReportLine"

    day = graphene.Date()
    impressions = graphene.Int(required=True)
    clicks = graphene.Int(required=True)
    ctr_bp = graphene.Int(required=True, description=_("Clicks per impression in basis points (1 % = 100)"))
    conversions = graphene.Int(required=True)
    spend = MoneyField()
    cost_per_conversion = MoneyField(required=False)
    filtered = graphene.Int(required=True)


class AdsCampaignType(graphene.ObjectType):
    class Meta:
        name = "AdsCampaign"

    id = PublicIdField()
    advertiser_id = graphene.UUID(required=True)
    name = graphene.String(required=True)
    status = graphene.String(required=True)
    pricing = graphene.String(required=True)
    bid = MoneyField()
    total_budget = MoneyField()
    daily_budget = MoneyField(required=False)
    charged = MoneyField()
    starts_on = graphene.Date(required=True)
    ends_on = graphene.Date()
    placements = graphene.List(graphene.NonNull(graphene.String), required=True)
    cities = graphene.List(graphene.NonNull(graphene.String), required=True)
    impressions = graphene.Int(required=True)
    clicks = graphene.Int(required=True)
    conversions = graphene.Int(required=True)
    creatives = graphene.List(graphene.NonNull(AdsCreativeType), required=True)
    report = graphene.List(
        graphene.NonNull(AdsReportLineType), required=True, description=_("The total, then the last 31 days")
    )

    @staticmethod
    def resolve_advertiser_id(row, info):
        return row.advertiser.public_id

    @staticmethod
    def resolve_creatives(row, info):
        return list(row.creatives.all())

    @staticmethod
    def resolve_report(row, info):
        total, days = reports.report(row)
        return [total, *days]


class AdsDeliveredType(graphene.ObjectType):
    class Meta:
        name = "AdsDelivered"

    campaign_id = graphene.UUID(required=True)
    creative_id = graphene.UUID(required=True)
    kind = graphene.String(required=True)
    placement = graphene.String(required=True)
    listing_id = graphene.String(required=True)
    headline = graphene.String(required=True)
    body = graphene.String(required=True)
    image_url = graphene.String(required=True)
    link_url = graphene.String(required=True)
    impression_url = graphene.String(required=True)
    click_url = graphene.String(required=True)
    label = graphene.String(required=True)


class AdvertisingQueries(graphene.ObjectType):
    public_fields = ("ads_serve",)

    ads_advertisers = graphene.List(graphene.NonNull(AdsAdvertiserType), required=True)
    ads_campaigns = graphene.List(
        graphene.NonNull(AdsCampaignType), required=True, advertiser_id=graphene.UUID(), first=graphene.Int()
    )
    ads_campaign = graphene.Field(AdsCampaignType, campaign_id=graphene.UUID(required=True))
    ads_serve = graphene.List(
        graphene.NonNull(AdsDeliveredType),
        required=True,
        placement=graphene.String(required=True),
        city=graphene.String(),
        neighbourhood=graphene.String(),
        audience=graphene.String(),
        count=graphene.Int(),
        description=_("The ads to show in a placement, each with its label and signed beacons (anyone)."),
    )

    @staticmethod
    def resolve_ads_advertisers(root, info):
        user = current_user(info)
        return list(advertisers_visible_to(user).order_by("name")[:50]) if user else []

    @staticmethod
    def resolve_ads_campaigns(root, info, advertiser_id=None, first=None):
        user = current_user(info)
        if user is None:
            return []
        qs = svc.campaigns_of(user)
        if advertiser_id:
            try:
                qs = qs.filter(advertiser=advertiser_get(user, advertiser_id))
            except Exception:  # noqa: BLE001 -- not theirs: nothing
                return []
        return list(qs[: clamp_first(first)])

    @staticmethod
    @or_none
    def resolve_ads_campaign(root, info, campaign_id):
        user = current_user(info)
        return svc.campaign_get(user, campaign_id) if user else None

    @staticmethod
    def resolve_ads_serve(root, info, placement, city="", neighbourhood="", audience="", count=1):
        viewer, language = delivery.viewer_of(info.context)
        return delivery.deliver(
            AdContext(
                placement=placement,
                viewer=viewer,
                city=city or "",
                neighbourhood=neighbourhood or "",
                audience=audience or "",
                language=language,
            ),
            count=max(1, min(count or 1, 5)),
        )


class AdsAdvertiserOpen(HokweMutation):
    """Open your organization's advertiser (or your own, without an organization): a verified
    identity is needed; opening again returns the same one."""

    class Arguments:
        organization = graphene.UUID()
        name = graphene.String()

    advertiser = graphene.Field(AdsAdvertiserType)

    @classmethod
    def perform(cls, info, user, *, organization=None, name=""):
        return {
            "advertiser": advertisers_service.advertiser_open(
                actor=user, organization=organization, name=name or ""
            )
        }


class AdsCampaignInput(graphene.InputObjectType):
    class Meta:
        name = "AdsCampaignInput"

    name = graphene.String()
    pricing = graphene.String()
    bid = Amount()
    total_budget = Amount()
    daily_budget = Amount()
    starts_on = graphene.Date()
    ends_on = graphene.Date()
    placements = graphene.List(graphene.NonNull(graphene.String))
    cities = graphene.List(graphene.NonNull(graphene.String))
    neighbourhoods = graphene.List(graphene.NonNull(graphene.String))
    audiences = graphene.List(graphene.NonNull(graphene.String))
    languages = graphene.List(graphene.NonNull(graphene.String))
    frequency_cap = graphene.Int()


def _fields(data) -> dict:
    return {k: v for k, v in dict(data or {}).items() if v is not None or k in ("daily_budget", "ends_on")}


class AdsCampaignCreate(HokweMutation):
    """A draft campaign of an advertiser you run."""

    class Arguments:
        advertiser_id = graphene.UUID(required=True)
        fields = AdsCampaignInput(required=True)

    campaign = graphene.Field(AdsCampaignType)

    @classmethod
    def perform(cls, info, user, *, advertiser_id, fields):
        return {"campaign": svc.campaign_create(actor=user, advertiser=advertiser_id, **_fields(fields))}


class AdsCampaignUpdate(HokweMutation):
    """Change a campaign (anything while a draft; later its name, budgets, end date, targeting)."""

    class Arguments:
        campaign_id = graphene.UUID(required=True)
        fields = AdsCampaignInput(required=True)

    campaign = graphene.Field(AdsCampaignType)

    @classmethod
    def perform(cls, info, user, *, campaign_id, fields):
        data = {k: v for k, v in dict(fields).items() if v is not None}
        return {"campaign": svc.campaign_update(actor=user, campaign=campaign_id, **data)}


def _state_mutation(name: str, doc: str):
    service = getattr(svc, f"campaign_{name}")

    def perform(cls, info, user, *, campaign_id):
        return {"campaign": service(actor=user, campaign=campaign_id)}

    class Arguments:
        campaign_id = graphene.UUID(required=True)

    return type(
        f"AdsCampaign{name.capitalize()}",
        (HokweMutation,),
        {
            "__doc__": doc,
            "__module__": __name__,
            "Arguments": Arguments,
            "campaign": graphene.Field(AdsCampaignType),
            "perform": classmethod(perform),
        },
    )


class AdsCampaignActivate(HokweMutation):
    """Start or resume delivery (a prepaid balance is needed). A flat fee is charged now, with
    the step-up proof of that fee (`stepUpToken`)."""

    class Arguments:
        campaign_id = graphene.UUID(required=True)
        step_up_token = graphene.String()

    campaign = graphene.Field(AdsCampaignType)

    @classmethod
    def perform(cls, info, user, *, campaign_id, step_up_token=None):
        row = svc.campaign_activate(actor=user, campaign=campaign_id, step_up_token=step_up_token or None)
        return {"campaign": row}


AdsCampaignPause = _state_mutation("pause", "Pause delivery.")
AdsCampaignEnd = _state_mutation("end", "End the campaign for good.")
AdsCampaignArchive = _state_mutation("archive", "Archive a campaign that no longer runs.")


class AdsCreativeCreate(HokweMutation):
    """Add a promoted listing of your own (verified, online) or a text ad to a campaign
    (banners with their image: REST, multipart)."""

    class Arguments:
        campaign_id = graphene.UUID(required=True)
        kind = graphene.String(required=True)
        listing_id = graphene.UUID()
        headline = graphene.String()
        body = graphene.String()
        link_url = graphene.String()

    creative = graphene.Field(AdsCreativeType)

    @classmethod
    def perform(cls, info, user, *, campaign_id, kind, listing_id=None, headline="", body="", link_url=""):
        return {
            "creative": svc.creative_create(
                actor=user,
                campaign=campaign_id,
                kind=kind,
                listing=listing_id,
                headline=headline or "",
                body=body or "",
                link_url=link_url or "",
            )
        }


class AdsCreativeRemove(HokweMutation):
    class Arguments:
        creative_id = graphene.UUID(required=True)

    @classmethod
    def perform(cls, info, user, *, creative_id):
        svc.creative_remove(actor=user, creative=creative_id)
        return {}


class AdsTopUpCreate(HokweMutation):
    """Top up the prepaid ad balance: a pay link (mobile money, card)."""

    class Arguments:
        advertiser_id = graphene.UUID(required=True)
        amount = Amount(required=True)
        phone = graphene.String()
        idempotency_key = graphene.String()

    pay_url = graphene.String()
    topup_id = graphene.UUID()

    @classmethod
    def perform(cls, info, user, *, advertiser_id, amount, phone="", idempotency_key=""):
        row = topups.topup_create(
            actor=user,
            advertiser=advertiser_id,
            amount=amount,
            phone=phone or "",
            idempotency_key=idempotency_key or "",
        )
        return {"pay_url": row.pay_url, "topup_id": row.public_id}


class AdvertisingMutations(graphene.ObjectType):
    ads_advertiser_open = AdsAdvertiserOpen.Field()
    ads_campaign_create = AdsCampaignCreate.Field()
    ads_campaign_update = AdsCampaignUpdate.Field()
    ads_campaign_activate = AdsCampaignActivate.Field()
    ads_campaign_pause = AdsCampaignPause.Field()
    ads_campaign_end = AdsCampaignEnd.Field()
    ads_campaign_archive = AdsCampaignArchive.Field()
    ads_creative_create = AdsCreativeCreate.Field()
    ads_creative_remove = AdsCreativeRemove.Field()
    ads_top_up_create = AdsTopUpCreate.Field()
