"""REST of market's applications (under /api/v1/market/…): the seeker applies, lists and
withdraws their applications; a listing's manager sees its applicants, accepts one (estate's
new-lease form pre-filled) or declines. Thin: parse, call services/applications.py, render.
Another organization's listing or application is a 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.pagination import CursorPagination
from apps.core.rest import idempotent

from ..models import Application
from ..services import applications as svc
from . import serializers_applications as s


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ApplicationPages(CursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema(tags=["market"])
class ApplicationListView(generics.ListAPIView):
    """GET: your applications, newest first. POST: apply to a published listing for rent
    (once while your application is live); the screening request follows by SMS."""

    serializer_class = s.MarketApplicationOut
    pagination_class = ApplicationPages

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        return svc.applications_of(self.request.user)

    @extend_schema(request=s.MarketApplyIn, responses={201: s.MarketApplicationOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.MarketApplyIn, request.data)
        app = svc.apply(
            applicant=request.user,
            listing=svc.visible_listing(data["listing"]),
            message=data["message"],
            household_size=data["household_size"],
            monthly_income=data["monthly_income"],
            move_in=data["move_in"],
        )
        return Response(s.MarketApplicationOut(app).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["market"], responses=s.MarketApplicationOut)
class ApplicationDetailView(APIView):
    """One of your applications."""

    def get(self, request, application_id, **kwargs):
        return Response(s.MarketApplicationOut(svc.application_of(request.user, application_id)).data)


@extend_schema(tags=["market"], request=None, responses=s.MarketApplicationOut)
class ApplicationWithdrawView(APIView):
    """Give up your application (while it is submitted)."""

    def post(self, request, application_id, **kwargs):
        app = svc.withdraw(actor=request.user, application=svc.application_of(request.user, application_id))
        return Response(s.MarketApplicationOut(app).data)


@extend_schema(tags=["market"], responses=s.MarketApplicantOut(many=True))
class ApplicantListView(APIView):
    """The applicants of a listing you manage (accepted and live first), with their screening
    state."""

    def get(self, request, listing_id, **kwargs):
        listing = svc.managed_listing(request.user, listing_id)
        return Response([s.MarketApplicantOut(row).data for row in svc.applicants(request.user, listing)])


@extend_schema(tags=["market"], request=None, responses=s.MarketAcceptOut)
class ApplicationAcceptView(APIView):
    """Accept this applicant: the other live applications are declined (each told), the
    listing reserved; answers the link to estate's new-lease form pre-filled."""

    def post(self, request, application_id, **kwargs):
        url = svc.accept(actor=request.user, application=application_id)
        app = svc.application_for_manager(request.user, application_id)
        return Response(
            s.MarketAcceptOut(
                {"application": app, "lease_form_url": url, "lease_prefill": app.lease_prefill}
            ).data
        )


@extend_schema(tags=["market"], request=s.MarketDeclineIn, responses=s.MarketApplicationOut)
class ApplicationDeclineView(APIView):
    """Decline this applicant (with a reason sent to them)."""

    def post(self, request, application_id, **kwargs):
        data = _parse(s.MarketDeclineIn, request.data)
        app = svc.decline(actor=request.user, application=application_id, reason=data["reason"])
        return Response(s.MarketApplicationOut(app).data)
