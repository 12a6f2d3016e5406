"""REST of ads' advertising part (paths start with `ads/`)."""

from django.urls import path

from . import views_advertising as v

urlpatterns: list = [
    path("ads/advertisers", v.AdvertiserListView.as_view(), name="ads-advertisers"),
    path("ads/advertisers/<uuid:advertiser_id>", v.AdvertiserDetailView.as_view(), name="ads-advertiser"),
    path("ads/advertisers/<uuid:advertiser_id>/topups", v.TopUpListView.as_view(), name="ads-topups"),
    path("ads/campaigns", v.CampaignListView.as_view(), name="ads-campaigns"),
    path("ads/campaigns/<uuid:campaign_id>", v.CampaignDetailView.as_view(), name="ads-campaign"),
    path(
        "ads/campaigns/<uuid:campaign_id>/activate",
        v.CampaignActivateView.as_view(),
        name="ads-campaign-activate",
    ),
    path("ads/campaigns/<uuid:campaign_id>/pause", v.CampaignPauseView.as_view(), name="ads-campaign-pause"),
    path("ads/campaigns/<uuid:campaign_id>/end", v.CampaignEndView.as_view(), name="ads-campaign-end"),
    path(
        "ads/campaigns/<uuid:campaign_id>/archive",
        v.CampaignArchiveView.as_view(),
        name="ads-campaign-archive",
    ),
    path("ads/campaigns/<uuid:campaign_id>/creatives", v.CreativeListView.as_view(), name="ads-creatives"),
    path(
        "ads/campaigns/<uuid:campaign_id>/report", v.CampaignReportView.as_view(), name="ads-campaign-report"
    ),
    path("ads/creatives/<uuid:creative_id>", v.CreativeDetailView.as_view(), name="ads-creative"),
    path("ads/serve", v.ServeView.as_view(), name="ads-serve"),
]
