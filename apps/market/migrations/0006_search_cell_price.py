"""PostgreSQL only (docs/market.md, "Search: how it is built"): the cells' btree carries the
price and the rooms.

`market_listing_s_cell` (cell) becomes `market_listing_s_cell_price` (cell, price, rooms). A
radius or a map still reads `cell = ANY(…)` from it; a price range and a least number of rooms
are now checked in the index too (the later columns of a btree are tested on its entries, before
any row is read), so a search «≤ 50,000 FCFA, 2 rooms or more» within 2 km of central Cotonou
ANDs 45,000 entries with the full text instead of the area's 200,000 listings (1,000,000
listings, bench/market.py; docs/performance.md "HokweSearch").

Built CONCURRENTLY (outside a transaction): the listings stay writable while it builds."""

from django.db import migrations

CREATE = """
CREATE INDEX CONCURRENTLY IF NOT EXISTS market_listing_s_cell_price ON market_listing (cell, price, rooms);
DROP INDEX CONCURRENTLY IF EXISTS market_listing_s_cell;
"""

DROPPED_INDEXES = ("market_listing_s_cell",)

DROP = """
CREATE INDEX CONCURRENTLY IF NOT EXISTS market_listing_s_cell ON market_listing (cell);
DROP INDEX CONCURRENTLY IF EXISTS market_listing_s_cell_price;
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
