"""REST of ads' advertising part (under /api/v1/ads/…): advertisers and their prepaid
balance, campaigns, creatives, the report, and the delivery endpoint the apps call. Thin:
parse, call services, render. Another advertiser's anything is a 404."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.pagination import CursorPagination
from apps.core.rest import idempotent
from apps.core.throttling import AnonThrottle, ScopedThrottle, UserThrottle

from ..contracts import AdContext
from ..models import TopUp
from ..selectors import advertiser_get, advertisers_visible_to
from ..services import advertisers as advertisers_service
from ..services import campaigns as svc
from ..services import delivery, reports, topups
from . import serializers_advertising as s


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _advertiser_out(row):
    row.balance = advertisers_service.balance_of(row)
    return s.AdsAdvertiserOut(row).data


class _Pages(CursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema(tags=["ads"])
class AdvertiserListView(APIView):
    """GET: the advertisers you run or read (your organizations', your own). POST: open your
    organization's advertiser (or your own, without `organization`): a verified identity is
    needed; opening again returns the same one."""

    @extend_schema(responses=s.AdsAdvertiserOut(many=True))
    def get(self, request, **kwargs):
        rows = advertisers_visible_to(request.user).select_related("organization").order_by("name")[:50]
        return Response([_advertiser_out(r) for r in rows])

    @extend_schema(request=s.AdsAdvertiserOpenIn, responses={201: s.AdsAdvertiserOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.AdsAdvertiserOpenIn, request.data)
        row = advertisers_service.advertiser_open(
            actor=request.user, organization=data.get("organization"), name=data.get("name", "")
        )
        return Response(_advertiser_out(row), status=status.HTTP_201_CREATED)


@extend_schema(tags=["ads"], responses=s.AdsAdvertiserOut)
class AdvertiserDetailView(APIView):
    """One advertiser with its prepaid ad balance."""

    def get(self, request, advertiser_id, **kwargs):
        return Response(_advertiser_out(advertiser_get(request.user, advertiser_id)))


@extend_schema(tags=["ads"])
class TopUpListView(APIView):
    """GET: the advertiser's top-ups. POST: top up the prepaid ad balance: a pay link (mobile
    money, card); the balance grows when the payment succeeds."""

    @extend_schema(responses=s.AdsTopUpOut(many=True))
    def get(self, request, advertiser_id, **kwargs):
        advertiser = advertiser_get(request.user, advertiser_id)
        return Response([s.AdsTopUpOut(t).data for t in TopUp.objects.filter(advertiser=advertiser)[:50]])

    @extend_schema(request=s.AdsTopUpIn, responses={201: s.AdsTopUpOut})
    @idempotent()
    def post(self, request, advertiser_id, **kwargs):
        data = _parse(s.AdsTopUpIn, request.data)
        advertiser = advertiser_get(request.user, advertiser_id, manage=True)
        row = topups.topup_create(
            actor=request.user,
            advertiser=advertiser,
            amount=data["amount"],
            phone=data.get("phone", ""),
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
        return Response(s.AdsTopUpOut(row).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["ads"],
    parameters=[
        OpenApiParameter("advertiser", OpenApiTypes.UUID, description="Only this advertiser's campaigns")
    ],
)
class CampaignListView(generics.ListAPIView):
    """GET: the campaigns of the advertisers you read (`advertiser` filters), newest first.
    POST: a draft campaign (pricing, bid, budgets, dates, targeting, placements)."""

    serializer_class = s.AdsCampaignOut
    pagination_class = _Pages

    def get_queryset(self):
        qs = svc.campaigns_of(self.request.user)
        advertiser = self.request.query_params.get("advertiser")
        if advertiser:
            qs = qs.filter(advertiser=advertiser_get(self.request.user, advertiser))
        return qs

    @extend_schema(request=s.AdsCampaignCreateIn, responses={201: s.AdsCampaignOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = dict(_parse(s.AdsCampaignCreateIn, request.data))
        advertiser = data.pop("advertiser")
        row = svc.campaign_create(actor=request.user, advertiser=advertiser, **data)
        return Response(s.AdsCampaignOut(row).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["ads"])
class CampaignDetailView(APIView):
    """GET: one campaign. PATCH: change it (anything while a draft; later its name, budgets,
    end date, targeting, placements)."""

    @extend_schema(responses=s.AdsCampaignOut)
    def get(self, request, campaign_id, **kwargs):
        return Response(s.AdsCampaignOut(svc.campaign_get(request.user, campaign_id)).data)

    @extend_schema(request=s.AdsCampaignUpdateIn, responses=s.AdsCampaignOut)
    def patch(self, request, campaign_id, **kwargs):
        data = _parse(s.AdsCampaignUpdateIn, request.data)
        return Response(
            s.AdsCampaignOut(svc.campaign_update(actor=request.user, campaign=campaign_id, **data)).data
        )


def _action(name: str, doc: str):
    service = getattr(svc, f"campaign_{name}")

    @extend_schema(tags=["ads"], request=None, responses=s.AdsCampaignOut)
    class View(APIView):
        __doc__ = doc

        @idempotent()
        def post(self, request, campaign_id, **kwargs):
            return Response(s.AdsCampaignOut(service(actor=request.user, campaign=campaign_id)).data)

    View.__name__ = View.__qualname__ = f"Campaign{name.capitalize()}View"
    return View


@extend_schema(tags=["ads"], request=s.AdsActivateIn, responses=s.AdsCampaignOut)
class CampaignActivateView(APIView):
    """Start or resume delivery (a prepaid balance is needed). A flat fee is charged now: send
    the step-up proof of that fee (`step_up_token`; without it: 403 `step_up_required`)."""

    @idempotent()
    def post(self, request, campaign_id, **kwargs):
        data = _parse(s.AdsActivateIn, request.data or {})
        row = svc.campaign_activate(
            actor=request.user, campaign=campaign_id, step_up_token=data.get("step_up_token") or None
        )
        return Response(s.AdsCampaignOut(row).data)


CampaignPauseView = _action("pause", "Pause delivery.")
CampaignEndView = _action("end", "End the campaign for good (what is left stays in the ad balance).")
CampaignArchiveView = _action("archive", "Archive a draft, paused, spent or ended campaign.")


@extend_schema(tags=["ads"])
class CreativeListView(APIView):
    """GET: the campaign's creatives. POST: add one — a promoted listing of your own (verified,
    online), an image banner (multipart `image`) or a text ad. Markup, scripts and images
    that are not plain pictures or too large are refused; banners and text ads wait for staff."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(responses=s.AdsCreativeOut(many=True))
    def get(self, request, campaign_id, **kwargs):
        campaign = svc.campaign_get(request.user, campaign_id)
        return Response([s.AdsCreativeOut(c).data for c in campaign.creatives.all()])

    @extend_schema(request=s.AdsCreativeIn, responses={201: s.AdsCreativeOut})
    @idempotent()
    def post(self, request, campaign_id, **kwargs):
        data = dict(_parse(s.AdsCreativeIn, request.data))
        image = data.pop("image", None)
        row = svc.creative_create(
            actor=request.user, campaign=campaign_id, image=image.read(s_max()) if image else None, **data
        )
        return Response(s.AdsCreativeOut(row).data, status=status.HTTP_201_CREATED)


def s_max() -> int:
    from django.conf import settings

    return settings.ADS_IMAGE_MAX_BYTES + 1


@extend_schema(tags=["ads"], request=None, responses={204: None})
class CreativeDetailView(APIView):
    """DELETE: remove a creative (delivery stops showing it)."""

    def delete(self, request, creative_id, **kwargs):
        svc.creative_remove(actor=request.user, creative=creative_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


def report_out(campaign) -> dict:
    total, days = reports.report(campaign)
    return s.AdsReportOut({"total": total, "days": days}).data


@extend_schema(tags=["ads"], responses=s.AdsReportOut)
class CampaignReportView(APIView):
    """Impressions, clicks, CTR, conversions, spend and cost per conversion, in total and per
    day (robots and duplicates not counted: `filtered` says how many)."""

    def get(self, request, campaign_id, **kwargs):
        return Response(report_out(svc.campaign_get(request.user, campaign_id)))


@extend_schema(tags=["ads"], parameters=[s.AdsServeParams], responses=s.AdsDeliveredOut(many=True))
class ServeView(APIView):
    """The ads to show in a placement of the apps or sites (anyone): each with its label
    « Sponsorisé » and signed beacons — load `impression_url` once when it is shown, open the
    ad through `click_url`."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonThrottle, UserThrottle, ScopedThrottle]
    throttle_scope = "ads.serve"

    def get(self, request, **kwargs):
        data = _parse(s.AdsServeParams, request.query_params.dict())
        viewer, language = delivery.viewer_of(request)
        ads = delivery.deliver(
            AdContext(
                placement=data["placement"],
                viewer=viewer,
                city=data.get("city", ""),
                neighbourhood=data.get("neighbourhood", ""),
                audience=data.get("audience", ""),
                language=language,
            ),
            count=data["count"],
        )
        return Response([s.AdsDeliveredOut(ad).data for ad in ads])
