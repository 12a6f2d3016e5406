"""PostgreSQL only (docs/market.md, "Search: how it is built"): the contrib extensions the
search uses (pg_trgm for typo-tolerant matching, unaccent, cube + earthdistance for the
position, btree_gist for the exclusion constraint), the `french_unaccent` text search
configuration (french stemming after unaccent), `market_earth(lat, lng)` (earthdistance's
`ll_to_earth` with every name schema-qualified, so autovacuum's empty search_path can
evaluate the index expression), and no two open visit slots of one host overlapping.

SQLite (the embedded profile) gets none of it: its search backend is the simple one, and
the one-booking-per-slot constraint of 0001 still holds there."""

from django.contrib.postgres.operations import (
    BtreeGistExtension,
    CreateExtension,
    TrigramExtension,
    UnaccentExtension,
)
from django.db import migrations

CREATE = """
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
    CREATE TEXT SEARCH CONFIGURATION public.french_unaccent (COPY = pg_catalog.french);
    ALTER TEXT SEARCH CONFIGURATION public.french_unaccent
      ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, pg_catalog.french_stem;
  END IF;
END $$;

CREATE OR REPLACE FUNCTION public.market_earth(lat double precision, lng double precision)
RETURNS public.earth LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT public.cube(public.cube(public.cube(
    public.earth() * cos(radians(lat)) * cos(radians(lng))),
    public.earth() * cos(radians(lat)) * sin(radians(lng))),
    public.earth() * sin(radians(lat)))::public.earth
$$;

ALTER TABLE market_visitslot ADD CONSTRAINT market_slot_host_no_overlap
EXCLUDE USING gist (host_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
WHERE (status = 'open');
"""

DROP = """
ALTER TABLE market_visitslot DROP CONSTRAINT IF EXISTS market_slot_host_no_overlap;
DROP FUNCTION IF EXISTS public.market_earth(double precision, double precision);
DROP TEXT SEARCH CONFIGURATION IF EXISTS public.french_unaccent;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("market", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        TrigramExtension(),
        UnaccentExtension(),
        CreateExtension("cube"),
        CreateExtension("earthdistance"),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
