"""The PostgreSQL search backend (docs/market.md, "Search: how it is built").

Raw, parameterized SQL on the visible listings (status published or reserved: the literal
predicate every partial index of migration 0004 carries, so the planner can use them):

* text: french full text first (`search_tsv @@ websearch_to_tsquery('public.french_unaccent',
  …)`, search_tsv being the stored `to_tsvector('public.french_unaccent', search_text)`),
  ranked by ts_rank; when it matches nothing with the other criteria, trigram word similarity
  (`text <% search_text`, threshold 0.5) for typos («cotonu», «fidjrose», a misspelt
  neighbourhood), ranked by the similarity. One predicate at a time lets the planner use its
  GIN index; an OR of both made it filter row by row (80 + 40 µs a row in a dense city);
* a radius: `market_earth(lat, lng) <@ earth_box(centre, r)` (the GiST index) then the exact
  `earth_distance <= r`; the map's bounds: an earth_box around their centre (GiST) then the
  exact latitude/longitude test;
* keyset pages: `(sort key, id) < / > (cursor)` with the same ORDER BY, never OFFSET; sorted
  by distance, the key is cube's `<->` (the chord, ordered like the distance), which the GiST
  index walks nearest first;
* facets: one statement, GROUPING SETS over the matches, each facet counted without its own
  filter (the other filters are per-row flags).

Every value is a parameter; nothing the caller sends is spliced into the SQL."""

from __future__ import annotations

import difflib
import math
import re
from datetime import datetime

from django.core.cache import cache
from django.db import connection
from django.utils.dateparse import parse_datetime

from ..contracts import AMENITIES, Facets, ListingHit, SearchPage, SearchQuery, SearchSort
from . import search as base

__all__ = ["PostgresSearch"]

VISIBLE = "l.status IN ('published', 'reserved')"
TSV = "l.search_tsv"  # to_tsvector('public.french_unaccent', search_text), stored (migration 0004)
TSQ = "websearch_to_tsquery('public.french_unaccent'::regconfig, %s)"
EARTH = "public.market_earth(l.latitude, l.longitude)"
PUBLISHED = "COALESCE(l.published_at, l.created_at)"
EARTH_RADIUS_M = 6_371_000.0  # earthdistance's earth()
TOTAL_CAP = 1000  # the first page counts the matches up to this many
# pg_trgm's word similarity threshold for `<%` (default 0.6 misses «fidjirose» for «fidjrosse»)
WORD_SIMILARITY = 0.5

COLUMNS = (
    "l.id, l.public_id, l.title, l.purpose, l.kind, l.price, l.charges, l.currency, l.rooms, "
    "l.furnished, l.city, l.neighbourhood, l.latitude, l.longitude, l.verified, l.status, l.cover, "
    f"{PUBLISHED} AS published"
)


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


class _Sql:
    """A WHERE clause built piece by piece with its parameters."""

    def __init__(self):
        self.parts: list[str] = [VISIBLE]
        self.params: list = []

    def add(self, sql: str, *params) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    def where(self) -> str:
        return " AND ".join(self.parts)


VOCABULARY_KEY = "market.search.vocabulary"
_WORD = re.compile(r"[a-z0-9]+")


def vocabulary() -> frozenset[str]:
    """The words of the cities and neighbourhoods online (folded), cached ten minutes: what a
    misspelt place is corrected to."""
    words = cache.get(VOCABULARY_KEY)
    if words is None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT lower(l.city), lower(l.neighbourhood) FROM market_listing l WHERE {VISIBLE}"  # noqa: S608
            )
            words = sorted(
                {w for row in cursor.fetchall() for part in row for w in _WORD.findall(base.fold(part))}
            )
        cache.set(VOCABULARY_KEY, words, 600)
    return frozenset(words)


def corrected(text: str) -> str:
    """The text with each unknown word of 4 letters or more replaced by the closest place word
    (difflib ratio ≥ 0.75: «cotonu» → cotonou, «fidjrose» → fidjrosse); "" when nothing changed."""
    known = vocabulary()
    out, changed = [], False
    for word in _WORD.findall(text):
        if len(word) >= 4 and word not in known:
            close = difflib.get_close_matches(word, known, n=1, cutoff=0.75)
            if close:
                out.append(close[0])
                changed = True
                continue
        out.append(word)
    return " ".join(out) if changed else ""


def _text_of(q: SearchQuery, mode: str = "f") -> str:
    text = base.fold(q.text)
    return corrected(text) if mode == CORRECTED else text


# how the text matches: french full text as typed; else with its misspelt place words
# corrected; else trigram word similarity against the whole text (typos)
FTS, CORRECTED, TRGM = "f", "c", "t"
MODES = (FTS, CORRECTED, TRGM)
TRGM_CAP = 5000


def _base_filters(q: SearchQuery, sql: _Sql, mode: str = FTS, bounded: bool = True) -> None:
    """Filters that are not facets: text, place, purpose, country, availability."""
    text = _text_of(q, mode)
    if text and mode in (FTS, CORRECTED):
        sql.add(f"{TSV} @@ {TSQ}", text)
    elif text and not bounded:  # over a small set already (the alerts' window)
        sql.add("%s <%% l.search_text", text)
    elif text:
        # the last resort, bounded: the trigram GIN index finds at most TRGM_CAP similar
        # listings in the whole market, then the other criteria apply to those only (the
        # similarity row by row over a dense city's box took seconds for a word nobody wrote)
        similar = f"SELECT t.id FROM market_listing t WHERE t.status IN ('published', 'reserved') AND %s <%% t.search_text LIMIT {TRGM_CAP}"  # noqa: S608
        sql.add(f"l.id = ANY(ARRAY({similar}))", text)
    if q.purpose:
        sql.add("l.purpose = %s", q.purpose)
    if q.country:
        sql.add("l.country = %s", q.country)
    if q.available_by is not None:
        sql.add("(l.available_from IS NULL OR l.available_from <= %s)", q.available_by)
    if q.latitude is not None:
        sql.add("l.latitude IS NOT NULL")
        sql.add(
            f"{EARTH} <@ public.earth_box(public.market_earth(%s, %s), %s)",
            q.latitude,
            q.longitude,
            float(q.radius_m),
        )
        sql.add(
            f"public.earth_distance({EARTH}, public.market_earth(%s, %s)) <= %s",
            q.latitude,
            q.longitude,
            float(q.radius_m),
        )
    if q.bounds is not None:
        south, west, north, east = q.bounds
        centre = ((south + north) / 2, (west + east) / 2)
        reach = max(haversine_m(*centre, lat, lng) for lat in (south, north) for lng in (west, east))
        if reach < 2_000_000:  # beyond, the box is no help: the exact test alone
            sql.add("l.latitude IS NOT NULL")
            sql.add(
                f"{EARTH} <@ public.earth_box(public.market_earth(%s, %s), %s)", *centre, reach * 1.01 + 10
            )
        sql.add("l.latitude BETWEEN %s AND %s AND l.longitude BETWEEN %s AND %s", south, north, west, east)


def _facet_conditions(q: SearchQuery) -> dict[str, tuple[str, list]]:
    """The facet filters, each on its own (SQL, params): left out of their own facet's count."""
    out: dict[str, tuple[str, list]] = {}
    if q.kinds:
        out["kind"] = ("l.kind = ANY(%s)", [list(q.kinds)])
    if q.city:
        out["city"] = ("lower(l.city) = %s", [q.city.lower()])
    if q.neighbourhood:
        out["neighbourhood"] = ("lower(l.neighbourhood) = %s", [q.neighbourhood.lower()])
    if q.rooms_min is not None:
        out["rooms"] = ("l.rooms >= %s", [q.rooms_min])
    if q.furnished is not None:
        out["furnished"] = ("l.furnished = %s", [q.furnished])
    if q.amenities:
        out["amenities"] = (" AND ".join(f"l.{a}" for a in q.amenities if a in AMENITIES), [])
    price: list[str] = []
    params: list = []
    if q.price_min is not None:
        price.append("l.price >= %s")
        params.append(q.price_min)
    if q.price_max is not None:
        price.append("l.price <= %s")
        params.append(q.price_max)
    if price:
        out["price"] = (" AND ".join(price), params)
    return out


def _where(q: SearchQuery, mode: str = FTS, bounded: bool = True) -> _Sql:
    sql = _Sql()
    _base_filters(q, sql, mode, bounded)
    for cond, params in _facet_conditions(q).values():
        sql.add(cond, *params)
    return sql


def _order(q: SearchQuery, mode: str = FTS) -> tuple[str, str, str]:
    """(key expression, direction, SQL of the key) for the query's sort."""
    text = _text_of(q, mode)
    sort = q.sort
    if sort == SearchSort.RELEVANCE and not text:
        sort = SearchSort.NEWEST
    if sort == SearchSort.RELEVANCE:
        if mode in (FTS, CORRECTED):
            return "rank", "DESC", f"ts_rank({TSV}, {TSQ})::float8"
        return "rank", "DESC", "word_similarity(%s, l.search_text)::float8"
    if sort == SearchSort.PRICE_ASC:
        return "price", "ASC", "l.price"
    if sort == SearchSort.PRICE_DESC:
        return "price", "DESC", "l.price"
    if sort == SearchSort.DISTANCE:
        # the chord through the earth (cube's `<->`): ordered like the distance, and the GiST
        # index walks it nearest first (a KNN scan), so a page reads only its rows
        return "distance", "ASC", f"({EARTH} OPERATOR(public.<->) public.market_earth(%s, %s))"
    return "published", "DESC", PUBLISHED


def _key_params(q: SearchQuery, key: str, mode: str) -> list:
    if key == "rank":
        return [_text_of(q, mode)]
    if key == "distance":
        return [q.latitude, q.longitude]
    return []


def _threshold(cursor, q: SearchQuery) -> None:
    """The session's trigram threshold, set before a text query (a SET of the session: it holds
    for this statement whatever ran on the connection before)."""
    if q.text:
        cursor.execute(f"SET pg_trgm.word_similarity_threshold = {WORD_SIMILARITY}")


class PostgresSearch:
    """base.SearchBackend on PostgreSQL (the one built, tested and measured)."""

    def search(self, q: SearchQuery) -> SearchPage:
        """The french full text first; when it matches nothing (a typo: «cotonu», «fidjrose»),
        the same query with trigram similarity. The mode travels in the cursor, so the next
        pages read the same way."""
        after = base.decode_cursor(q)
        if after is not None:
            if len(after) != 3 or after[2] not in MODES:
                raise base.InvalidSearch(field="after")
            return self._page(q, after, after[2])
        page = self._page(q, None, FTS)
        if page.hits or not _text_of(q):
            return page
        if _text_of(q, CORRECTED):
            page = self._page(q, None, CORRECTED)
            if page.hits:
                return page
        return self._page(q, None, TRGM)

    def _page(self, q: SearchQuery, after: list | None, mode: str) -> SearchPage:
        where = _where(q, mode)
        key, direction, key_sql = _order(q, mode)
        key_params = _key_params(q, key, mode)
        dist_sql, dist_params = "NULL::float8", []
        if q.latitude is not None:
            dist_sql = f"public.earth_distance({EARTH}, public.market_earth(%s, %s))"
            dist_params = [q.latitude, q.longitude]
        page_where, page_params = where.where(), list(where.params)
        if after is not None:
            if not isinstance(after[1], int):
                raise base.InvalidSearch(field="after")
            value = after[0]
            if key == "published":
                value = parse_datetime(str(value))
                if value is None:
                    raise base.InvalidSearch(field="after")
            elif not isinstance(value, int | float):
                raise base.InvalidSearch(field="after")
            op = "<" if direction == "DESC" else ">"
            page_where += f" AND ({key_sql}, l.id) {op} (%s, %s)"
            page_params += [*key_params, value, after[1]]
        statement = (
            f"SELECT {COLUMNS}, {key_sql} AS sort_key, {dist_sql} AS distance "  # noqa: S608 - our fragments, values are parameters
            f"FROM market_listing l WHERE {page_where} "
            f"ORDER BY sort_key {direction}, l.id {direction} LIMIT %s"
        )
        params = [*key_params, *dist_params, *page_params, q.limit + 1]
        with connection.cursor() as cursor:
            _threshold(cursor, q)
            cursor.execute(statement, params)
            rows = cursor.fetchall()
            total = None
            if after is None:
                if len(rows) <= q.limit:
                    total = len(rows)
                else:
                    cursor.execute(
                        f"SELECT count(*) FROM (SELECT 1 FROM market_listing l WHERE {where.where()} "  # noqa: S608
                        f"LIMIT {TOTAL_CAP + 1}) AS m",
                        where.params,
                    )
                    counted = cursor.fetchone()[0]
                    total = counted if counted <= TOTAL_CAP else None
        more = len(rows) > q.limit
        rows = rows[: q.limit]
        hits = [_hit(row) for row in rows]
        cursor_value = ""
        if more and rows:
            last = rows[-1]
            sort_value = last[18]
            if isinstance(sort_value, datetime):
                sort_value = sort_value.isoformat()
            cursor_value = base.encode_cursor(q, [sort_value, last[0], mode])
        return SearchPage(hits=hits, next_cursor=cursor_value, total=total)

    def new_matches(self, q: SearchQuery, *, since, until, limit: int) -> list[ListingHit]:
        """The matches published in (since, until], newest first (the saved-search alerts).
        The window is read first (a materialized CTE on the newest-first index: a day is a
        small share of the market), the criteria apply to it; the text steps as `search`."""
        dist_sql, dist_params = "NULL::float8", []
        if q.latitude is not None:
            dist_sql = f"public.earth_distance({EARTH}, public.market_earth(%s, %s))"
            dist_params = [q.latitude, q.longitude]
        modes = [FTS]
        if _text_of(q):
            modes += [CORRECTED, TRGM] if _text_of(q, CORRECTED) else [TRGM]
        with connection.cursor() as cursor:
            _threshold(cursor, q)
            for mode in modes:
                where = _where(q, mode, bounded=False)
                statement = (
                    f"WITH l AS MATERIALIZED (SELECT * FROM market_listing l WHERE {VISIBLE} "  # noqa: S608
                    f"AND {PUBLISHED} > %s AND {PUBLISHED} <= %s) "
                    f"SELECT {COLUMNS}, NULL AS sort_key, {dist_sql} AS distance FROM l "
                    f"WHERE {where.where()} ORDER BY {PUBLISHED} DESC, l.id DESC LIMIT %s"
                )
                cursor.execute(statement, [since, until, *dist_params, *where.params, limit])
                rows = cursor.fetchall()
                if rows:
                    return [_hit(row) for row in rows]
        return []

    def _mode(self, q: SearchQuery) -> str:
        """The first of FTS, CORRECTED that matches something with the other criteria, else TRGM
        (as `search` chooses)."""
        if not _text_of(q):
            return FTS
        for mode in (FTS, CORRECTED):
            if mode == CORRECTED and not _text_of(q, CORRECTED):
                continue
            where = _where(q, mode)
            with connection.cursor() as cursor:
                exists = f"SELECT EXISTS (SELECT 1 FROM market_listing l WHERE {where.where()})"  # noqa: S608
                cursor.execute(exists, where.params)
                if cursor.fetchone()[0]:
                    return mode
        return TRGM

    def facets(self, q: SearchQuery) -> Facets:
        where = _Sql()
        _base_filters(q, where, self._mode(q))
        conds = _facet_conditions(q)
        names = ["kind", "city", "neighbourhood", "rooms", "furnished", "price", "amenities"]
        flags_sql, flags_params = [], []
        for name in names:
            cond, params = conds.get(name, ("TRUE", []))
            flags_sql.append(f"({cond}) AS ok_{name}")
            flags_params += params

        # a row counts for a facet when every other facet filter holds
        def but(name: str) -> str:
            return " AND ".join(f"ok_{n}" for n in names if n != name)

        bands = " ".join(f"WHEN price < {upper} THEN '{label}'" for upper, label in base.PRICE_BANDS)
        amenity_counts = ", ".join(f"count(*) FILTER (WHERE {but('')} AND {a}) AS a_{a}" for a in AMENITIES)
        statement = (
            "WITH m AS ("  # noqa: S608 - our fragments, every value is a parameter
            f"  SELECT l.kind, l.city, l.neighbourhood, LEAST(l.rooms, 6) AS rooms, l.furnished, "
            f"  CASE {bands} ELSE '{base.PRICE_BAND_TOP}' END AS band, "
            f"  {', '.join('l.' + a for a in AMENITIES)}, {', '.join(flags_sql)} "
            f"  FROM market_listing l WHERE {where.where()}"
            ") SELECT GROUPING(kind, city, neighbourhood, rooms, furnished, band) AS g, "
            "kind, city, neighbourhood, rooms, furnished, band, "
            f"count(*) FILTER (WHERE {but('kind')}) AS c_kind, "
            f"count(*) FILTER (WHERE {but('city')}) AS c_city, "
            f"count(*) FILTER (WHERE {but('neighbourhood')}) AS c_neighbourhood, "
            f"count(*) FILTER (WHERE {but('rooms')}) AS c_rooms, "
            f"count(*) FILTER (WHERE {but('furnished')}) AS c_furnished, "
            f"count(*) FILTER (WHERE {but('price')}) AS c_price, "
            f"{amenity_counts} "
            "FROM m GROUP BY GROUPING SETS ((kind), (city), (neighbourhood), (rooms), (furnished), (band), ())"
        )
        out = Facets()
        with connection.cursor() as cursor:
            _threshold(cursor, q)
            cursor.execute(statement, [*flags_params, *where.params])
            rows = cursor.fetchall()
        # GROUPING bits, left to right: kind=32, city=16, neighbourhood=8, rooms=4, furnished=2, band=1
        for row in rows:
            g = row[0]
            kind, city, neighbourhood, rooms, furnished, band = row[1:7]
            c_kind, c_city, c_nb, c_rooms, c_furn, c_price = row[7:13]
            if g == 63:
                for amenity, count in zip(AMENITIES, row[13:], strict=True):
                    if count:
                        out.amenities[amenity] = count
            elif g == 31 and c_kind:
                out.kinds[kind] = c_kind
            elif g == 47 and c_city:
                out.cities[city] = c_city
            elif g == 55 and c_nb and neighbourhood:
                out.neighbourhoods[neighbourhood] = c_nb
            elif g == 59 and c_rooms:
                out.rooms[rooms] = c_rooms
            elif g == 61 and c_furn:
                out.furnished[furnished] = c_furn
            elif g == 62 and c_price:
                out.price_bands[band] = c_price
        return _sorted(out)


def _sorted(f: Facets) -> Facets:
    def by_count(d: dict) -> dict:
        return dict(sorted(d.items(), key=lambda kv: (-kv[1], str(kv[0]))))

    bands_order = [label for _u, label in base.PRICE_BANDS] + [base.PRICE_BAND_TOP]
    return Facets(
        kinds=by_count(f.kinds),
        cities=by_count(f.cities),
        neighbourhoods=dict(list(by_count(f.neighbourhoods).items())[:30]),
        rooms=dict(sorted(f.rooms.items())),
        furnished=dict(sorted(f.furnished.items())),
        amenities={a: f.amenities[a] for a in AMENITIES if a in f.amenities},
        price_bands={b: f.price_bands[b] for b in bands_order if b in f.price_bands},
    )


def _hit(row) -> ListingHit:
    published = row[17]
    distance = row[19]
    return ListingHit(
        public_id=str(row[1]),
        title=row[2],
        purpose=row[3],
        kind=row[4],
        price=int(row[5]),
        charges=int(row[6]),
        currency=row[7],
        rooms=int(row[8]),
        furnished=bool(row[9]),
        city=row[10],
        neighbourhood=row[11],
        latitude=row[12],
        longitude=row[13],
        verified=bool(row[14]),
        status=row[15],
        cover=row[16],
        published_at=published.isoformat() if published else "",
        distance_m=None if distance is None else int(round(distance)),
    )
