"""REST of visits and booking (under /api/v1/market/…): a listing's open slots (anyone),
publishing slots (who manages the listing), booking (anyone: signed in, or with a name and a
phone; rate-limited), the seeker's own visits, the host's calendar, one visit, cancel,
reschedule, no-show/done, a slot withdrawn, and the anonymous seeker's booking by its code.
Thin: parse, call services/visits.py, render. Refusals are problem details; another
organization's visit is a 404."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.idempotency import HEADER, clean_key
from apps.core.pagination import CursorPagination
from apps.core.rest import idempotent, takes_idempotency_key

from ..errors import BookingNotFound
from ..models import VisitBooking
from ..services import visits
from . import serializers_visits as s


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _visit(booking, *, show_code: bool) -> dict:
    return s.MarketVisitOut(booking, context={"show_code": show_code}).data


def _mine(request, booking_id) -> tuple[VisitBooking, str]:
    booking = visits.booking_for(request.user, booking_id)
    return booking, visits.role_of(request.user, booking)


class _PublicView(APIView):
    permission_classes = [AllowAny]


@extend_schema(tags=["market"])
class ListingSlotsView(APIView):
    """GET (anyone): the listing's open slots still to come, soonest first. POST (who manages
    the listing): publish a slot, or the same slot every week for `repeat_weeks` more weeks."""

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(responses=s.MarketVisitSlotOut(many=True))
    def get(self, request, listing_id, **kwargs):
        listing = visits.visible_listing(listing_id)
        return Response(s.MarketVisitSlotOut(visits.open_slots(listing), many=True).data)

    @extend_schema(request=s.MarketVisitSlotsIn, responses={201: s.MarketVisitSlotOut(many=True)})
    @idempotent()
    def post(self, request, listing_id, **kwargs):
        listing = visits.managed_listing(request.user, listing_id)
        data = _parse(s.MarketVisitSlotsIn, request.data)
        created = visits.slots_create(actor=request.user, listing=listing, **data)
        return Response(s.MarketVisitSlotOut(created, many=True).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["market"], request=None, responses=s.MarketHostSlotOut)
class SlotCancelView(APIView):
    """Withdraw an open slot (its host, or who manages the listing); a booked visit on it is
    canceled and the seeker told."""

    def post(self, request, slot_id, **kwargs):
        slot = visits.slot_cancel(actor=request.user, slot=visits.slot_for_host(request.user, slot_id))
        return Response(s.MarketHostSlotOut(slot).data)


class VisitPages(CursorPagination):
    ordering = ("-starts_at", "-id")


@extend_schema(tags=["market"])
class VisitsView(generics.ListAPIView):
    """GET (signed in): your own visits, latest first, a page at a time. POST (anyone): book
    an open slot — signed in, or with a name and a phone number; 201 with the booking's code
    (the anonymous seeker's key); the same Idempotency-Key again returns the same booking;
    409 `market_slot_taken` when someone else just booked it."""

    serializer_class = s.MarketVisitOut
    pagination_class = VisitPages

    @property
    def throttle_scope(self):  # the booking scope counts bookings only
        return "market.book" if self.request.method == "POST" else None

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "show_code": True}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return VisitBooking.objects.none()
        return visits.seeker_bookings(self.request.user)

    @extend_schema(request=s.MarketBookIn, responses={201: s.MarketVisitOut})
    @takes_idempotency_key
    def post(self, request, **kwargs):
        data = _parse(s.MarketBookIn, request.data)
        booking = visits.book(
            slot_id=data["slot"],
            seeker=request.user,
            name=data["name"],
            phone=data["phone"],
            idempotency_key=clean_key(request.headers[HEADER]) if request.headers.get(HEADER) else None,
        )
        return Response(_visit(booking, show_code=True), status=status.HTTP_201_CREATED)


@extend_schema(tags=["market"], parameters=[s.MarketCalendarQuery], responses=s.MarketVisitOut(many=True))
class CalendarView(APIView):
    """The visits between `start` and `end` (62 days at most) on the listings you manage."""

    def get(self, request, **kwargs):
        q = _parse(s.MarketCalendarQuery, request.query_params)
        rows = visits.host_calendar(request.user, start=q["start"], end=q["end"])
        return Response(s.MarketVisitOut(rows, many=True, context={"show_code": False}).data)


@extend_schema(tags=["market"], parameters=[s.MarketCalendarQuery], responses=s.MarketHostSlotOut(many=True))
class HostSlotsView(APIView):
    """The open slots nobody booked yet between `start` and `end` on the listings you manage."""

    def get(self, request, **kwargs):
        q = _parse(s.MarketCalendarQuery, request.query_params)
        rows = visits.host_slots(request.user, start=q["start"], end=q["end"])
        return Response(s.MarketHostSlotOut(rows, many=True).data)


@extend_schema(tags=["market"], responses=s.MarketVisitOut)
class VisitDetailView(APIView):
    """One visit: yours as the seeker, or one on a listing you manage."""

    def get(self, request, booking_id, **kwargs):
        booking, role = _mine(request, booking_id)
        return Response(_visit(booking, show_code=role == "seeker"))


@extend_schema(tags=["market"], request=None, responses=s.MarketVisitOut)
class VisitCancelView(APIView):
    """Cancel a booked visit before it starts (the seeker or the host); the other is told by SMS."""

    def post(self, request, booking_id, **kwargs):
        booking, role = _mine(request, booking_id)
        booking = visits.cancel(booking, by=role or "seeker", actor=request.user)
        return Response(_visit(booking, show_code=role == "seeker"))


@extend_schema(tags=["market"], request=s.MarketRescheduleIn, responses=s.MarketVisitOut)
class VisitRescheduleView(APIView):
    """Move your visit to another open slot of the same listing: the new booking (new code)."""

    def post(self, request, booking_id, **kwargs):
        booking, role = _mine(request, booking_id)
        if role != "seeker":
            raise BookingNotFound()
        data = _parse(s.MarketRescheduleIn, request.data)
        new = visits.reschedule(booking, to_slot_id=data["slot"])
        return Response(_visit(new, show_code=True))


@extend_schema(tags=["market"], request=s.MarketMarkIn, responses=s.MarketVisitOut)
class VisitMarkView(APIView):
    """Mark a visit on a listing you manage done or no-show, once it has started."""

    def post(self, request, booking_id, **kwargs):
        booking, _role = _mine(request, booking_id)
        data = _parse(s.MarketMarkIn, request.data)
        booking = visits.mark(booking, data["status"], actor=request.user)
        return Response(_visit(booking, show_code=False))


class _ByCode(_PublicView):
    throttle_scope = "market.code"  # per client: a code cannot be guessed by trying many


@extend_schema(tags=["market"], responses=s.MarketVisitOut)
class ByCodeView(_ByCode):
    """The booking with this code (anyone holding the code: the SMS's)."""

    def get(self, request, code, **kwargs):
        return Response(_visit(visits.booking_by_code(code), show_code=True))


@extend_schema(tags=["market"], request=None, responses=s.MarketVisitOut)
class ByCodeCancelView(_ByCode):
    """Cancel the booking with this code, before the visit."""

    def post(self, request, code, **kwargs):
        booking = visits.cancel(visits.booking_by_code(code), by="seeker")
        return Response(_visit(booking, show_code=True))


@extend_schema(tags=["market"], request=s.MarketRescheduleIn, responses=s.MarketVisitOut)
class ByCodeRescheduleView(_ByCode):
    """Move the booking with this code to another open slot of the listing (a new code)."""

    def post(self, request, code, **kwargs):
        data = _parse(s.MarketRescheduleIn, request.data)
        new = visits.reschedule(visits.booking_by_code(code), to_slot_id=data["slot"])
        return Response(_visit(new, show_code=True))


@extend_schema(
    tags=["market"],
    responses={(200, "text/calendar"): OpenApiResponse(description="The visit (RFC 5545 .ics)")},
)
class ByCodeIcsView(_ByCode):
    """The booking as an iCalendar file."""

    def get(self, request, code, **kwargs):
        booking = visits.booking_by_code(code)
        response = HttpResponse(visits.ics(booking), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="visite-{booking.code}.ics"'
        return response
