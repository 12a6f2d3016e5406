"""market's REST/GraphQL parity (checked by tests/core/test_transport_parity.py). Each part
appends its own block to the four tables."""

BOTH: dict[str, str] = {}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple] = {}


# --- listings ---
BOTH.update(
    {
        "POST /api/v1/market/listings": "marketListingCreate",
        "POST /api/v1/market/listings/from-unit": "marketListingCreateFromUnit",
        "PATCH /api/v1/market/listings/{listing_id}": "marketListingUpdate",
        "POST /api/v1/market/listings/{listing_id}/submit": "marketListingSubmit",
        "POST /api/v1/market/listings/{listing_id}/withdraw": "marketListingWithdraw",
    }
)
REST_ONLY.update(
    {
        "POST /api/v1/market/listings/{listing_id}/photos": "a photo upload is a multipart body, which GraphQL does not carry",
    }
)


# --- applications ---
BOTH.update(
    {
        "POST /api/v1/market/applications": "marketApply",
        "POST /api/v1/market/applications/{application_id}/withdraw": "marketWithdrawApplication",
        "POST /api/v1/market/applications/{application_id}/accept": "marketAcceptApplication",
        "POST /api/v1/market/applications/{application_id}/decline": "marketDeclineApplication",
    }
)


# --- local services ---
BOTH.update(
    {
        "POST /api/v1/market/providers": "marketProviderSignup",
        "POST /api/v1/market/quote-requests": "marketCreateQuoteRequest",
        "POST /api/v1/market/quote-requests/{request_id}/cancel": "marketCancelQuoteRequest",
        "POST /api/v1/market/quote-requests/{request_id}/quotes": "marketSendQuote",
        "POST /api/v1/market/quotes/{quote_id}/withdraw": "marketWithdrawQuote",
        "POST /api/v1/market/quotes/{quote_id}/accept": "marketAcceptQuote",
        "POST /api/v1/market/quotes/{quote_id}/pay": "marketPayQuote",
        "POST /api/v1/market/quotes/{quote_id}/done": "marketMarkJobDone",
        "POST /api/v1/market/quotes/{quote_id}/confirm": "marketConfirmJobDone",
        "POST /api/v1/market/quotes/{quote_id}/review": "marketReviewJob",
    }
)
REST_ONLY.update(
    {
        "PUT /api/v1/market/providers/me": "a provider edits its profile on its pages and by REST; GraphQL offers the sign-up and the reads",
        "POST /api/v1/market/providers/me/photos": "a photo upload is a multipart body, which GraphQL does not carry",
    }
)


# --- visits ---
BOTH.update(
    {
        "POST /api/v1/market/listings/{listing_id}/slots": "marketPublishVisitSlots",
        "POST /api/v1/market/visit-slots/{slot_id}/cancel": "marketCancelVisitSlot",
        "POST /api/v1/market/visits": "marketBookVisit",
        "POST /api/v1/market/visits/{booking_id}/cancel": "marketCancelVisit",
        "POST /api/v1/market/visits/{booking_id}/reschedule": "marketRescheduleVisit",
        "POST /api/v1/market/visits/{booking_id}/mark": "marketMarkVisit",
        "POST /api/v1/market/visits/by-code/{code}/cancel": "marketCancelVisitByCode",
        "POST /api/v1/market/visits/by-code/{code}/reschedule": "marketRescheduleVisitByCode",
    }
)


# --- search: the seeker's saved searches, favourites and recently viewed ---
BOTH.update(
    {
        "POST /api/v1/market/saved-searches": "marketSaveSearch",
        "PATCH /api/v1/market/saved-searches/{saved_id}": "marketSetSavedSearchAlerts",
        "DELETE /api/v1/market/saved-searches/{saved_id}": "marketDeleteSavedSearch",
        "PUT /api/v1/market/favourites/{listing_id}": "marketAddFavourite",
        "DELETE /api/v1/market/favourites/{listing_id}": "marketRemoveFavourite",
        "POST /api/v1/market/recently-viewed": "marketRecordView",
    }
)
