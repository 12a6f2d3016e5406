"""Cms help: the help centre's tables (models/help.py), and on PostgreSQL what the search
reads that the ORM does not know (services/help.py):

- the text search configurations `public.cms_help_fr` (french stemming after unaccent) and
  `public.cms_help_en` (english, after unaccent), created when missing (the help part's own
  names: cms sits below market, whose `french_unaccent` it cannot count on);
- `cms_helparticle.search_tsv`, a stored generated tsvector: title (weight A), keywords (B),
  summary and body text (C), in the article's language's configuration; its GIN index;
- a trigram GIN index on `search_terms` (folded title and keywords): the typo step.

SQLite (the embedded profile) gets none of it: the help search there is icontains."""

import uuid

import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models

CONFIGS = """
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'cms_help_fr') THEN
    CREATE TEXT SEARCH CONFIGURATION public.cms_help_fr (COPY = pg_catalog.french);
    ALTER TEXT SEARCH CONFIGURATION public.cms_help_fr
      ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, pg_catalog.french_stem;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'cms_help_en') THEN
    CREATE TEXT SEARCH CONFIGURATION public.cms_help_en (COPY = pg_catalog.english);
    ALTER TEXT SEARCH CONFIGURATION public.cms_help_en
      ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, pg_catalog.english_stem;
  END IF;
END $$;
"""


def _vector(config: str) -> str:
    return (
        f"setweight(to_tsvector('public.{config}'::regconfig, coalesce(title, '')), 'A') || "
        f"setweight(to_tsvector('public.{config}'::regconfig, coalesce(keywords, '')), 'B') || "
        f"setweight(to_tsvector('public.{config}'::regconfig, coalesce(summary, '') || ' ' || coalesce(body_text, '')), 'C')"
    )


CREATE = (
    CONFIGS
    + f"""
ALTER TABLE cms_helparticle ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
  CASE WHEN language = 'en' THEN {_vector("cms_help_en")} ELSE {_vector("cms_help_fr")} END
) STORED;
CREATE INDEX cms_help_tsv ON cms_helparticle USING gin (search_tsv);
CREATE INDEX cms_help_terms_trgm ON cms_helparticle USING gin (search_terms gin_trgm_ops);
"""
)

DROP = """
DROP INDEX IF EXISTS cms_help_terms_trgm;
DROP INDEX IF EXISTS cms_help_tsv;
ALTER TABLE cms_helparticle DROP COLUMN IF EXISTS search_tsv;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    initial = False
    dependencies = [
        ("cms", "0002_sites"),
        ("wagtailcore", "0094_alter_page_locale"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.CreateModel(
            name="HelpCategory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("translation_key", models.UUIDField(default=uuid.uuid4, editable=False)),
                ("title", models.CharField(max_length=120, verbose_name="title")),
                ("slug", models.SlugField(max_length=80, verbose_name="slug")),
                (
                    "audience",
                    models.CharField(
                        choices=[
                            ("everyone", "everyone"),
                            ("tenant", "tenants"),
                            ("landlord", "landlords"),
                            ("agency", "agencies"),
                            ("merchant", "merchants"),
                        ],
                        default="everyone",
                        max_length=10,
                        verbose_name="audience",
                    ),
                ),
                (
                    "description",
                    models.CharField(blank=True, default="", max_length=300, verbose_name="description"),
                ),
                ("position", models.PositiveSmallIntegerField(default=100, verbose_name="position")),
                (
                    "locale",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="wagtailcore.locale",
                        verbose_name="locale",
                    ),
                ),
            ],
            options={
                "verbose_name": "help category",
                "verbose_name_plural": "help categories",
                "ordering": ["position", "title"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="HelpArticle",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("translation_key", models.UUIDField(default=uuid.uuid4, editable=False)),
                ("live", models.BooleanField(default=True, editable=False, verbose_name="live")),
                (
                    "has_unpublished_changes",
                    models.BooleanField(
                        default=False, editable=False, verbose_name="has unpublished changes"
                    ),
                ),
                (
                    "first_published_at",
                    models.DateTimeField(
                        blank=True, db_index=True, null=True, verbose_name="first published at"
                    ),
                ),
                (
                    "last_published_at",
                    models.DateTimeField(editable=False, null=True, verbose_name="last published at"),
                ),
                ("go_live_at", models.DateTimeField(blank=True, null=True, verbose_name="go live date/time")),
                ("expire_at", models.DateTimeField(blank=True, null=True, verbose_name="expiry date/time")),
                ("expired", models.BooleanField(default=False, editable=False, verbose_name="expired")),
                (
                    "audience",
                    models.CharField(
                        choices=[
                            ("everyone", "everyone"),
                            ("tenant", "tenants"),
                            ("landlord", "landlords"),
                            ("agency", "agencies"),
                            ("merchant", "merchants"),
                        ],
                        default="everyone",
                        max_length=10,
                        verbose_name="audience",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("slug", models.SlugField(max_length=120, verbose_name="slug")),
                ("summary", models.CharField(blank=True, default="", max_length=300, verbose_name="summary")),
                (
                    "keywords",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="Other words people use for this question, separated by spaces or commas.",
                        max_length=300,
                        verbose_name="keywords",
                    ),
                ),
                ("body", wagtail.fields.RichTextField(verbose_name="body")),
                ("position", models.PositiveSmallIntegerField(default=100, verbose_name="position")),
                (
                    "language",
                    models.CharField(default="fr", editable=False, max_length=5, verbose_name="language"),
                ),
                (
                    "search_terms",
                    models.TextField(blank=True, default="", editable=False, verbose_name="search terms"),
                ),
                (
                    "body_text",
                    models.TextField(blank=True, default="", editable=False, verbose_name="body as text"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "latest_revision",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="latest revision",
                    ),
                ),
                (
                    "live_revision",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="live revision",
                    ),
                ),
                (
                    "locale",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="wagtailcore.locale",
                        verbose_name="locale",
                    ),
                ),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="articles",
                        to="cms.helpcategory",
                        verbose_name="category",
                    ),
                ),
            ],
            options={
                "verbose_name": "help article",
                "verbose_name_plural": "help articles",
                "ordering": ["position", "title"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="HelpFeedback",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("helpful", models.BooleanField(verbose_name="helpful")),
                (
                    "reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("solved", "It answered my question"),
                            ("unclear", "It is hard to understand"),
                            ("incomplete", "Something is missing"),
                            ("outdated", "It is out of date or wrong"),
                            ("other_question", "It is not my question"),
                            ("other", "Another reason"),
                        ],
                        default="",
                        max_length=16,
                        verbose_name="reason",
                    ),
                ),
                (
                    "comment",
                    models.TextField(blank=True, default="", max_length=1000, verbose_name="comment"),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="feedback",
                        to="cms.helparticle",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "help feedback",
                "verbose_name_plural": "help feedback",
            },
        ),
        migrations.CreateModel(
            name="SupportTicket",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "public_id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
                ),
                ("reference", models.CharField(max_length=20, unique=True, verbose_name="reference")),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                (
                    "email",
                    models.EmailField(blank=True, default="", max_length=254, verbose_name="e-mail address"),
                ),
                ("phone", models.CharField(blank=True, default="", max_length=20, verbose_name="phone")),
                ("language", models.CharField(default="fr", max_length=5, verbose_name="language")),
                (
                    "audience",
                    models.CharField(
                        choices=[
                            ("everyone", "everyone"),
                            ("tenant", "tenants"),
                            ("landlord", "landlords"),
                            ("agency", "agencies"),
                            ("merchant", "merchants"),
                        ],
                        default="everyone",
                        max_length=10,
                        verbose_name="audience",
                    ),
                ),
                ("subject", models.CharField(max_length=200, verbose_name="subject")),
                ("message", models.TextField(max_length=5000, verbose_name="message")),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("web", "public page"),
                            ("manager", "manager"),
                            ("app", "app (REST or GraphQL)"),
                        ],
                        default="web",
                        max_length=8,
                        verbose_name="source",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("new", "new"),
                            ("open", "open"),
                            ("waiting", "waiting on the user"),
                            ("solved", "solved"),
                            ("closed", "closed"),
                        ],
                        default="new",
                        max_length=8,
                        verbose_name="status",
                    ),
                ),
                (
                    "priority",
                    models.CharField(
                        choices=[
                            ("urgent", "urgent"),
                            ("high", "high"),
                            ("normal", "normal"),
                            ("low", "low"),
                        ],
                        default="normal",
                        max_length=8,
                        verbose_name="priority",
                    ),
                ),
                ("due_at", models.DateTimeField(verbose_name="due by")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("solved_at", models.DateTimeField(blank=True, null=True, verbose_name="solved at")),
                (
                    "assignee",
                    models.ForeignKey(
                        blank=True,
                        limit_choices_to={"is_staff": True},
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="cms_assigned_tickets",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assigned to",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="cms_support_tickets",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "support ticket",
                "verbose_name_plural": "support tickets",
                "ordering": ["due_at"],
            },
        ),
        migrations.CreateModel(
            name="TicketMessage",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "public_id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "kind",
                    models.CharField(
                        choices=[("note", "internal note"), ("reply", "reply to the user")],
                        default="note",
                        max_length=5,
                        verbose_name="kind",
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        blank=True,
                        choices=[("email", "e-mail"), ("sms", "SMS")],
                        default="",
                        max_length=5,
                        verbose_name="channel",
                    ),
                ),
                ("body", models.TextField(max_length=5000, verbose_name="text")),
                (
                    "outcome",
                    models.CharField(
                        blank=True, default="", editable=False, max_length=12, verbose_name="delivery"
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "ticket",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="messages",
                        to="cms.supportticket",
                    ),
                ),
            ],
            options={
                "verbose_name": "ticket message",
                "verbose_name_plural": "ticket messages",
                "ordering": ["created_at"],
            },
        ),
        migrations.AddConstraint(
            model_name="helpcategory",
            constraint=models.UniqueConstraint(
                fields=("locale", "slug"), name="cms_helpcategory_locale_slug"
            ),
        ),
        migrations.AlterUniqueTogether(
            name="helpcategory",
            unique_together={("translation_key", "locale")},
        ),
        migrations.AddIndex(
            model_name="helparticle",
            index=models.Index(fields=["live", "language", "audience"], name="cms_help_live_lang_aud"),
        ),
        migrations.AddConstraint(
            model_name="helparticle",
            constraint=models.UniqueConstraint(fields=("locale", "slug"), name="cms_helparticle_locale_slug"),
        ),
        migrations.AlterUniqueTogether(
            name="helparticle",
            unique_together={("translation_key", "locale")},
        ),
        migrations.AddConstraint(
            model_name="helpfeedback",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", False)),
                fields=("article", "user"),
                name="cms_helpfeedback_one",
            ),
        ),
        migrations.AddIndex(
            model_name="supportticket",
            index=models.Index(fields=["status", "due_at"], name="cms_ticket_queue"),
        ),
        migrations.AddIndex(
            model_name="supportticket",
            index=models.Index(fields=["user", "-created_at"], name="cms_ticket_user"),
        ),
        migrations.AddConstraint(
            model_name="supportticket",
            constraint=models.CheckConstraint(
                condition=models.Q(("email", ""), ("phone", ""), _negated=True),
                name="cms_ticket_has_a_contact",
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
