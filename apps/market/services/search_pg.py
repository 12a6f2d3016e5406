"""The PostgreSQL search backend (docs/market.md, "Search: how it is built").

Raw, parameterized SQL on the visible listings (status published or reserved: the literal
predicate every partial index of migration 0004 carries, so the planner can use them):

* text: french full text (`search_tsv @@ websearch_to_tsquery('public.french_unaccent', …)`,
  search_tsv being the stored `to_tsvector('public.french_unaccent', search_text)`), ranked by
  ts_rank; when it matches nothing with the other criteria, the same with each unknown word
  corrected to the closest word of the places online and of the housing vocabulary (typos:
  «cotonu», «fidjrose», «apartemnt»). Typos are corrected against that small vocabulary, not
  matched by trigram against every listing: a loose word similarity over a dense market matched
  a tenth of it and cost seconds;
* a radius: the position's cells (`cell = ANY(…)`, a btree with statistics, see `cells_of`)
  then the exact `earth_distance <= r`; the map's bounds: the cells then the exact
  latitude/longitude test; an area of more than MAX_CELLS cells: cube's
  `market_earth(lat, lng) <@ earth_box(centre, r)` (the GiST index) instead of the cells;
* keyset pages: `(sort key, id) < / > (cursor)`, never OFFSET; sorted by distance the key is
  cube's `<->` (the chord, ordered like the distance);
* around a point (sorted by distance, or relevance's pool of the nearest matches) a page is
  read one of two ways (`_Statement`): a walk of the GiST index nearest first over at most
  MARKET_SEARCH_WALK_ROWS listings that hold the words in the asked price and rooms (the index
  carries them, migration 0007), tried first, or — when the walk cannot tell the page — the
  cells ∧ the full text over every match;
* facets: one statement, GROUPING SETS over the matches, each facet counted without its own
  filter (the other filters are per-row flags), and the matches of every filter (the search's
  total); over a sixteenth or a quarter of them, scaled, when the matches are more than
  MARKET_FACETS_EXACT_UP_TO. A page of results counts its matches only when it read them all
  anyway: counting them is the facets' job, which reads them in any case.

Every value is a parameter; nothing the caller sends is spliced into the SQL."""

from __future__ import annotations

import difflib
import math
import re
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
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
WALK = "w"  # the cursor's mode carries it: the next pages read as the first

COLUMNS = (
    "l.id, l.public_id, l.title, l.purpose, l.kind, l.price, l.charges, l.currency, l.rooms, "
    "l.furnished, l.city, l.neighbourhood, l.latitude, l.longitude, l.verified, l.status, l.cover, "
    f"{PUBLISHED} AS published"
)


FACET_SAMPLE = 16  # many matches: the facets count those with mod(id, 16) = 0 (migration 0007)
# a quarter: mod(id, 16) < 4, a range of the cells' btree's last column, and the predicate of
# the quarter of the full-text index that the sixteenth reads (migration 0007)
FACET_QUARTER = f"mod(l.id, {FACET_SAMPLE}) < {FACET_SAMPLE // 4}"


def relevance_pool() -> int:
    """Sorted by relevance, how many matches are ranked (MARKET_RELEVANCE_POOL)."""
    return int(getattr(settings, "MARKET_RELEVANCE_POOL", 200))


def pool_slack(pool: int) -> int:
    """Walked, the relevance pool reads this many candidates more (ties at its edge)."""
    return max(1, pool // 10)


def facets_exact_up_to() -> int:
    """Facets are counted exactly up to this many matches (MARKET_FACETS_EXACT_UP_TO)."""
    return int(getattr(settings, "MARKET_FACETS_EXACT_UP_TO", 2_000))


def search_work_mem() -> str:
    """The work_mem of the search's and the facets' statements (MARKET_SEARCH_WORK_MEM)."""
    return str(getattr(settings, "MARKET_SEARCH_WORK_MEM", "32MB"))


def _own_work_mem() -> None:
    """Inside the caller's transaction: its statements get MARKET_SEARCH_WORK_MEM (SET LOCAL;
    the connection's next transaction is back to the server's own). With PostgreSQL's default
    4 MB the bitmaps of a common word and of a city's cells go lossy, and every row of a lossy
    page is checked again."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', %s, true)", [search_work_mem()])


def walk_rows() -> int:
    """Around a point, how many listings a page walks nearest first (MARKET_SEARCH_WALK_ROWS)."""
    return int(getattr(settings, "MARKET_SEARCH_WALK_ROWS", 5_000))


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

    def plus(self, sql: str, *params) -> _Sql:
        """A copy with one condition more."""
        out = _Sql()
        out.parts, out.params = [*self.parts, sql], [*self.params, *params]
        return out

    def where(self) -> str:
        return " AND ".join(self.parts)


VOCABULARY_KEY = "market.search.vocabulary"
_WORD = re.compile(r"[a-z0-9]+")


# Words a search is written with besides places (folded): the listing kinds, the amenities and
# what a listing says of itself, in French and English. A word in here, or a place word, is
# never "corrected"; a word close to one is (the typos of the words people search with).
HOUSING_WORDS = frozenset(
    """
    appartement appartements apartment apartments studio studios villa villas maison maisons house
    houses chambre chambres room rooms salon salons living entrer coucher boutique boutiques shop
    shops magasin bureau bureaux office offices terrain terrains land duplex immeuble immeubles
    residence piece pieces meuble meubles meublee meublees furnished climatise climatisee
    climatisation clim air conditioning piscine pool parking garage gardien gardiennage security
    securise securisee cour jardin garden terrasse balcon balcony cuisine kitchen douche shower
    toilettes toilette interne internes wc forage eau water compteur meter electricite courant
    carrele carrelee plafonne plafonnee wifi calme quiet neuf neuve new moderne standing haut
    location louer rent vente vendre sale vendu prix price pas cher cheap grand grande petit
    petite proche near marche ecole ecoles goudron route plage lagune vue etage rez chaussee
    """.split()
)


def vocabulary() -> frozenset[str]:
    """The words of the cities and neighbourhoods online (folded, cached ten minutes) and the
    housing words: what a misspelt word is corrected to."""
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
    return frozenset(words) | HOUSING_WORDS


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's `similarity` of two folded words: shared trigrams over all trigrams."""
    ta, tb = _trigrams(a), _trigrams(b)
    return len(ta & tb) / len(ta | tb)


def _closest(word: str, known: frozenset[str]) -> str:
    """The known word closest to `word`: difflib's ratio ≥ 0.75 (a letter swapped, left out or
    doubled), else pg_trgm's similarity ≥ 0.45 (a longer word misspelt in several places); ""."""
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.75)
    if close:
        return close[0]
    best = max(known, key=lambda k: trigram_similarity(word, k), default="")
    return best if best and trigram_similarity(word, best) >= 0.45 else ""


def corrected(text: str) -> str:
    """The text with each unknown word of 4 letters or more replaced by the closest known word
    (`_closest`: «cotonu» → cotonou, «fidjrose» → fidjrosse, «apartemnt» → appartement); ""
    when nothing changed."""
    known = vocabulary()
    out, changed = [], False
    for word in _WORD.findall(text):
        if len(word) >= 4 and word not in known:
            close = _closest(word, known)
            if close:
                out.append(close)
                changed = True
                continue
        out.append(word)
    return " ".join(out) if changed else ""


def _text_of(q: SearchQuery, mode: str = "f") -> str:
    text = base.fold(q.text)
    return corrected(text) if mode == CORRECTED else text


# how the text matches: french full text as typed; else with its misspelt words corrected
FTS, CORRECTED = "f", "c"
MODES = (FTS, CORRECTED)


def _base_filters(q: SearchQuery, sql: _Sql, mode: str = FTS, walk: bool = False) -> None:
    """Filters that are not facets: text, place, purpose, country, availability. `walk`: the
    statement walks the GiST index nearest first (a radius read by its box, not its cells)."""
    text = _text_of(q, mode)
    if text:
        sql.add(f"{TSV} @@ {TSQ}", text)
    if q.purpose:
        sql.add("l.purpose = %s", q.purpose)
    if q.country:
        sql.add("l.country = %s", q.country)
    if q.available_by is not None:
        sql.add("(l.available_from IS NULL OR l.available_from <= %s)", q.available_by)
    if q.latitude is not None:
        # (the GiST index, walked by the distance sort, covers the listings with a latitude)
        sql.add("l.latitude IS NOT NULL")
        cells = None if walk else cells_around(q.latitude, q.longitude, q.radius_m)
        if cells is not None:
            sql.add("l.cell = ANY(%s)", cells)
        else:
            # the GiST box: what bounds a nearest-first walk (its estimate, always 0.1 %, tips
            # the planner to the walk unless the full text finds fewer rows), and an area
            # beyond MAX_CELLS
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
        cells = cells_of(south, west, north, east)
        if cells is not None:
            # the cells, then the exact test as one inequality: the planner's estimate is the
            # cells' (real statistics) times a third, not times the latitude's and longitude's
            sql.add("l.cell = ANY(%s)", cells)
            sql.add(
                "GREATEST(%s - l.latitude, l.latitude - %s, %s - l.longitude, l.longitude - %s) <= 0",
                south,
                north,
                west,
                east,
            )
        else:
            centre = ((south + north) / 2, (west + east) / 2)
            reach = max(haversine_m(*centre, lat, lng) for lat in (south, north) for lng in (west, east))
            if reach < 2_000_000:  # beyond, the box is no help: the exact test alone
                sql.add("l.latitude IS NOT NULL")
                sql.add(
                    f"{EARTH} <@ public.earth_box(public.market_earth(%s, %s), %s)",
                    *centre,
                    reach * 1.01 + 10,
                )
            sql.add(
                "l.latitude BETWEEN %s AND %s AND l.longitude BETWEEN %s AND %s", south, north, west, east
            )


# The position's cell (migration 0005): a 0.01° square (≈ 1.1 km), `row * 36000 + column`
# counted from (-90°, -180°), stored and indexed beside the GiST index. A radius or a map reads
# the cells it touches by `cell = ANY(…)`: a btree PostgreSQL has statistics for, so the planner
# knows how many listings a place holds (cube's `<@` is always guessed at 0.1 %) and chooses
# between the cells, the full-text index and the sorted indexes accordingly.
CELLS_PER_DEGREE = 100
CELL_COLUMNS = 360 * CELLS_PER_DEGREE
MAX_CELLS = 400  # ≈ 22 × 22 km; a larger area is read by the GiST box


def _cell_row(lat: float) -> int:
    return math.floor((lat + 90) * CELLS_PER_DEGREE)


def _cell_column(lng: float) -> int:
    return math.floor((lng + 180) * CELLS_PER_DEGREE)


def cells_of(south: float, west: float, north: float, east: float) -> list[int] | None:
    """The cells a box touches (the same arithmetic as the stored column, in float8 both
    sides), or None when there are more than MAX_CELLS or the box crosses the antimeridian."""
    if west < -180 or east >= 180 or south < -90 or north >= 90:
        return None
    rows = range(_cell_row(south), _cell_row(north) + 1)
    columns = range(_cell_column(west), _cell_column(east) + 1)
    if len(rows) * len(columns) > MAX_CELLS:
        return None
    return [r * CELL_COLUMNS + c for r in rows for c in columns]


def cells_around(lat: float, lng: float, radius_m: float) -> list[int] | None:
    """The cells of the box around a circle (1 % wider), or None as `cells_of`."""
    reach = radius_m * 1.01 + 10
    dlat = math.degrees(reach / EARTH_RADIUS_M)
    cos = math.cos(math.radians(abs(lat) + dlat)) if abs(lat) + dlat < 90 else 0.0
    if cos <= 0.01:
        return None
    dlng = dlat / cos
    return cells_of(lat - dlat, lng - dlng, lat + dlat, lng + dlng)


def _facet_conditions(q: SearchQuery) -> dict[str, tuple[str, list]]:
    """The facet filters, each on its own (SQL, params): left out of their own facet's count.
    The price and the rooms are cast to their columns' types (bigint, smallint): a value sent as
    an integer literal is an int4, and btree_gist's operator classes hold no cross-type
    operators, so `price <= 50000` was only a filter on the rows the GiST walk returned, never
    a condition inside the index."""
    out: dict[str, tuple[str, list]] = {}
    if q.kinds:
        out["kind"] = ("l.kind = ANY(%s)", [list(q.kinds)])
    if q.city:
        out["city"] = ("lower(l.city) = %s", [q.city.lower()])
    if q.neighbourhood:
        out["neighbourhood"] = ("lower(l.neighbourhood) = %s", [q.neighbourhood.lower()])
    if q.rooms_min is not None:
        out["rooms"] = ("l.rooms >= %s::smallint", [q.rooms_min])
    if q.furnished is not None:
        out["furnished"] = ("l.furnished = %s", [q.furnished])
    if q.amenities:
        out["amenities"] = (" AND ".join(f"l.{a}" for a in q.amenities if a in AMENITIES), [])
    price: list[str] = []
    params: list = []
    if q.price_min is not None:
        price.append("l.price >= %s::bigint")
        params.append(q.price_min)
    if q.price_max is not None:
        price.append("l.price <= %s::bigint")
        params.append(q.price_max)
    if price:
        out["price"] = (" AND ".join(price), params)
    return out


def _where(q: SearchQuery, mode: str = FTS, walk: bool = False) -> _Sql:
    sql = _Sql()
    _base_filters(q, sql, mode, walk)
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
        return "rank", "DESC", f"ts_rank({TSV}, {TSQ})::float8"
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


class _Statement:
    """The SQL of one page, read two ways: `read` (the cells ∧ the full text, or the sorted
    indexes: the planner's choice over every match) and `walked` (the GiST index nearest first
    over the circle's MARKET_SEARCH_WALK_ROWS nearest listings that hold the words in the asked
    price and rooms; None when they hold too few matches of the other criteria)."""

    def __init__(self, q, mode, key, key_sql, direction, key_params, keyset, keyset_params):
        self.q, self.mode, self.key, self.key_sql, self.direction = q, mode, key, key_sql, direction
        self.key_params, self.keyset, self.keyset_params = key_params, keyset, keyset_params
        self.dist_sql, self.dist_params = "NULL::float8", []
        if q.latitude is not None:
            self.dist_sql = f"public.earth_distance({EARTH}, public.market_earth(%s, %s))"
            self.dist_params = [q.latitude, q.longitude]
        self.select = f"SELECT {COLUMNS}, {key_sql} AS sort_key, {self.dist_sql} AS distance"
        self.head = [*key_params, *self.dist_params]
        self.counted: int | None = None

    def _source(self, walk: bool, after_distance=None) -> tuple[str, list]:
        """FROM: the table, or its MARKET_SEARCH_WALK_ROWS listings nearest the point inside
        the circle's box that hold the words within the asked price and rooms (each checked
        inside the GiST index, not on the table's rows), nearest first with their chord
        (`near`; past the cursor's distance for the next pages sorted by distance). The walk
        streams: a statement ordered by `near` with a LIMIT stops reading as soon as it has its
        rows."""
        if not walk:
            return "(SELECT l.*, NULL::float8 AS near FROM market_listing l) AS l", []
        q = self.q
        nearest = f"{EARTH} OPERATOR(public.<->) public.market_earth(%s, %s)"
        params: list = [q.latitude, q.longitude, q.latitude, q.longitude, float(q.radius_m)]
        more = ""  # the walk's own conditions beyond the box
        if after_distance is not None:
            more = f" AND {nearest} >= %s"
            params += [q.latitude, q.longitude, after_distance]
        # the words, the price and the rooms are columns of the GiST index (migrations 0006,
        # 0007): their conditions, as the page writes them, let the walk skip inside the index
        # the listings they rule out, so that it reads from the table only candidates
        text = _text_of(q, self.mode)
        if text:
            more += f" AND {TSV} @@ {TSQ}"
            params.append(text)
        conditions = _facet_conditions(q)
        for name in ("price", "rooms"):
            if name in conditions:
                cond, values = conditions[name]
                more += f" AND {cond}"
                params += values
        sql = (
            f"(SELECT l.*, {nearest} AS near FROM market_listing l WHERE {VISIBLE} AND l.latitude IS NOT NULL "  # noqa: S608
            f"AND {EARTH} <@ public.earth_box(public.market_earth(%s, %s), %s){more} "
            f"ORDER BY near LIMIT {walk_rows()}) AS l"
        )
        return sql, params

    def _rows(self, cursor, walk: bool, after_distance=None) -> tuple[list, int]:
        """The rows (a page and one; sorted by distance, with a page of slack for the ties)
        and how many were asked. Sorted by relevance each row ends with the pool's figures:
        the candidates read, the farthest of them and the farthest of the pool."""
        q, where = self.q, _where(self.q, self.mode, walk)
        source, source_params = self._source(walk, after_distance)
        if self.key == "rank":
            # relevance ranks the first MARKET_RELEVANCE_POOL matches (nearest first around a
            # point, else newest first; the id orders the ties): not every match of a common
            # word in a dense city. Walked, the pool is taken from the nearest candidates and a
            # tenth more, so that ties at its boundary can be told
            pool = relevance_pool()
            if walk:
                candidates = (
                    f"(SELECT c.*, count(*) OVER () AS read, max(c.near) OVER () AS read_edge FROM "  # noqa: S608
                    f"(SELECT l.* FROM {source} WHERE {where.where()} ORDER BY l.near "
                    f"LIMIT {pool + pool_slack(pool)}) AS c) AS l"
                )
                pool_sql = f"SELECT l.* FROM {candidates} ORDER BY l.near, l.id LIMIT {pool}"  # noqa: S608
                pool_params = [*source_params, *where.params]
            else:
                order = f"{PUBLISHED} DESC, l.id DESC"
                order_params: list = []
                if q.latitude is not None:
                    order = f"{EARTH} OPERATOR(public.<->) public.market_earth(%s, %s), l.id"
                    order_params = self.dist_params
                pool_sql = (
                    # around a point every match is read to be sorted: counted on the way
                    f"SELECT l.*, {'count(*) OVER ()' if q.latitude is not None else 'NULL::bigint'} AS read, "  # noqa: S608
                    "NULL::float8 AS read_edge "
                    f"FROM {source} WHERE {where.where()} ORDER BY {order} LIMIT {pool}"
                )
                pool_params = [*source_params, *where.params, *order_params]
            statement = (
                f"{self.select}, l.read, l.read_edge, l.pool_edge FROM "  # noqa: S608
                f"(SELECT p.*, max(p.near) OVER () AS pool_edge FROM ({pool_sql}) AS p) AS l "
                f"WHERE TRUE{self.keyset} ORDER BY sort_key DESC, l.id DESC LIMIT %s"
            )
            asked = q.limit + 1
            params = [*self.head, *pool_params, *self.keyset_params, asked]
        else:
            if self.key == "distance":
                # ORDER BY the distance alone (walked: the walk's own order, so it streams): a
                # second key keeps PostgreSQL off the index order (it sorted every match); the
                # ties — listings at one position — are ordered by id below, and read again in
                # full when a page would end inside more of them than were read
                order = "l.near" if walk else "sort_key"
                asked = 2 * q.limit + 1  # a page's worth of slack for the ties at its boundary
            else:
                order = f"sort_key {self.direction}, l.id {self.direction}"
                asked = q.limit + 1
            # sorted by distance without the walk every match is read to be sorted: counted
            counted = ", count(*) OVER ()" if self.key == "distance" and not walk else ""
            statement = f"{self.select}{counted} FROM {source} WHERE {where.where()}{self.keyset} ORDER BY {order} LIMIT %s"
            params = [*self.head, *source_params, *where.params, *self.keyset_params, asked]
        cursor.execute(statement, params)
        return cursor.fetchall(), asked

    def _ties(self, cursor, rows: list, asked: int) -> list:
        """Sorted by distance: the rows by (distance, id), read again in (distance, id) order
        when the page would end inside a group of ties longer than the slack."""
        rows.sort(key=lambda row: (row[18], row[0]))
        q = self.q
        if len(rows) == asked and rows[q.limit][18] == rows[-1][18]:
            where = _where(q, self.mode)
            cursor.execute(
                f"{self.select} FROM market_listing l WHERE {where.where()}{self.keyset} "
                "ORDER BY sort_key, l.id LIMIT %s",
                [*self.head, *where.params, *self.keyset_params, q.limit + 1],
            )
            rows = cursor.fetchall()
        return rows[: q.limit + 1]

    def read(self, cursor) -> list:
        """The rows read the planner's way; `self.counted`: the matches, when that way read
        them all (around a point, sorted by relevance or distance), else None."""
        rows, asked = self._rows(cursor, walk=False)
        self.counted = None
        if self.key == "rank":
            if rows and self.q.latitude is not None:
                self.counted = rows[0][20]
            return [row[:20] for row in rows]
        if self.key == "distance":
            if rows:
                self.counted = rows[0][20]
            return self._ties(cursor, [row[:20] for row in rows], asked)
        return rows

    def walked(self, cursor, after: list | None) -> list | None:
        """The walk's rows, or None when the walk cannot tell the answer: it gave fewer rows
        than asked (it may have stopped at its MARKET_SEARCH_WALK_ROWS listings, not at the
        circle's end), or the pool's farthest candidate ties with the ones left out."""
        after_distance = after[0] if after is not None and self.key == "distance" else None
        rows, asked = self._rows(cursor, walk=True, after_distance=after_distance)
        if self.key == "rank":
            if not rows:
                return None
            read, read_edge, pool_edge = rows[0][20:23]
            pool = relevance_pool()
            if read < pool + pool_slack(pool) or pool_edge >= read_edge:
                return None
            return [row[:20] for row in rows]
        if len(rows) < asked:
            return None
        # the rows are the nearest matches in the walk's order: a tie at the page's boundary
        # is read again exactly (a listing as near as the last one may come later in the walk)
        return self._ties(cursor, rows, asked)


class PostgresSearch:
    """base.SearchBackend on PostgreSQL (the one built, tested and measured)."""

    def search(self, q: SearchQuery) -> SearchPage:
        """The french full text first; when it matches nothing (a typo: «cotonu», «fidjrose»),
        the same query with its misspelt words corrected. The mode travels in the cursor, so
        the next pages read the same way."""
        after = base.decode_cursor(q)
        if after is not None and (
            len(after) != 3 or not isinstance(after[2], str) or after[2].rstrip(WALK) not in MODES
        ):
            raise base.InvalidSearch(field="after")
        with transaction.atomic():
            _own_work_mem()
            if after is not None:
                return self._page(q, after, after[2].rstrip(WALK), walk=after[2].endswith(WALK))
            corrected_text = _text_of(q, CORRECTED)
            # a misspelt word that no listing holds at all: the text as typed would walk and
            # read for nothing (one GIN lookup tells it), the corrected text answers
            if not corrected_text or self._text_found(q):
                page = self._page(q, None, FTS)
                if page.hits or not corrected_text:
                    return page
            return self._page(q, None, CORRECTED)

    def _text_found(self, q: SearchQuery) -> bool:
        """Whether any listing online matches the text as typed (nothing else asked)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT EXISTS (SELECT 1 FROM market_listing l WHERE {VISIBLE} AND {TSV} @@ {TSQ})",  # noqa: S608
                [_text_of(q, FTS)],
            )
            return cursor.fetchone()[0]

    def _page(self, q: SearchQuery, after: list | None, mode: str, walk: bool | None = None) -> SearchPage:
        """One page. Sorted by distance, or by relevance around a point, the page first walks
        the GiST index nearest first over at most MARKET_SEARCH_WALK_ROWS listings of the circle
        that hold the words in the asked price and rooms (whatever the size of the city: the
        walk stops after a page, or the relevance pool); when those hold too few matches of the
        other criteria — a rare purpose or amenity, the last page — the full text ∧ the cells
        read every match instead. The first page always tries the walk (the planner's estimate of
        a phrase or of words that go together runs a thousand times low: skipping the walk on it
        cost more than the walks it saved); the cursor keeps the choice for the next pages."""
        key, direction, key_sql = _order(q, mode)
        key_params = _key_params(q, key, mode)
        keyset, keyset_params = "", []
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
            keyset = f" AND ({key_sql}, l.id) {op} (%s, %s)"
            keyset_params = [*key_params, value, after[1]]
        page = _Statement(q, mode, key, key_sql, direction, key_params, keyset, keyset_params)
        if walk is None:  # a first page around a point tries the walk
            walk = q.latitude is not None
        with connection.cursor() as cursor:
            rows = page.walked(cursor, after) if walk and key in ("distance", "rank") else None
            walk = rows is not None
            if rows is None:
                rows = page.read(cursor)
            # the first page's total when it is known without reading the matches again: a
            # single page, or a read that went through them all; else None (the facets, which
            # read the matches anyway, count them: Facets.total)
            total = None
            if after is None:
                if len(rows) <= q.limit:
                    total = len(rows)
                elif page.counted is not None:
                    total = page.counted
        more = len(rows) > q.limit
        rows = rows[: q.limit]
        hits = [_hit(row) for row in rows]
        cursor_value = ""
        if more and rows:
            last = rows[-1]
            sort_value = last[18]
            if isinstance(sort_value, datetime):
                sort_value = sort_value.isoformat()
            cursor_value = base.encode_cursor(q, [sort_value, last[0], mode + (WALK if walk else "")])
        return SearchPage(hits=hits, next_cursor=cursor_value, total=total)

    def new_matches(self, q: SearchQuery, *, since, until, limit: int) -> list[ListingHit]:
        """The matches published in (since, until], newest first (the saved-search alerts).
        The window is read first (a materialized CTE on the newest-first index: a day is a
        small share of the market), the criteria apply to it; the text as `search` reads it."""
        dist_sql, dist_params = "NULL::float8", []
        if q.latitude is not None:
            dist_sql = f"public.earth_distance({EARTH}, public.market_earth(%s, %s))"
            dist_params = [q.latitude, q.longitude]
        modes = [FTS, CORRECTED] if _text_of(q, CORRECTED) else [FTS]
        with connection.cursor() as cursor:
            for mode in modes:
                where = _where(q, mode)
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
        """FTS when the text as typed matches something with the other criteria, else
        CORRECTED when a word was corrected (as `search` chooses)."""
        if not _text_of(q, CORRECTED):
            return FTS
        where = _where(q, FTS)
        with connection.cursor() as cursor:
            exists = f"SELECT EXISTS (SELECT 1 FROM market_listing l WHERE {where.where()})"  # noqa: S608
            cursor.execute(exists, where.params)
            return FTS if cursor.fetchone()[0] else CORRECTED

    def facets(self, q: SearchQuery) -> Facets:
        """One statement over a sixteenth of the matches of the non-facet criteria first
        (`mod(id, 16) = 0`: the last column of the cells' btree and the quarter of the
        full-text index, so the rows read fall sixteen-fold and the words' bitmap four-fold).
        E = MARKET_FACETS_EXACT_UP_TO: when that sixteenth stands for more than 4 × E matches,
        its counts times 16 are the answer; for more than E, the same statement over a quarter
        of them (`mod(id, 16) < 4`), times 4; else over every match.
        So an approximate answer always stands on at least E / 4 sampled matches (500 by
        default). The sample decides, not the planner's estimate: words that go together
        («chambre salon») or with a place («Cocody») are estimated ten times low."""
        with transaction.atomic():
            _own_work_mem()
            where = _Sql()
            _base_filters(q, where, self._mode(q))
            facets, rows = self._facets(q, where.plus(f"mod(l.id, {FACET_SAMPLE}) = 0"), FACET_SAMPLE)
            exact_up_to = facets_exact_up_to()
            if rows * FACET_SAMPLE > 4 * exact_up_to:
                return facets
            if rows * FACET_SAMPLE > exact_up_to:
                return self._facets(q, where.plus(FACET_QUARTER), 4)[0]
            return self._facets(q, where, 1)[0]

    def _facets(self, q: SearchQuery, where: _Sql, scale: int) -> tuple[Facets, int]:
        """The facets of the rows matching `where`, counts times `scale`, and how many rows."""
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
            "count(*) AS c_rows, "
            f"count(*) FILTER (WHERE {but('')}) AS c_total, "
            f"{amenity_counts} "
            "FROM m GROUP BY GROUPING SETS ((kind), (city), (neighbourhood), (rooms), (furnished), (band), ())"
        )
        with connection.cursor() as cursor:
            cursor.execute(statement, [*flags_params, *where.params])
            rows = cursor.fetchall()
        # the grand total's row (every GROUPING bit set): the rows read (c_rows) and the matches
        # of every filter (c_total)
        matched, total = next(((row[13], row[14]) for row in rows if row[0] == 63), (0, 0))
        # the counts scaled, the rows' count (row[13]) left out: then row[13] is the total
        # (c_total) and the amenities follow
        rows = [
            (*row[:7], *(None if c is None else c * scale for c in (*row[7:13], *row[14:]))) for row in rows
        ]
        out = Facets(exact=scale == 1, total=total * scale)
        # GROUPING bits, left to right: kind=32, city=16, neighbourhood=8, rooms=4, furnished=2, band=1
        for row in rows:
            g = row[0]
            kind, city, neighbourhood, rooms, furnished, band = row[1:7]
            c_kind, c_city, c_nb, c_rooms, c_furn, c_price = row[7:13]
            if g == 63:
                for amenity, count in zip(AMENITIES, row[14:], strict=True):
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
        return _sorted(out), matched


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
        total=f.total,
        exact=f.exact,
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
