"""Ads' public routes (no /manager/ prefix, namespace `ads`): the beacons, and the creators'
pages. Each part appends its own block of routes."""

from django.urls import path

from . import beacons

app_name = "ads"

urlpatterns: list = [
    path("ads/i/<str:token>", beacons.impression, name="impression"),
    path("ads/c/<str:token>", beacons.click, name="click"),
]


# --- creators: the creator's own pages (HokweCreatorStudio), sign-in by SMS code ---
from django.urls import path as _creators_path  # noqa: E402

from . import creators as _creators  # noqa: E402

urlpatterns += [
    _creators_path("creators/", _creators.home_page, name="creators-home"),
    _creators_path("creators/login/", _creators.login_page, name="creators-login"),
    _creators_path("creators/login/code/", _creators.login_code_page, name="creators-login-code"),
    _creators_path("creators/logout/", _creators.logout_page, name="creators-logout"),
    _creators_path("creators/jobs/open/", _creators.open_jobs_page, name="creators-open"),
    _creators_path("creators/jobs/", _creators.my_jobs_page, name="creators-jobs"),
    _creators_path("creators/jobs/<uuid:job_id>/", _creators.job_page_creator, name="creators-job"),
    _creators_path("creators/jobs/<uuid:job_id>/take/", _creators.take_page, name="creators-take"),
    _creators_path("creators/jobs/<uuid:job_id>/upload/", _creators.upload_page, name="creators-upload"),
    _creators_path("creators/jobs/<uuid:job_id>/deliver/", _creators.deliver_page, name="creators-deliver"),
]
