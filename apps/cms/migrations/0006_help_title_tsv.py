"""Cms help: `cms_helparticle.title_tsv`, a stored generated tsvector of the title (weight A)
and keywords (B) alone, in the article's language's configuration. The search
(services/help.py) ranks by it which of the matching articles it ranks in full: a common pair
of words may match thousands of bodies, and ts_rank over every body tsvector was most of a
search's time. PostgreSQL only (SQLite's search is icontains)."""

from django.db import migrations


def _vector(config: str) -> str:
    return (
        f"setweight(to_tsvector('public.{config}'::regconfig, coalesce(title, '')), 'A') || "
        f"setweight(to_tsvector('public.{config}'::regconfig, coalesce(keywords, '')), 'B')"
    )


CREATE = f"""
ALTER TABLE cms_helparticle ADD COLUMN title_tsv tsvector GENERATED ALWAYS AS (
  CASE WHEN language = 'en' THEN {_vector("cms_help_en")} ELSE {_vector("cms_help_fr")} END
) STORED;
"""

DROP = "ALTER TABLE cms_helparticle DROP COLUMN IF EXISTS title_tsv;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("cms", "0005_vault")]

    operations = [migrations.RunPython(forwards, backwards)]
