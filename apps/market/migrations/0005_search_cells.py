"""PostgreSQL only (docs/market.md, "Search: how it is built"): the position's cell, and the
whole-text trigram index dropped.

* `cell`, a stored generated column: the 0.01° square (≈ 1.1 km) holding the listing,
  `row * 36000 + column` counted from (-90°, -180°) (services/search_pg.py `cells_of` writes
  the same arithmetic), null without a position; a btree, and statistics kept for 1,000
  values. The btree is over every listing, not the visible ones like the others: PostgreSQL
  never ANDs two bitmaps of partial indexes with the same predicate (it counts the predicate
  as a clause both share), and the cells ANDed with the full-text index is the search's usual
  plan (58 → 7 ms for «chambre salon» within 2 km in a dense city of 300,000 listings). A
  radius or a map reads `cell = ANY(…)`: PostgreSQL knows how many listings those cells hold
  (cube's `<@` is always guessed at 0.1 % of the table), so it chooses between the cells, the
  full-text index and the sorted indexes by what they cost.
  The GiST index stays: the distance sort walks it, and an area of more than 400 cells reads it;
* `market_listing_s_sample`, a btree on `mod(id, 16)`: facets over many matches count a
  sixteenth of them (a systematic sample by id: ids follow the order listings were created
  in, not their kind, place or price), ANDed with the cells and the full text so that only
  that sixteenth is read;
* `market_listing_s_trgm` (GIN trigram on the whole search_text) is dropped: typos are now
  corrected against the vocabulary of places and housing words before the full text runs,
  not matched against every listing.

Adding a stored column rewrites the table once (its rows are re-written under a lock)."""

from django.db import migrations

VISIBLE = "status IN ('published', 'reserved')"

CREATE = f"""
ALTER TABLE market_listing ADD COLUMN IF NOT EXISTS cell integer GENERATED ALWAYS AS (
  CASE WHEN latitude IS NOT NULL AND longitude IS NOT NULL
  THEN floor((latitude + 90) * 100)::integer * 36000 + floor((longitude + 180) * 100)::integer END
) STORED;
ALTER TABLE market_listing ALTER COLUMN cell SET STATISTICS 1000;
CREATE INDEX IF NOT EXISTS market_listing_s_cell ON market_listing (cell);
CREATE INDEX IF NOT EXISTS market_listing_s_sample ON market_listing (mod(id, 16));
DROP INDEX IF EXISTS market_listing_s_trgm;
"""

DROPPED_INDEXES = ("market_listing_s_trgm",)

DROP = f"""
DROP INDEX IF EXISTS market_listing_s_cell;
DROP INDEX IF EXISTS market_listing_s_sample;
ALTER TABLE market_listing DROP COLUMN IF EXISTS cell;
CREATE INDEX IF NOT EXISTS market_listing_s_trgm ON market_listing
  USING gin (search_text public.gin_trgm_ops) WHERE {VISIBLE};
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("market", "0004_search")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
