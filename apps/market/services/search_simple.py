"""The simple search backend, for the embedded SQLite profile (docs/market.md, "Search: the
SQLite backend"). Same API and same answers on the cases the tests cover, built simply:

* the database narrows the candidates with plain indexed filters (visible status, purpose,
  country, availability, a latitude/longitude box around the radius or the bounds), and at
  most MARKET_SIMPLE_SEARCH_SCAN of them are read (newest first);
* Python does the rest: each word of the folded text must occur in `search_text`, or be close
  to one of its words (difflib, for typos); the exact distance (haversine); the facet filters;
  the sort and the keyset page (the same signed cursors as PostgreSQL's);
* no stemming, no ranking beyond a word score: a small deployment's search, not a large one's.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import replace

from django.conf import settings
from django.db.models import Q

from ..contracts import AMENITIES, VISIBLE_STATUSES, Facets, ListingHit, SearchPage, SearchQuery, SearchSort
from ..models import Listing
from . import search as base
from .listings import HIT_FIELDS
from .search_pg import _sorted, haversine_m

__all__ = ["SimpleSearch"]

_WORD = re.compile(r"[a-z0-9]+")
FIELDS = ("id", *HIT_FIELDS, "created_at", "search_text", "country", *AMENITIES)


def _text_score(words: list[str], text: str) -> float | None:
    """None when a word is missing; else the share of exact (1.0) or close (its ratio) words."""
    if not words:
        return 0.0
    have = set(_WORD.findall(text))
    score = 0.0
    for word in words:
        if word in have or any(h.startswith(word) for h in have if len(word) >= 4):
            score += 1.0
            continue
        close = difflib.get_close_matches(word, have, n=1, cutoff=0.75)
        if not close:
            return None
        score += difflib.SequenceMatcher(None, word, close[0]).ratio()
    return score / len(words)


def _box(lat: float, lng: float, radius_m: float) -> tuple[float, float, float, float]:
    dlat = math.degrees(radius_m / 6_371_000.0)
    dlng = dlat / max(math.cos(math.radians(lat)), 0.01)
    return lat - dlat, lng - dlng, lat + dlat, lng + dlng


def _facet_checks(q: SearchQuery) -> dict:
    checks = {}
    if q.kinds:
        checks["kind"] = lambda r: r["kind"] in q.kinds
    if q.city:
        checks["city"] = lambda r: r["city"].lower() == q.city.lower()
    if q.neighbourhood:
        checks["neighbourhood"] = lambda r: r["neighbourhood"].lower() == q.neighbourhood.lower()
    if q.rooms_min is not None:
        checks["rooms"] = lambda r: r["rooms"] >= q.rooms_min
    if q.furnished is not None:
        checks["furnished"] = lambda r: r["furnished"] == q.furnished
    if q.amenities:
        checks["amenities"] = lambda r: all(r[a] for a in q.amenities)
    if q.price_min is not None or q.price_max is not None:
        low = q.price_min if q.price_min is not None else 0
        high = q.price_max if q.price_max is not None else base.MAX_PRICE
        checks["price"] = lambda r: low <= r["price"] <= high
    return checks


class SimpleSearch:
    """base.SearchBackend without PostgreSQL (SQLite): simpler, for small deployments."""

    def _candidates(self, q: SearchQuery) -> list[dict]:
        filters = Q(status__in=[str(s) for s in VISIBLE_STATUSES])
        if q.purpose:
            filters &= Q(purpose=q.purpose)
        if q.country:
            filters &= Q(country=q.country)
        if q.available_by is not None:
            filters &= Q(available_from__isnull=True) | Q(available_from__lte=q.available_by)
        if q.latitude is not None:
            south, west, north, east = _box(q.latitude, q.longitude, q.radius_m)
            filters &= Q(latitude__range=(south, north), longitude__range=(west, east))
        if q.bounds is not None:
            south, west, north, east = q.bounds
            filters &= Q(latitude__range=(south, north), longitude__range=(west, east))
        words = _WORD.findall(base.fold(q.text))[:20]
        scan = int(getattr(settings, "MARKET_SIMPLE_SEARCH_SCAN", 5_000))
        rows = []
        for row in Listing.objects.filter(filters).order_by("-published_at", "-id").values(*FIELDS)[:scan]:
            score = _text_score(words, row["search_text"])
            if score is None:
                continue
            row["rank"] = score
            row["published"] = row["published_at"] or row["created_at"]
            row["distance"] = None
            if q.latitude is not None:
                if row["latitude"] is None:
                    continue
                row["distance"] = haversine_m(q.latitude, q.longitude, row["latitude"], row["longitude"])
                if row["distance"] > q.radius_m:
                    continue
            rows.append(row)
        return rows

    def search(self, q: SearchQuery) -> SearchPage:
        after = base.decode_cursor(q)
        checks = list(_facet_checks(q).values())
        rows = [r for r in self._candidates(q) if all(check(r) for check in checks)]
        sort = q.sort
        if sort == SearchSort.RELEVANCE and not q.text:
            sort = SearchSort.NEWEST
        key, descending = {
            SearchSort.RELEVANCE: ("rank", True),
            SearchSort.PRICE_ASC: ("price", False),
            SearchSort.PRICE_DESC: ("price", True),
            SearchSort.DISTANCE: ("distance", False),
            SearchSort.NEWEST: ("published", True),
        }[sort]

        def sort_value(r):
            value = r[key]
            return value.isoformat() if hasattr(value, "isoformat") else value

        rows.sort(key=lambda r: (sort_value(r), r["id"]), reverse=descending)
        total = len(rows) if after is None else None
        if after is not None:
            if len(after) != 2:
                raise base.InvalidSearch(field="after")
            mark = (after[0], after[1])
            if descending:
                rows = [r for r in rows if (sort_value(r), r["id"]) < mark]
            else:
                rows = [r for r in rows if (sort_value(r), r["id"]) > mark]
        page = rows[: q.limit]
        cursor = ""
        if len(rows) > q.limit:
            last = page[-1]
            cursor = base.encode_cursor(q, [sort_value(last), last["id"]])
        return SearchPage(hits=[_hit(r) for r in page], next_cursor=cursor, total=total)

    def new_matches(self, q: SearchQuery, *, since, until, limit: int) -> list[ListingHit]:
        """The matches published in (since, until], newest first (the saved-search alerts)."""
        checks = list(_facet_checks(q).values())
        rows = [
            r
            for r in self._candidates(q)
            if since < r["published"] <= until and all(check(r) for check in checks)
        ]
        rows.sort(key=lambda r: (r["published"], r["id"]), reverse=True)
        return [_hit(r) for r in rows[:limit]]

    def facets(self, q: SearchQuery) -> Facets:
        checks = _facet_checks(q)
        out, total = Facets(), 0
        for row in self._candidates(q):
            ok = {name: check(row) for name, check in checks.items()}

            def but(name, ok=ok):
                return all(v for n, v in ok.items() if n != name)

            if but("kind"):
                out.kinds[row["kind"]] = out.kinds.get(row["kind"], 0) + 1
            if but("city"):
                out.cities[row["city"]] = out.cities.get(row["city"], 0) + 1
            if but("neighbourhood") and row["neighbourhood"]:
                out.neighbourhoods[row["neighbourhood"]] = out.neighbourhoods.get(row["neighbourhood"], 0) + 1
            if but("rooms"):
                rooms = min(row["rooms"], 6)
                out.rooms[rooms] = out.rooms.get(rooms, 0) + 1
            if but("furnished"):
                out.furnished[row["furnished"]] = out.furnished.get(row["furnished"], 0) + 1
            if but("price"):
                band = base.price_band(row["price"])
                out.price_bands[band] = out.price_bands.get(band, 0) + 1
            if but(""):
                total += 1
                for amenity in AMENITIES:
                    if row[amenity]:
                        out.amenities[amenity] = out.amenities.get(amenity, 0) + 1
        return _sorted(replace(out, total=total))


def _hit(r: dict) -> ListingHit:
    return ListingHit(
        public_id=str(r["public_id"]),
        title=r["title"],
        purpose=r["purpose"],
        kind=r["kind"],
        price=int(r["price"]),
        charges=int(r["charges"]),
        currency=r["currency"],
        rooms=int(r["rooms"]),
        furnished=bool(r["furnished"]),
        city=r["city"],
        neighbourhood=r["neighbourhood"],
        latitude=r["latitude"],
        longitude=r["longitude"],
        verified=bool(r["verified"]),
        status=r["status"],
        cover=r["cover"],
        published_at=r["published"].isoformat() if r["published"] else "",
        distance_m=None if r["distance"] is None else int(round(r["distance"])),
    )
