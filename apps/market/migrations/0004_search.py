"""PostgreSQL only (docs/market.md, "Search: how it is built"): the search's partial indexes.

Every index covers the visible listings only (status published or reserved: the literal
predicate services/search_pg.py writes in each statement), so drafts and closed listings
cost nothing to the search:

* `search_tsv`, a stored generated column `to_tsvector('public.french_unaccent',
  search_text)` (PostgreSQL keeps it; the ORM never names it), with its GIN index: computing
  the tsvector per row in a filter cost ~80 µs a row (2.5 s over a dense city's 32,000
  listings), reading it costs ~1 µs;
* GIN trigram (`gin_trgm_ops`) on search_text: typos (`text <% search_text`);
* GiST on `public.market_earth(latitude, longitude)` (cube/earthdistance) for the radius and
  the map's bounds (`<@ earth_box(...)`), over the listings that have a position;
* btree for the keyset sorts: (price, id) and (published, id), and the city/neighbourhood
  filters (lower case).

SQLite (the embedded profile) gets none: its search backend is the simple one."""

from pathlib import Path

from django.db import migrations

VISIBLE = "status IN ('published', 'reserved')"

CREATE = f"""
ALTER TABLE market_listing ADD COLUMN IF NOT EXISTS search_tsv tsvector
  GENERATED ALWAYS AS (to_tsvector('public.french_unaccent'::regconfig, search_text)) STORED;
CREATE INDEX IF NOT EXISTS market_listing_s_fts ON market_listing USING gin (search_tsv) WHERE {VISIBLE};
CREATE INDEX IF NOT EXISTS market_listing_s_trgm ON market_listing
  USING gin (search_text public.gin_trgm_ops) WHERE {VISIBLE};
CREATE INDEX IF NOT EXISTS market_listing_s_earth ON market_listing
  USING gist (public.market_earth(latitude, longitude)) WHERE {VISIBLE} AND latitude IS NOT NULL;
CREATE INDEX IF NOT EXISTS market_listing_s_price ON market_listing (price, id) WHERE {VISIBLE};
CREATE INDEX IF NOT EXISTS market_listing_s_newest ON market_listing
  ((COALESCE(published_at, created_at)), id) WHERE {VISIBLE};
CREATE INDEX IF NOT EXISTS market_listing_s_place ON market_listing
  (lower(city), lower(neighbourhood)) WHERE {VISIBLE};
"""

DROP = """
DROP INDEX IF EXISTS market_listing_s_fts;
ALTER TABLE market_listing DROP COLUMN IF EXISTS search_tsv;
DROP INDEX IF EXISTS market_listing_s_trgm;
DROP INDEX IF EXISTS market_listing_s_earth;
DROP INDEX IF EXISTS market_listing_s_price;
DROP INDEX IF EXISTS market_listing_s_newest;
DROP INDEX IF EXISTS market_listing_s_place;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


# 0003 (the listings' migration) comes first when it exists: one line of migrations.
_before = sorted(p.stem for p in Path(__file__).parent.glob("0003_*.py"))


class Migration(migrations.Migration):
    dependencies = [("market", _before[0] if _before else "0002_postgres")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
