"""Sponsored listings on a search's first page (docs/market.md, "Sponsored listings").

A module above market (ads) registers a source: `source(query, *, request, count) ->
list[SponsoredCandidate]` (the request: the source decides who the viewer is). Market keeps the candidates that are online and match the
seeker's own filters (purpose, kinds, price, rooms, furnished, city), in the source's order,
at most `MARKET_SPONSORED_SLOTS`; every surface shows them apart, labelled « Sponsorisé ». A
failing source never breaks the search: it is logged and nothing sponsored is shown.
"""

from __future__ import annotations

import logging

from django.conf import settings

from ..contracts import VISIBLE_STATUSES, SearchQuery, SponsoredHit
from ..models import Listing
from . import listings as listings_service

log = logging.getLogger(__name__)

_sources: list = []


def register(source) -> None:
    if source not in _sources:
        _sources.append(source)


def _matches(hit, query: SearchQuery) -> bool:
    if query.purpose and hit.purpose != query.purpose:
        return False
    if query.kinds and hit.kind not in query.kinds:
        return False
    if query.price_min is not None and hit.price < query.price_min:
        return False
    if query.price_max is not None and hit.price > query.price_max:
        return False
    if query.rooms_min is not None and hit.rooms < query.rooms_min:
        return False
    if query.furnished is not None and hit.furnished != query.furnished:
        return False
    if query.city and hit.city.casefold() != query.city.casefold():
        return False
    return True


def sponsored(query: SearchQuery, *, request) -> list[SponsoredHit]:
    """The sponsored listings to show above the first page of `query`'s results."""
    slots = settings.MARKET_SPONSORED_SLOTS
    if not _sources or slots <= 0 or query.after:
        return []
    candidates = []
    for source in _sources:
        try:
            candidates += source(query, request=request, count=slots * 3)
        except Exception:
            log.exception("market: a sponsored listings source failed")
    if not candidates:
        return []
    rows = {
        str(row.public_id): row
        for row in Listing.objects.filter(
            public_id__in=[c.listing_id for c in candidates], status__in=[str(s) for s in VISIBLE_STATUSES]
        ).only(*listings_service.HIT_FIELDS)
    }
    shown: list[SponsoredHit] = []
    for candidate in candidates:
        row = rows.pop(candidate.listing_id, None)  # one listing once
        if row is None:
            continue
        hit = listings_service.hit_of(row)
        if _matches(hit, query):
            shown.append(
                SponsoredHit(hit=hit, impression_url=candidate.impression_url, click_url=candidate.click_url)
            )
            if len(shown) >= slots:
                break
    return shown
