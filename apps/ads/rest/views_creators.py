"""REST of HokweCreatorStudio (under /api/v1/ads/creators/…). Thin: parse, call
services/creators.py, render. A creator sees the open jobs and their own; an agency member
sees the jobs of the advertisers they read (runs, to write): another's job is a 404."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.gateway import body_limit
from apps.core.pagination import CursorPagination
from apps.core.rest import idempotent

from ..errors import CreatorNotFound
from ..models import CreatorJob
from ..services import creators as svc
from . import serializers_creators as s


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-id")


def creator_data(creator) -> dict:
    return {
        "public_id": creator.public_id,
        "display_name": creator.display_name,
        "skills": creator.skills,
        "city": creator.city,
        "bio": creator.bio,
        "revenue_share": creator.revenue_share,
        "suspended": creator.suspended,
        "earnings": svc.earnings_of(creator.user),
        "currency": "XOF",
    }


def _detail(job):
    job.deliverable_rows = list(svc.deliverables_of(job))
    return s.AdsJobDetailOut(job).data


def _query(view, serializer_class):
    return _parse(serializer_class, view.request.query_params)


# --- the creator ---


@extend_schema(tags=["ads"], responses=s.AdsCreatorOut)
class CreatorMeView(APIView):
    """GET: your creator profile (404 without one). PUT: become a creator (KYC tier 1, your ID
    verified) or change your profile. Payouts go to your login number."""

    def get(self, request, **kwargs):
        creator = svc.creator_of(request.user)
        if creator is None:
            raise CreatorNotFound()
        return Response(s.AdsCreatorOut(creator_data(creator)).data)

    @extend_schema(request=s.AdsCreatorIn, responses=s.AdsCreatorOut)
    def put(self, request, **kwargs):
        data = _parse(s.AdsCreatorIn, request.data)
        creator = svc.creator_signup(actor=request.user, **data)
        return Response(s.AdsCreatorOut(creator_data(creator)).data)


@extend_schema(tags=["ads"], parameters=[s.AdsOpenJobQuery])
class OpenJobListView(generics.ListAPIView):
    """Open jobs near you (your profile's city, or `city`), newest first."""

    serializer_class = s.AdsJobOut
    pagination_class = NewestFirst

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CreatorJob.objects.none()
        q = _query(self, s.AdsOpenJobQuery)
        return svc.open_jobs(self.request.user, city=q["city"])


@extend_schema(tags=["ads"])
class MyJobListView(generics.ListAPIView):
    """The jobs you took, newest first."""

    serializer_class = s.AdsJobOut
    pagination_class = NewestFirst

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CreatorJob.objects.none()
        return svc.jobs_of_creator(self.request.user)


@extend_schema(tags=["ads"], responses=s.AdsJobDetailOut)
class CreatorJobDetailView(APIView):
    """A job you took (with its files), or an open one you may take."""

    def get(self, request, job_id, **kwargs):
        return Response(_detail(svc.job_for_creator(request.user, job_id)))


@extend_schema(tags=["ads"], request=None, responses=s.AdsJobDetailOut)
class JobTakeView(APIView):
    """Take an open job (one creator per job: 409 when another took it first)."""

    def post(self, request, job_id, **kwargs):
        return Response(_detail(svc.job_take(actor=request.user, job=job_id)))


@extend_schema(
    tags=["ads"], request={"multipart/form-data": s.AdsDeliverableIn}, responses={201: s.AdsDeliverableOut}
)
@body_limit(settings.ADS_CREATOR_VIDEO_MAX_BYTES + 512 * 1024)
class DeliverableUploadView(APIView):
    """Add a photo or a video to a job you took (multipart `file`): its type is read from its
    bytes, its size capped, the antivirus scans it; a video is converted for the web (status
    `processing`, then `ready` or `failed`)."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @idempotent()
    def post(self, request, job_id, **kwargs):
        job = svc.job_for_creator(request.user, job_id)
        data = _parse(s.AdsDeliverableIn, request.data)
        item = svc.deliverable_upload(
            actor=request.user, job=job, upload=data["file"], caption=data["caption"]
        )
        return Response(s.AdsDeliverableOut(item).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["ads"], request=None, responses=s.AdsJobDetailOut)
class JobDeliverView(APIView):
    """Send the job's files for review."""

    def post(self, request, job_id, **kwargs):
        return Response(_detail(svc.job_deliver(actor=request.user, job=job_id)))


# --- the agency ---


@extend_schema(tags=["ads"], parameters=[s.AdsJobQuery])
class AgencyJobListView(generics.ListAPIView):
    """GET: the jobs of the advertisers you read, newest first. POST: order content for one of
    your listings; its price is held on the advertiser's prepaid balance at once."""

    serializer_class = s.AdsJobOut
    pagination_class = NewestFirst

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CreatorJob.objects.none()
        q = _query(self, s.AdsJobQuery)
        return svc.jobs_of_advertisers(self.request.user, advertiser=q["advertiser"], status=q["status"])

    @extend_schema(request=s.AdsJobIn, responses={201: s.AdsJobOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.AdsJobIn, request.data)
        job = svc.job_post(actor=request.user, **data)
        return Response(s.AdsJobOut(job).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["ads"], responses=s.AdsJobDetailOut)
class AgencyJobDetailView(APIView):
    """One of your advertisers' jobs with its files."""

    def get(self, request, job_id, **kwargs):
        return Response(_detail(svc.job_for_agency(request.user, job_id)))


@extend_schema(tags=["ads"], request=s.AdsReviewIn, responses=s.AdsDeliverableOut)
class DeliverableReviewView(APIView):
    """Approve or reject one file of a delivered job."""

    def post(self, request, deliverable_id, **kwargs):
        data = _parse(s.AdsReviewIn, request.data)
        item = svc.deliverable_review(
            actor=request.user, deliverable=deliverable_id, approve=data["decision"] == "approve"
        )
        return Response(s.AdsDeliverableOut(item).data)


@extend_schema(tags=["ads"], request=s.AdsFeedbackIn, responses=s.AdsJobDetailOut)
class JobChangesView(APIView):
    """Send the delivery back to the creator with what to change."""

    def post(self, request, job_id, **kwargs):
        data = _parse(s.AdsFeedbackIn, request.data)
        job = svc.job_request_changes(actor=request.user, job=job_id, feedback=data["feedback"])
        return Response(_detail(job))


@extend_schema(tags=["ads"], request=None, responses=s.AdsJobDetailOut)
class JobAcceptView(APIView):
    """Accept the delivery: the held price goes to the creator (paid out to their mobile
    money), the approved photos are added to the listing."""

    @idempotent()
    def post(self, request, job_id, **kwargs):
        return Response(_detail(svc.job_accept(actor=request.user, job=job_id)))


@extend_schema(tags=["ads"], request=None, responses=s.AdsJobDetailOut)
class JobCancelView(APIView):
    """Cancel a job not delivered yet: its price is released on your balance."""

    @idempotent()
    def post(self, request, job_id, **kwargs):
        return Response(_detail(svc.job_cancel(actor=request.user, job=job_id)))
