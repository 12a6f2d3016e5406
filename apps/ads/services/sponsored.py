"""Ads in market search: the source market calls for a search's sponsored listings."""

from __future__ import annotations

from apps.market.contracts import SponsoredCandidate

from ..contracts import AdContext, Audience, Placement
from .delivery import deliver, viewer_of


def market_source(query, *, request, count: int) -> list[SponsoredCandidate]:
    viewer, language = viewer_of(request)
    ads = deliver(
        AdContext(
            placement=Placement.MARKET_SEARCH,
            viewer=viewer,
            city=query.city,
            neighbourhood=query.neighbourhood,
            audience=Audience.SEEKERS,
            language=language,
        ),
        count=count,
    )
    return [
        SponsoredCandidate(listing_id=ad.listing_id, impression_url=ad.impression_url, click_url=ad.click_url)
        for ad in ads
        if ad.listing_id
    ]
