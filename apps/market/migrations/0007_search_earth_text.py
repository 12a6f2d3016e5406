"""PostgreSQL only (docs/market.md, "Search: how it is built"): the position's GiST index
carries the full text too.

`market_listing_s_earth_price` (GiST on the position, price, rooms) becomes
`market_listing_s_earth_text` (GiST on the position, price, rooms and `search_tsv`; the
tsvector's own GiST operator class, a signature per listing). The nearest-first walk of a
search around a point then checks the words inside the index as well: it reads from the table
only the nearest listings that hold the words, in the asked price and rooms, instead of the
nearest listings of the circle and a text test on each row. Two common words together
(«appartement meublé») in a dense city no longer walk 5,000 listings for a handful of matches
(bench/market.py: radius p95 at 1,000,000 listings; docs/performance.md "HokweSearch"). A
search without words uses it as it used the older index.

Built CONCURRENTLY (outside a transaction): the listings stay writable while it builds."""

from django.db import migrations

VISIBLE = "status IN ('published', 'reserved')"

CREATE = f"""
CREATE INDEX CONCURRENTLY IF NOT EXISTS market_listing_s_earth_text ON market_listing
  USING gist (public.market_earth(latitude, longitude), price, rooms, search_tsv)
  WHERE {VISIBLE} AND latitude IS NOT NULL;
DROP INDEX CONCURRENTLY IF EXISTS market_listing_s_earth_price;
"""

DROPPED_INDEXES = ("market_listing_s_earth_price",)

DROP = f"""
CREATE INDEX CONCURRENTLY IF NOT EXISTS market_listing_s_earth_price ON market_listing
  USING gist (public.market_earth(latitude, longitude), price, rooms) WHERE {VISIBLE} AND latitude IS NOT NULL;
DROP INDEX CONCURRENTLY IF EXISTS market_listing_s_earth_text;
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
