"""Ads' manager pages, mounted under /manager/ads/ (namespace manager:): the advertiser's
campaigns, creatives, balance and report; the social pages; the creator jobs an agency
offers. Each part appends its own block of routes (views in web/<part>.py)."""

urlpatterns: list = []


# --- social: the advertiser's Facebook pages, publishing and boosting listings, the results ---
from django.urls import path as _social_path  # noqa: E402

from . import social as _social  # noqa: E402

urlpatterns += [
    _social_path("social/", _social.social_home, name="ads-social"),
    _social_path("social/connect/", _social.social_connect, name="ads-social-connect"),
    _social_path("social/callback/", _social.social_callback, name="ads-social-callback"),
    _social_path("social/choose/", _social.social_choose, name="ads-social-choose"),
    _social_path(
        "social/connections/<uuid:connection_id>/disconnect/",
        _social.social_disconnect,
        name="ads-social-disconnect",
    ),
    _social_path("social/publish/", _social.social_publish, name="ads-social-publish"),
    _social_path("social/posts/<uuid:post_id>/", _social.social_post, name="ads-social-post"),
    _social_path("social/posts/<uuid:post_id>/boost/", _social.social_boost, name="ads-social-boost"),
    _social_path("social/posts/<uuid:post_id>/retry/", _social.social_retry, name="ads-social-retry"),
]


# --- creators: the creator jobs an agency offers (HokweCreatorStudio) ---
from django.urls import path as _creators_path  # noqa: E402

from . import creators as _creators  # noqa: E402

urlpatterns += [
    _creators_path("jobs/", _creators.jobs_page, name="ads-jobs"),
    _creators_path("jobs/<uuid:job_id>/", _creators.job_page, name="ads-job"),
    _creators_path(
        "jobs/<uuid:job_id>/files/<uuid:deliverable_id>/review/", _creators.review_page, name="ads-job-review"
    ),
    _creators_path("jobs/<uuid:job_id>/changes/", _creators.changes_page, name="ads-job-changes"),
    _creators_path("jobs/<uuid:job_id>/accept/", _creators.accept_page, name="ads-job-accept"),
    _creators_path("jobs/<uuid:job_id>/cancel/", _creators.cancel_page, name="ads-job-cancel"),
]


# --- advertising: the advertiser's balance, campaigns, creatives and report ---
from django.urls import path as _advertising_path  # noqa: E402

from . import advertising as _advertising  # noqa: E402

urlpatterns += [
    _advertising_path("", _advertising.home, name="ads-home"),
    _advertising_path("advertisers/<uuid:advertiser_id>/topup/", _advertising.topup, name="ads-topup"),
    _advertising_path("campaigns/new/", _advertising.campaign_new, name="ads-campaign-new"),
    _advertising_path("campaigns/<uuid:campaign_id>/", _advertising.campaign_page, name="ads-campaign"),
    _advertising_path(
        "campaigns/<uuid:campaign_id>/edit/", _advertising.campaign_edit, name="ads-campaign-edit"
    ),
    _advertising_path(
        "campaigns/<uuid:campaign_id>/<slug:action>/",
        _advertising.campaign_action,
        name="ads-campaign-action",
    ),
]
