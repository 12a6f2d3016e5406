"""PostgreSQL only (docs/market.md, "Search: how it is built"): the cells' btree and the
position's GiST index carry the price and the rooms.

`market_listing_s_cell` (cell) becomes `market_listing_s_cell_price` (cell, price, rooms). A
radius or a map still reads `cell = ANY(…)` from it; a price range and a least number of rooms
are now checked in the index too (the later columns of a btree are tested on its entries, before
any row is read), so a search «≤ 50,000 FCFA, 2 rooms or more» within 2 km of central Cotonou
ANDs 45,000 entries with the full text instead of the area's 200,000 listings (1,000,000
listings, bench/market.py; docs/performance.md "HokweSearch").

`market_listing_s_earth` (GiST on the position) becomes `market_listing_s_earth_price`
(GiST on the position, price, rooms; btree_gist, installed by 0002): the nearest-first walk
then skips, inside the index, the listings a price range or a least number of rooms rules out,
so the 5,000 listings it walks are all candidates and it answers far more often.

Built CONCURRENTLY (outside a transaction): the listings stay writable while they build."""

from django.db import migrations

VISIBLE = "status IN ('published', 'reserved')"

CREATE = f"""
CREATE INDEX CONCURRENTLY IF NOT EXISTS market_listing_s_cell_price ON market_listing (cell, price, rooms);
DROP INDEX CONCURRENTLY IF EXISTS market_listing_s_cell;
CREATE INDEX CONCURRENTLY IF NOT EXISTS market_listing_s_earth_price ON market_listing
  USING gist (public.market_earth(latitude, longitude), price, rooms) WHERE {VISIBLE} AND latitude IS NOT NULL;
DROP INDEX CONCURRENTLY IF EXISTS market_listing_s_earth;
"""

DROPPED_INDEXES = ("market_listing_s_cell", "market_listing_s_earth")

DROP = f"""
CREATE INDEX CONCURRENTLY IF NOT EXISTS market_listing_s_cell ON market_listing (cell);
DROP INDEX CONCURRENTLY IF EXISTS market_listing_s_cell_price;
CREATE INDEX CONCURRENTLY IF NOT EXISTS market_listing_s_earth ON market_listing
  USING gist (public.market_earth(latitude, longitude)) WHERE {VISIBLE} AND latitude IS NOT NULL;
DROP INDEX CONCURRENTLY IF EXISTS market_listing_s_earth_price;
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

    dependencies = [("market", "0005_search_cells")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
