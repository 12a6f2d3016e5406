"""ads' REST/GraphQL parity (checked by tests/core/test_transport_parity.py). Each part
appends its own block to the four tables."""

BOTH: dict[str, str] = {}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple] = {}


# --- social ---
BOTH.update(
    {
        "POST /api/v1/ads/social/connect": "adsSocialConnectStart",
        "POST /api/v1/ads/social/connect/callback": "adsSocialConnectCallback",
        "POST /api/v1/ads/social/connections": "adsSocialConnectChoose",
        "POST /api/v1/ads/social/connections/{connection_id}/disconnect": "adsSocialDisconnect",
        "POST /api/v1/ads/social/posts": "adsSocialPublish",
        "POST /api/v1/ads/social/posts/{post_id}/boost": "adsSocialBoost",
        "POST /api/v1/ads/social/posts/{post_id}/retry": "adsSocialRetry",
    }
)


# --- advertising ---
BOTH.update(
    {
        "POST /api/v1/ads/advertisers": "adsAdvertiserOpen",
        "POST /api/v1/ads/advertisers/{advertiser_id}/topups": "adsTopUpCreate",
        "POST /api/v1/ads/campaigns": "adsCampaignCreate",
        "PATCH /api/v1/ads/campaigns/{campaign_id}": "adsCampaignUpdate",
        "POST /api/v1/ads/campaigns/{campaign_id}/activate": "adsCampaignActivate",
        "POST /api/v1/ads/campaigns/{campaign_id}/pause": "adsCampaignPause",
        "POST /api/v1/ads/campaigns/{campaign_id}/end": "adsCampaignEnd",
        "POST /api/v1/ads/campaigns/{campaign_id}/archive": "adsCampaignArchive",
        "POST /api/v1/ads/campaigns/{campaign_id}/creatives": "adsCreativeCreate",
        "DELETE /api/v1/ads/creatives/{creative_id}": "adsCreativeRemove",
    }
)


# --- creators ---
BOTH.update(
    {
        "PUT /api/v1/ads/creators/me": "adsCreatorSignup",
        "POST /api/v1/ads/creators/jobs/{job_id}/take": "adsJobTake",
        "POST /api/v1/ads/creators/jobs/{job_id}/deliver": "adsJobDeliver",
        "POST /api/v1/ads/creators/agency/jobs": "adsJobPost",
        "POST /api/v1/ads/creators/agency/jobs/{job_id}/changes": "adsJobRequestChanges",
        "POST /api/v1/ads/creators/agency/jobs/{job_id}/accept": "adsJobAccept",
        "POST /api/v1/ads/creators/agency/jobs/{job_id}/cancel": "adsJobCancel",
        "POST /api/v1/ads/creators/agency/deliverables/{deliverable_id}/review": "adsDeliverableReview",
    }
)
REST_ONLY.update(
    {
        "POST /api/v1/ads/creators/jobs/{job_id}/deliverables": "a photo or video upload is a multipart body, which GraphQL does not carry",
    }
)
