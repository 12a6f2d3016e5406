"""REST routes of market's visits part (under /api/v1/market/…)."""

from django.urls import path

from . import views_visits as v

urlpatterns: list = [
    path(
        "market/listings/<uuid:listing_id>/slots", v.ListingSlotsView.as_view(), name="market-listing-slots"
    ),
    path("market/visit-slots", v.HostSlotsView.as_view(), name="market-host-slots"),
    path("market/visit-slots/<uuid:slot_id>/cancel", v.SlotCancelView.as_view(), name="market-slot-cancel"),
    path("market/visits", v.VisitsView.as_view(), name="market-visits"),
    path("market/visits/calendar", v.CalendarView.as_view(), name="market-visit-calendar"),
    path("market/visits/by-code/<slug:code>", v.ByCodeView.as_view(), name="market-visit-by-code"),
    path(
        "market/visits/by-code/<slug:code>/cancel",
        v.ByCodeCancelView.as_view(),
        name="market-visit-by-code-cancel",
    ),
    path(
        "market/visits/by-code/<slug:code>/reschedule",
        v.ByCodeRescheduleView.as_view(),
        name="market-visit-by-code-reschedule",
    ),
    path("market/visits/by-code/<slug:code>/ics", v.ByCodeIcsView.as_view(), name="market-visit-by-code-ics"),
    path("market/visits/<uuid:booking_id>", v.VisitDetailView.as_view(), name="market-visit"),
    path("market/visits/<uuid:booking_id>/cancel", v.VisitCancelView.as_view(), name="market-visit-cancel"),
    path(
        "market/visits/<uuid:booking_id>/reschedule",
        v.VisitRescheduleView.as_view(),
        name="market-visit-reschedule",
    ),
    path("market/visits/<uuid:booking_id>/mark", v.VisitMarkView.as_view(), name="market-visit-mark"),
]
