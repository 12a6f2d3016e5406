"""HokweSearch: the query cleaner, the SearchBackend protocol and the backend choice
(docs/market.md, "Search").

Every query goes through `clean_query` first: it refuses what cannot be meant (an unknown
sort, a latitude of 200, bounds upside down) with a translated `InvalidSearch` (a 400), and
caps what is merely too big (text at 200 characters, a radius at MARKET_MAX_RADIUS_M, a page
at 50). A backend only ever sees a clean `SearchQuery`.

Two backends answer the same protocol: `search_pg.PostgresSearch` (full text with the
french_unaccent configuration, trigram similarity for typos, earthdistance for the radius,
the partial indexes of migration 0004) and `search_simple.SimpleSearch` for the embedded
SQLite profile. `settings.MARKET_SEARCH_BACKEND` (a dotted path to a class) overrides the
choice: the path for an OpenSearch backend when a deployment outgrows PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.core import signing
from django.db import connection
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from ..contracts import AMENITIES, Facets, ListingKind, ListingPurpose, SearchPage, SearchQuery, SearchSort
from ..errors import InvalidSearch

__all__ = [
    "MAX_LIMIT",
    "MAX_TEXT",
    "SearchBackend",
    "backend",
    "clean_query",
    "decode_cursor",
    "encode_cursor",
    "facets",
    "fold",
    "price_band",
    "query_from_json",
    "query_to_json",
    "search",
]

MAX_TEXT = 200
MAX_LIMIT = 50
DEFAULT_LIMIT = 20
MIN_RADIUS_M = 100
MAX_PRICE = 10**15
_RAW_CAP = 4 * MAX_TEXT  # a 10 KB text is cut before any work is done on it
_CURSOR_SALT = "market.search.cursor"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
# price bands of the facets (minor units, XOF has no minor unit): upper bounds, the last open
PRICE_BANDS = ((25_000, "0-25000"), (50_000, "25000-50000"), (100_000, "50000-100000"))
PRICE_BANDS += ((200_000, "100000-200000"), (500_000, "200000-500000"))
PRICE_BAND_TOP = "500000+"


def max_radius_m() -> int:
    return int(getattr(settings, "MARKET_MAX_RADIUS_M", 50_000))


def price_band(price: int) -> str:
    for upper, label in PRICE_BANDS:
        if price < upper:
            return label
    return PRICE_BAND_TOP


def fold(text: str) -> str:
    """Accent-free, lower case, single spaces: how `Listing.search_text` is written."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.lower()).strip()


class SearchBackend(Protocol):
    """What a search engine must answer. Both take a clean SearchQuery (clean_query)."""

    def search(self, q: SearchQuery) -> SearchPage: ...

    def facets(self, q: SearchQuery) -> Facets: ...


# --- the cleaner -----------------------------------------------------------------------------


def _raw(data: Mapping, name: str):
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _list(data: Mapping, name: str) -> list[str]:
    getlist = getattr(data, "getlist", None)
    values = getlist(name) if getlist is not None else data.get(name)
    if values is None or values == "":
        return []
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple):
        raise InvalidSearch(_("This filter takes a list of values."), field=name)
    out: list[str] = []
    for value in values[:20]:
        if not isinstance(value, str):
            raise InvalidSearch(_("This filter takes a list of values."), field=name)
        out += [part.strip() for part in value.split(",") if part.strip()]
    return out


def _text(data: Mapping, name: str, cap: int) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidSearch(_("Enter text."), field=name)
    value = _CONTROL.sub(" ", value[:_RAW_CAP])
    return _SPACES.sub(" ", value).strip()[:cap].strip()


def _int(data: Mapping, name: str, *, low: int, high: int | None = None, cap: bool = False) -> int | None:
    value = _raw(data, name)
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidSearch(_("Enter a whole number."), field=name)
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise InvalidSearch(_("Enter a whole number."), field=name)
        value = int(value)
    if isinstance(value, str):
        if len(value) > 20 or not re.fullmatch(r"[+-]?\d+", value):
            raise InvalidSearch(_("Enter a whole number."), field=name)
        value = int(value)
    if not isinstance(value, int):
        raise InvalidSearch(_("Enter a whole number."), field=name)
    if value < low:
        raise InvalidSearch(_("This number is too small."), field=name)
    if high is not None and value > high:
        if cap:
            return high
        raise InvalidSearch(_("This number is too large."), field=name)
    return value


def _float(data: Mapping, name: str, low: float, high: float) -> float | None:
    value = _raw(data, name)
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidSearch(_("Enter a number."), field=name)
    if isinstance(value, str):
        if len(value) > 30:
            raise InvalidSearch(_("Enter a number."), field=name)
        try:
            value = float(value)
        except ValueError:
            raise InvalidSearch(_("Enter a number."), field=name) from None
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidSearch(_("Enter a number."), field=name)
    if not low <= value <= high:
        raise InvalidSearch(_("This position is outside the map."), field=name)
    return float(value)


def _bool(data: Mapping, name: str) -> bool | None:
    value = _raw(data, name)
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("1", "true", "yes", "on", "oui"):
        return True
    if isinstance(value, str) and value.lower() in ("0", "false", "no", "off", "non"):
        return False
    raise InvalidSearch(_("Enter yes or no."), field=name)


def _date(data: Mapping, name: str) -> date | None:
    value = _raw(data, name)
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) <= 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidSearch(_("Enter a date (YYYY-MM-DD)."), field=name)


def _bounds(data: Mapping) -> tuple[float, float, float, float] | None:
    value = _raw(data, "bounds")
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple) or len(value) != 4:
        raise InvalidSearch(_("Give the bounds as south,west,north,east."), field="bounds")
    names = ("south", "west", "north", "east")
    limits = ((-90, 90), (-180, 180), (-90, 90), (-180, 180))
    parts = {
        n: _float({n: v.strip() if isinstance(v, str) else v}, n, *lim)
        for n, v, lim in zip(names, value, limits, strict=True)
    }
    if any(v is None for v in parts.values()):
        raise InvalidSearch(_("Give the bounds as south,west,north,east."), field="bounds")
    if parts["south"] >= parts["north"] or parts["west"] >= parts["east"]:
        raise InvalidSearch(_("The map's bounds are upside down."), field="bounds")
    return (parts["south"], parts["west"], parts["north"], parts["east"])


def clean_query(data: Mapping) -> SearchQuery:
    """The one way into the search: a SearchQuery, or InvalidSearch (a translated 400)."""
    if not isinstance(data, Mapping):
        raise InvalidSearch()
    text = _text(data, "text", MAX_TEXT) or _text(data, "q", MAX_TEXT)
    purpose = _text(data, "purpose", 10).lower()
    if purpose and purpose not in set(ListingPurpose):
        raise InvalidSearch(_("Choose rent or sale."), field="purpose")
    country = _text(data, "country", 2).upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        raise InvalidSearch(_("Enter a country code (BJ, CI, …)."), field="country")
    kinds = tuple(dict.fromkeys(k.lower() for k in _list(data, "kinds") + _list(data, "kind")))
    if any(k not in set(ListingKind) for k in kinds):
        raise InvalidSearch(_("Unknown kind of home."), field="kinds")
    amenities = tuple(dict.fromkeys(a.lower() for a in _list(data, "amenities")))
    if any(a not in AMENITIES for a in amenities):
        raise InvalidSearch(_("Unknown amenity."), field="amenities")
    price_min = _int(data, "price_min", low=0, high=MAX_PRICE)
    price_max = _int(data, "price_max", low=0, high=MAX_PRICE)
    if price_min is not None and price_max is not None and price_min > price_max:
        raise InvalidSearch(_("The lowest price is above the highest."), field="price_min")
    latitude = _float(data, "latitude", -90, 90)
    if latitude is None:
        latitude = _float(data, "lat", -90, 90)
    longitude = _float(data, "longitude", -180, 180)
    if longitude is None:
        longitude = _float(data, "lng", -180, 180)
    if (latitude is None) != (longitude is None):
        raise InvalidSearch(_("Give both the latitude and the longitude."), field="latitude")
    radius = _int(data, "radius_m", low=0, high=max_radius_m(), cap=True)
    if radius is None:
        radius = _int(data, "radius", low=0, high=max_radius_m(), cap=True)
    if radius is not None and latitude is None:
        raise InvalidSearch(_("A radius needs a point (latitude and longitude)."), field="radius_m")
    if latitude is not None:
        radius = max_radius_m() if radius is None else max(radius, MIN_RADIUS_M)
    sort = _text(data, "sort", 20) or SearchSort.RELEVANCE
    if sort not in set(SearchSort):
        raise InvalidSearch(_("Unknown sort order."), field="sort")
    if sort == SearchSort.DISTANCE and latitude is None:
        raise InvalidSearch(_("Sorting by distance needs a point."), field="sort")
    limit = _int(data, "limit", low=1, high=MAX_LIMIT, cap=True)
    after = _text(data, "after", 1000)
    if after and not re.fullmatch(r"[A-Za-z0-9_\-:.]+", after):
        raise InvalidSearch(_("This page link is not valid; start the search again."), field="after")
    return SearchQuery(
        text=text,
        purpose=purpose,
        country=country,
        city=_text(data, "city", 100),
        neighbourhood=_text(data, "neighbourhood", 100),
        kinds=kinds,
        price_min=price_min,
        price_max=price_max,
        rooms_min=_int(data, "rooms_min", low=0, high=50, cap=True),
        furnished=_bool(data, "furnished"),
        amenities=amenities,
        available_by=_date(data, "available_by"),
        latitude=latitude,
        longitude=longitude,
        radius_m=radius,
        bounds=_bounds(data),
        sort=str(sort),
        after=after,
        limit=limit or DEFAULT_LIMIT,
    )


def query_to_json(q: SearchQuery) -> dict:
    """The criteria of a query (no page state), as stored in SavedSearch.query."""
    out: dict = {}
    for name in SearchQuery.__dataclass_fields__:
        if name in ("after", "limit"):
            continue
        value = getattr(q, name)
        if value in (None, "", ()):
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    if out.get("sort") == SearchSort.RELEVANCE:
        del out["sort"]
    return out


def query_from_json(data: dict) -> SearchQuery:
    """A stored query back into a SearchQuery (through the cleaner: rules may have changed)."""
    return clean_query(dict(data or {}))


# --- cursors: opaque, signed, bound to the query they were made for --------------------------


def _fingerprint(q: SearchQuery) -> str:
    criteria = json.dumps(query_to_json(q) | {"sort": q.sort}, sort_keys=True, default=str)
    return hashlib.sha256(criteria.encode()).hexdigest()[:16]


def encode_cursor(q: SearchQuery, key: list) -> str:
    return signing.dumps({"f": _fingerprint(q), "k": key}, salt=_CURSOR_SALT, compress=True)


def decode_cursor(q: SearchQuery) -> list | None:
    if not q.after:
        return None
    try:
        data = signing.loads(q.after, salt=_CURSOR_SALT)
    except signing.BadSignature:
        raise InvalidSearch(
            _("This page link is not valid; start the search again."), field="after"
        ) from None
    if not isinstance(data, dict) or data.get("f") != _fingerprint(q) or not isinstance(data.get("k"), list):
        raise InvalidSearch(_("This page link is not valid; start the search again."), field="after")
    return data["k"]


# --- the backend -----------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _backend_for(path: str, vendor: str) -> SearchBackend:
    if path:
        return import_string(path)()
    if vendor == "postgresql":
        from .search_pg import PostgresSearch

        return PostgresSearch()
    from .search_simple import SimpleSearch

    return SimpleSearch()


def backend() -> SearchBackend:
    """MARKET_SEARCH_BACKEND (a dotted path to a class) if set, else by the database."""
    return _backend_for(getattr(settings, "MARKET_SEARCH_BACKEND", "") or "", connection.vendor)


def search(q: SearchQuery) -> SearchPage:
    return backend().search(q)


def facets(q: SearchQuery) -> Facets:
    return backend().facets(q)
