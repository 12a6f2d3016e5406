"""Market's manager pages, mounted under /manager/market/ (namespace manager:): listings of
the organization, the visit calendar, applicants, quote requests. Each part appends its own
block of routes (views in web/<part>.py)."""

urlpatterns: list = []


# --- visits: the agent's calendar of visits ---
from django.urls import path as _visits_path  # noqa: E402

from . import calendar as _calendar  # noqa: E402

urlpatterns += [
    _visits_path("visits/", _calendar.visits_page, name="market-visits"),
    _visits_path("visits/<uuid:booking_id>/mark/", _calendar.mark_page, name="market-visit-mark"),
    _visits_path("visits/<uuid:booking_id>/cancel/", _calendar.cancel_visit_page, name="market-visit-cancel"),
    _visits_path("visits/<uuid:booking_id>/visit.ics", _calendar.visit_ics, name="market-visit-ics"),
    _visits_path(
        "visits/slots/<uuid:slot_id>/cancel/", _calendar.cancel_slot_page, name="market-slot-cancel"
    ),
]


# --- listings: the organization's listings, one-click publication of a vacant unit ---
from django.urls import path as _listings_path  # noqa: E402

from . import listings as _listings  # noqa: E402

urlpatterns += [
    _listings_path("listings/", _listings.listings_home, name="market-listings"),
    _listings_path("listings/publish/", _listings.listing_publish, name="market-listing-publish"),
    _listings_path("listings/<uuid:listing_id>/", _listings.listing_page, name="market-listing"),
    _listings_path(
        "listings/<uuid:listing_id>/photos/", _listings.listing_photo, name="market-listing-photo"
    ),
    _listings_path(
        "listings/<uuid:listing_id>/submit/", _listings.listing_submit, name="market-listing-submit"
    ),
    _listings_path(
        "listings/<uuid:listing_id>/withdraw/", _listings.listing_withdraw, name="market-listing-withdraw"
    ),
]


# --- applications: the applicants of a listing, accept (then estate's lease form) or decline ---
from django.urls import path as _apps_path  # noqa: E402

from . import applications as _applications  # noqa: E402

urlpatterns += [
    _apps_path(
        "listings/<uuid:listing_id>/applicants/", _applications.applicants, name="market-listing-applicants"
    ),
    _apps_path(
        "applications/<uuid:application_id>/accept/", _applications.accept, name="market-application-accept"
    ),
    _apps_path(
        "applications/<uuid:application_id>/decline/",
        _applications.decline,
        name="market-application-decline",
    ),
]
