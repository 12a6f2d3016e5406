"""Ads' manager pages, mounted under /manager/ads/ (namespace manager:): the advertiser's
campaigns, creatives, balance and report; the social pages; the creator jobs an agency
offers. Each part appends its own block of routes (views in web/<part>.py)."""

urlpatterns: list = []
