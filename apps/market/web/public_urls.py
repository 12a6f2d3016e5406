"""Market's pages outside /manager/, mounted at the site root (hokwe/urls.py): the public
market under /market/ (search, map, listing pages, sitemap), the booking web app under
/booking/, the seeker's and the provider's pages. Each part appends its block of routes
(views in web/<part>.py)."""

app_name = "market"

urlpatterns: list = []


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


# --- applications: the seeker applies to a listing ---
from django.urls import path as _apps_path  # noqa: E402

from . import applications as _applications  # noqa: E402

urlpatterns += [
    _apps_path("market/apply/<uuid:listing_id>/", _applications.apply, name="apply"),
    _apps_path(
        "market/applications/<uuid:application_id>/withdraw/",
        _applications.withdraw,
        name="application-withdraw",
    ),
]


# --- local services: providers (/market/pro/…), requesters (/market/services/…), profiles ---
from django.urls import path as _services_path  # noqa: E402

from . import services as _services  # noqa: E402

urlpatterns += [
    _services_path("market/pro/", _services.pro_home, name="pro"),
    _services_path("market/pro/photos/", _services.pro_photo, name="pro-photo"),
    _services_path("market/pro/requests/", _services.pro_requests, name="pro-requests"),
    _services_path("market/pro/requests/<uuid:request_id>/", _services.pro_request, name="pro-request"),
    _services_path("market/pro/jobs/", _services.pro_jobs, name="pro-jobs"),
    _services_path(
        "market/pro/jobs/<uuid:quote_id>/withdraw/", _services.pro_quote_withdraw, name="pro-quote-withdraw"
    ),
    _services_path("market/pro/jobs/<uuid:quote_id>/done/", _services.pro_job_done, name="pro-job-done"),
    _services_path("market/services/", _services.services_home, name="services"),
    _services_path("market/services/<uuid:request_id>/", _services.services_request, name="services-request"),
    _services_path(
        "market/services/quotes/<uuid:quote_id>/accept/",
        _services.services_quote_accept,
        name="services-quote-accept",
    ),
    _services_path(
        "market/services/quotes/<uuid:quote_id>/pay/", _services.services_quote_pay, name="services-quote-pay"
    ),
    _services_path(
        "market/services/quotes/<uuid:quote_id>/confirm/",
        _services.services_quote_confirm,
        name="services-quote-confirm",
    ),
    _services_path(
        "market/services/quotes/<uuid:quote_id>/review/",
        _services.services_quote_review,
        name="services-quote-review",
    ),
    _services_path("market/providers/<uuid:provider_id>/", _services.provider_profile, name="provider"),
]


# --- visits: the booking web app (/booking/…) ---
from django.urls import path as _visits_path  # noqa: E402

from . import booking as _booking  # noqa: E402

urlpatterns += [
    _visits_path("booking/", _booking.home_page, name="booking-home"),
    _visits_path("booking/<uuid:listing_id>/", _booking.listing_page, name="booking-listing"),
    _visits_path("booking/v/<slug:code>/", _booking.manage_page, name="booking-manage"),
    _visits_path("booking/v/<slug:code>/cancel/", _booking.cancel_page, name="booking-cancel"),
    _visits_path("booking/v/<slug:code>/reschedule/", _booking.reschedule_page, name="booking-reschedule"),
    _visits_path("booking/v/<slug:code>/visit.ics", _booking.ics_download, name="booking-ics"),
]
