"""PostgreSQL only (docs/market.md, "Search: how it is built"): the words go into the position's
GiST index, the facets' sample into the cells' btree and into a quarter of the full-text index,
and the places' btree covers every listing.

* `market_listing_s_earth_price` (GiST on the position, price, rooms) becomes
  `market_listing_s_earth_text` (the same and `search_tsv`, with the tsvector's own GiST
  operator class: a signature per listing). The nearest-first walk around a point checks the
  words inside the index as well: it reads from the table only the nearest listings that hold
  the words in the asked price and rooms, instead of the nearest listings of the circle and a
  text test on each row. Two common words together («appartement meublé») in a dense city no
  longer walk 5,000 listings for a handful of matches. A search without words uses it as it
  used the older index.
* `market_listing_s_cell_price` (cell, price, rooms) and `market_listing_s_sample`
  (`mod(id, 16)`) become `market_listing_s_cell_sample` (cell, price, rooms, `mod(id, 16)`):
  the facets' sixteenth and quarter of an area are read from the cells' entries themselves,
  instead of ANDing the area with a bitmap of a sixteenth (62,500 rows) or a quarter (250,000)
  of the whole market. A radius or a map reads the cells from it as before.
* `market_listing_s_fts_quarter`: the full-text GIN over the quarter `mod(id, 16) < 4` of the
  listings online. The facets' sixteenth (`mod(id, 16) = 0`, which implies the quarter) reads a
  common word's quarter (≈ 38,000 rows for «studio» at 1,000,000 listings) instead of all of it.
  The quarter's own statement does not use it: its `mod(id, 16) < 4` is then a condition of the
  cells' btree too, and PostgreSQL does not AND two bitmaps that rest on one clause. Its
  predicate also says `search_tsv IS NOT NULL`, which only a query with words implies (`@@` is
  strict): without it, the facets of a search without words scanned the whole index for its
  predicate (165 ms).
* `market_listing_s_facets16`: over the sixteenth `mod(id, 16) = 0` of the listings online,
  (purpose, country) and every column the facets count or filter by (INCLUDE). The facets of a
  search without words or place (the market's whole filter panel, «louer» and nothing else)
  read the sixteenth from it alone, an index-only scan of 5 MB, instead of the whole table
  (a parallel sequential scan of 756 MB, 290–310 ms → 50–63 ms at 1,000,000 listings).
* `market_listing_s_place` (lower(city), lower(neighbourhood)), partial on the listings
  online, becomes `market_listing_s_place_all`, over every listing: the planner ignores the
  statistics of a partial index's expressions (they may not stand for the whole table), and
  without them it took «Cotonou» for a small city; «studio» in Cotonou read the city's 315,000 entries (480 ms) instead of walking
  the newest (6 ms).

bench/market.py at 1,000,000 listings, docs/performance.md "HokweSearch".

Built CONCURRENTLY (outside a transaction): the listings stay writable while they build."""

from django.db import migrations

VISIBLE = "status IN ('published', 'reserved')"

CREATE = f"""
CREATE INDEX CONCURRENTLY IF NOT EXISTS market_listing_s_earth_text ON market_listing
  USING gist (public.market_earth(latitude, longitude), price, rooms, search_tsv)
  WHERE {VISIBLE} AND latitude IS NOT NULL;
DROP INDEX CONCURRENTLY IF EXISTS market_listing_s_earth_price;
CREATE INDEX CONCURRENTLY IF NOT EXISTS market_listing_s_cell_sample ON market_listing
  (cell, price, rooms, (mod(id, 16)));
DROP INDEX CONCURRENTLY IF EXISTS market_listing_s_cell_price;
DROP INDEX CONCURRENTLY IF EXISTS market_listing_s_sample;
CREATE INDEX CONCURRENTLY IF NOT EXISTS market_listing_s_fts_quarter ON market_listing
  USING gin (search_tsv) WHERE {VISIBLE} AND mod(id, 16) < 4 AND search_tsv IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS market_listing_s_facets16 ON market_listing (purpose, country)
  INCLUDE (kind, city, neighbourhood, rooms, furnished, price, water, own_meter, parking, air_conditioning,
  security, available_from) WHERE {VISIBLE} AND mod(id, 16) = 0;
CREATE INDEX CONCURRENTLY IF NOT EXISTS market_listing_s_place_all ON market_listing
  (lower(city), lower(neighbourhood));
DROP INDEX CONCURRENTLY IF EXISTS market_listing_s_place;
"""

DROPPED_INDEXES = (
    "market_listing_s_earth_price",
    "market_listing_s_cell_price",
    "market_listing_s_sample",
    "market_listing_s_place",
)

DROP = f"""
CREATE INDEX CONCURRENTLY IF NOT EXISTS market_listing_s_earth_price ON market_listing
  USING gist (public.market_earth(latitude, longitude), price, rooms) WHERE {VISIBLE} AND latitude IS NOT NULL;
DROP INDEX CONCURRENTLY IF EXISTS market_listing_s_earth_text;
CREATE INDEX CONCURRENTLY IF NOT EXISTS market_listing_s_cell_price ON market_listing (cell, price, rooms);
CREATE INDEX CONCURRENTLY IF NOT EXISTS market_listing_s_sample ON market_listing (mod(id, 16));
DROP INDEX CONCURRENTLY IF EXISTS market_listing_s_cell_sample;
DROP INDEX CONCURRENTLY IF EXISTS market_listing_s_fts_quarter;
DROP INDEX CONCURRENTLY IF EXISTS market_listing_s_facets16;
CREATE INDEX CONCURRENTLY IF NOT EXISTS market_listing_s_place ON market_listing
  (lower(city), lower(neighbourhood)) WHERE {VISIBLE};
DROP INDEX CONCURRENTLY IF EXISTS market_listing_s_place_all;
"""


def _run(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in sql.split(";"):
        if statement.strip():
            schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, CREATE)


def backwards(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("market", "0006_search_cell_price")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
