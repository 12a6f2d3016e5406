"""Market's pages outside /manager/, mounted at the site root (hokwe/urls.py): the public
market under /market/ (search, map, listing pages, sitemap), the booking web app under
/booking/, the seeker's and the provider's pages. Each part appends its block of routes
(views in web/<part>.py)."""

app_name = "market"

urlpatterns: list = []


# --- visits: the booking web app (/booking/…) ---
from django.urls import path as _visits_path  # noqa: E402

from . import booking as _booking  # noqa: E402

urlpatterns += [
    _visits_path("booking/<uuid:listing_id>/", _booking.listing_page, name="booking-listing"),
    _visits_path("booking/v/<slug:code>/", _booking.manage_page, name="booking-manage"),
    _visits_path("booking/v/<slug:code>/cancel/", _booking.cancel_page, name="booking-cancel"),
    _visits_path("booking/v/<slug:code>/reschedule/", _booking.reschedule_page, name="booking-reschedule"),
    _visits_path("booking/v/<slug:code>/visit.ics", _booking.ics_download, name="booking-ics"),
]

# --- public pages ---
from django.urls import path  # noqa: E402

from . import public  # noqa: E402

urlpatterns += [
    path("market/", public.home, name="home"),
    path("market/search", public.search, name="search"),
    path("market/l/<uuid:public_id>", public.listing_short, name="listing-short"),
    path("market/l/<uuid:public_id>/<slug:slug>", public.listing, name="listing"),
    path("market/favourites/<uuid:public_id>", public.favourite, name="favourite"),
    path("market/sitemap.xml", public.sitemap, name="sitemap"),
    path("market/me/", public.me, name="me"),
    path("market/me/searches/save", public.search_save, name="search-save"),
    path("market/me/searches/<uuid:saved_id>/delete", public.search_delete, name="search-delete"),
]
