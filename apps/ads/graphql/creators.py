"""GraphQL of ads' creators part, HokweCreatorStudio (fields named ads<Thing>; the same
services as REST: services/creators.py). A creator sees the open jobs and their own; an agency
member the jobs of the advertisers they read: another's job is null / not_found. Uploading a
file is REST only (multipart)."""

import graphene
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user, or_none
from apps.core.graphql.types import Amount, MoneyField, PublicIdField, UTCDateTime
from apps.identity.api import authenticated

from ..errors import CreatorNotFound
from ..models import Creator, CreatorJob
from ..services import creators as svc

AdsCreatorSkillEnum = graphene.Enum("AdsCreatorSkill", [(v.upper(), v) for v in Creator.Skill.values])
AdsJobKindEnum = graphene.Enum("AdsJobKind", [(v.upper(), v) for v in CreatorJob.Kind.values])
AdsJobStatusEnum = graphene.Enum("AdsJobStatus", [(v.upper(), v) for v in CreatorJob.Status.values])


def _url(name: str) -> str:
    return default_storage.url(name) if name else ""


class AdsCreatorType(graphene.ObjectType):
    class Meta:
        name = "AdsCreator"

    id = PublicIdField()
    display_name = graphene.String(required=True)
    skills = graphene.List(graphene.NonNull(graphene.String), required=True)
    city = graphene.String(required=True)
    bio = graphene.String(required=True)
    revenue_share = graphene.Boolean(required=True)
    suspended = graphene.Boolean(required=True)
    earnings = MoneyField(description=_("What Hokwe owes you now (not paid out yet)"))


def _creator(row) -> dict:
    return {
        "public_id": row.public_id,
        "display_name": row.display_name,
        "skills": row.skills,
        "city": row.city,
        "bio": row.bio,
        "revenue_share": row.revenue_share,
        "suspended": row.suspended,
        "earnings": svc.earnings_of(row.user),
        "currency": "XOF",
    }


class AdsDeliverableType(graphene.ObjectType):
    class Meta:
        name = "AdsDeliverable"

    id = PublicIdField()
    kind = graphene.String(required=True)
    status = graphene.String(required=True)
    review = graphene.String(required=True)
    caption = graphene.String(required=True)
    content_type = graphene.String(required=True)
    size = graphene.Int(required=True)
    duration_ms = graphene.Int()
    url = graphene.String(required=True, resolver=lambda d, info: _url(d.web.name))
    poster = graphene.String(required=True, resolver=lambda d, info: _url(d.poster.name))
    failure = graphene.String(required=True, resolver=lambda d, info: svc.failure_label(d.failure))
    attached = graphene.Boolean(required=True, resolver=lambda d, info: d.listing_photo is not None)
    created_at = UTCDateTime(required=True)


class AdsJobType(graphene.ObjectType):
    class Meta:
        name = "AdsJob"

    id = PublicIdField()
    advertiser = graphene.UUID(required=True, resolver=lambda j, info: j.advertiser.public_id)
    advertiser_name = graphene.String(required=True, resolver=lambda j, info: j.advertiser.name)
    listing = graphene.UUID(required=True)
    title = graphene.String(required=True)
    brief = graphene.String(required=True)
    kind = graphene.String(required=True)
    city = graphene.String(required=True)
    price = MoneyField()
    due_on = graphene.Date()
    revenue_share_bp = graphene.Int(required=True)
    status = graphene.String(required=True)
    creator = graphene.String(resolver=lambda j, info: j.creator.display_name if j.creator_id else None)
    feedback = graphene.String(required=True)
    payout_problem = graphene.String(required=True, resolver=lambda j, info: j.payout_failure)
    assigned_at = UTCDateTime()
    delivered_at = UTCDateTime()
    accepted_at = UTCDateTime()
    created_at = UTCDateTime(required=True)
    deliverables = graphene.List(graphene.NonNull(AdsDeliverableType), required=True)

    @staticmethod
    def resolve_deliverables(root, info):
        return list(svc.deliverables_of(root))


def _value(enum_value):
    return getattr(enum_value, "value", enum_value) if enum_value is not None else ""


class CreatorsQueries(graphene.ObjectType):
    ads_creator_me = graphene.Field(AdsCreatorType, description=_("Your creator profile."))
    ads_creator_open_jobs = graphene.List(
        graphene.NonNull(AdsJobType),
        required=True,
        city=graphene.String(),
        first=graphene.Int(default_value=50),
        description=_("Open jobs near you (your profile's city, or `city`), newest first."),
    )
    ads_creator_my_jobs = graphene.List(
        graphene.NonNull(AdsJobType),
        required=True,
        first=graphene.Int(default_value=50),
        description=_("The jobs you took, newest first."),
    )
    ads_creator_job = graphene.Field(
        AdsJobType,
        job_id=graphene.UUID(required=True),
        description=_("A job you took, or an open one you may take."),
    )
    ads_jobs = graphene.List(
        graphene.NonNull(AdsJobType),
        required=True,
        advertiser_id=graphene.UUID(),
        status=AdsJobStatusEnum(),
        first=graphene.Int(default_value=50),
        description=_("The creator jobs of the advertisers you read, newest first."),
    )
    ads_job = graphene.Field(
        AdsJobType,
        job_id=graphene.UUID(required=True),
        description=_("One of your advertisers' creator jobs."),
    )

    @staticmethod
    def resolve_ads_creator_me(root, info):
        row = svc.creator_of(authenticated(current_user(info)))
        return _creator(row) if row else None

    @staticmethod
    def resolve_ads_creator_open_jobs(root, info, city="", first=50):
        user = authenticated(current_user(info))
        try:
            return list(svc.open_jobs(user, city=city or "")[: clamp_first(first)])
        except CreatorNotFound:
            return []

    @staticmethod
    def resolve_ads_creator_my_jobs(root, info, first=50):
        user = authenticated(current_user(info))
        try:
            return list(svc.jobs_of_creator(user)[: clamp_first(first)])
        except CreatorNotFound:
            return []

    @staticmethod
    @or_none
    def resolve_ads_creator_job(root, info, job_id):
        return svc.job_for_creator(authenticated(current_user(info)), job_id)

    @staticmethod
    def resolve_ads_jobs(root, info, advertiser_id=None, status=None, first=50):
        user = authenticated(current_user(info))
        return list(
            svc.jobs_of_advertisers(user, advertiser=advertiser_id, status=_value(status))[
                : clamp_first(first)
            ]
        )

    @staticmethod
    @or_none
    def resolve_ads_job(root, info, job_id):
        return svc.job_for_agency(authenticated(current_user(info)), job_id)


class AdsCreatorSignup(HokweMutation):
    """Become a creator (KYC tier 1: your ID verified) or change your profile."""

    class Arguments:
        display_name = graphene.String(required=True)
        skills = graphene.List(graphene.NonNull(AdsCreatorSkillEnum), required=True)
        city = graphene.String()
        bio = graphene.String()
        revenue_share = graphene.Boolean()

    creator = graphene.Field(AdsCreatorType)

    @classmethod
    def perform(cls, info, user, *, display_name, skills, city="", bio="", revenue_share=False):
        row = svc.creator_signup(
            actor=user,
            display_name=display_name,
            skills=[_value(s) for s in skills],
            city=city or "",
            bio=bio or "",
            revenue_share=bool(revenue_share),
        )
        return {"creator": _creator(row)}


class AdsJobPost(HokweMutation):
    """Order content for one of your listings: the price is held on the advertiser's prepaid
    balance at once."""

    class Arguments:
        advertiser_id = graphene.UUID(required=True)
        listing_id = graphene.UUID(required=True)
        title = graphene.String(required=True)
        price = Amount(required=True)
        brief = graphene.String()
        kind = AdsJobKindEnum()
        due_on = graphene.Date()
        revenue_share_bp = graphene.Int()

    job = graphene.Field(AdsJobType)

    @classmethod
    def perform(cls, info, user, *, advertiser_id, listing_id, title, price, **fields):
        job = svc.job_post(
            actor=user,
            advertiser=advertiser_id,
            listing=listing_id,
            title=title,
            price=price,
            brief=fields.get("brief") or "",
            kind=_value(fields.get("kind")) or CreatorJob.Kind.PHOTO,
            due_on=fields.get("due_on"),
            revenue_share_bp=fields.get("revenue_share_bp") or 0,
        )
        return {"job": job}


def _job_mutation(class_name: str, doc: str, call, extra_args: dict | None = None):
    arguments = type("Arguments", (), {"job_id": graphene.UUID(required=True), **(extra_args or {})})

    def perform(cls, info, user, *, job_id, **kwargs):
        return {"job": call(user, job_id, **kwargs)}

    return type(
        class_name,
        (HokweMutation,),
        {
            "__doc__": doc,
            "Arguments": arguments,
            "job": graphene.Field(AdsJobType),
            "perform": classmethod(perform),
        },
    )


AdsJobTake = _job_mutation(
    "AdsJobTake",
    "Take an open job (one creator per job).",
    lambda user, job_id: svc.job_take(actor=user, job=job_id),
)
AdsJobDeliver = _job_mutation(
    "AdsJobDeliver",
    "Send the job's files for review.",
    lambda user, job_id: svc.job_deliver(actor=user, job=job_id),
)
AdsJobRequestChanges = _job_mutation(
    "AdsJobRequestChanges",
    "Send the delivery back to the creator with what to change.",
    lambda user, job_id, feedback: svc.job_request_changes(actor=user, job=job_id, feedback=feedback),
    {"feedback": graphene.String(required=True)},
)
AdsJobAccept = _job_mutation(
    "AdsJobAccept",
    "Accept the delivery: the held price goes to the creator, the approved photos to the listing.",
    lambda user, job_id: svc.job_accept(actor=user, job=job_id),
)
AdsJobCancel = _job_mutation(
    "AdsJobCancel",
    "Cancel a job not delivered yet: its price is released on your balance.",
    lambda user, job_id: svc.job_cancel(actor=user, job=job_id),
)


class AdsDeliverableReview(HokweMutation):
    """Approve or reject one file of a delivered job."""

    class Arguments:
        deliverable_id = graphene.UUID(required=True)
        approve = graphene.Boolean(required=True)

    deliverable = graphene.Field(AdsDeliverableType)

    @classmethod
    def perform(cls, info, user, *, deliverable_id, approve):
        return {
            "deliverable": svc.deliverable_review(actor=user, deliverable=deliverable_id, approve=approve)
        }


class CreatorsMutations(graphene.ObjectType):
    ads_creator_signup = AdsCreatorSignup.Field()
    ads_job_post = AdsJobPost.Field()
    ads_job_take = AdsJobTake.Field()
    ads_job_deliver = AdsJobDeliver.Field()
    ads_job_request_changes = AdsJobRequestChanges.Field()
    ads_job_accept = AdsJobAccept.Field()
    ads_job_cancel = AdsJobCancel.Field()
    ads_deliverable_review = AdsDeliverableReview.Field()
