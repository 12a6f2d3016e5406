# Cms news: filled by the news part (its models' operations only): the news index and post
# pages (Wagtail), the announcements.
import uuid

import django.db.models.deletion
import django.utils.timezone
import wagtail.contrib.routable_page.models
import wagtail.fields
from django.db import migrations, models

import apps.cms.models.news


class Migration(migrations.Migration):
    initial = False
    dependencies = [
        ("cms", "0003_help"),
        ("wagtailcore", "0094_alter_page_locale"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.CreateModel(
            name="NewsIndexPage",
            fields=[
                (
                    "page_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.page",
                    ),
                ),
                (
                    "intro",
                    models.CharField(blank=True, default="", max_length=300, verbose_name="introduction"),
                ),
            ],
            options={
                "verbose_name": "news index",
                "verbose_name_plural": "news indexes",
            },
            bases=(
                apps.cms.models.news._NewsPageMixin,
                wagtail.contrib.routable_page.models.RoutablePageMixin,
                "wagtailcore.page",
            ),
        ),
        migrations.CreateModel(
            name="NewsAnnouncement",
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
                ("translation_key", models.UUIDField(unique=True, verbose_name="post")),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("", "no announcement"),
                            ("push", "push notification (and the in-app inbox)"),
                            ("sms", "SMS"),
                        ],
                        max_length=4,
                        verbose_name="channel",
                    ),
                ),
                (
                    "audience",
                    models.CharField(
                        choices=[
                            ("everyone", "everyone"),
                            ("tenants", "tenants"),
                            ("landlords", "landlords"),
                            ("agencies", "agencies"),
                        ],
                        max_length=10,
                        verbose_name="audience",
                    ),
                ),
                ("country", models.CharField(blank=True, default="", max_length=2, verbose_name="country")),
                ("city", models.CharField(blank=True, default="", max_length=100, verbose_name="city")),
                ("recipients", models.PositiveIntegerField(default=0, verbose_name="recipients")),
                (
                    "page",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.page",
                    ),
                ),
            ],
            options={
                "verbose_name": "news announcement",
                "verbose_name_plural": "news announcements",
                "ordering": ["-created_at"],
            },
        ),
        migrations.CreateModel(
            name="NewsPage",
            fields=[
                (
                    "page_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.page",
                    ),
                ),
                ("date", models.DateField(default=django.utils.timezone.localdate, verbose_name="date")),
                (
                    "intro",
                    models.CharField(
                        help_text="One or two sentences: the list, the feed and the announcement show them.",
                        max_length=300,
                        verbose_name="introduction",
                    ),
                ),
                (
                    "body",
                    wagtail.fields.StreamField(
                        [("paragraph", 0), ("image", 3), ("quote", 6)],
                        blank=True,
                        block_lookup={
                            0: (
                                "apps.cms.models.news.NewsRichTextBlock",
                                (),
                                {
                                    "features": ["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr"],
                                    "label": "Paragraph",
                                },
                            ),
                            1: ("wagtail.images.blocks.ImageChooserBlock", (), {"label": "Image"}),
                            2: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "Caption", "max_length": 200, "required": False},
                            ),
                            3: (
                                "wagtail.blocks.StructBlock",
                                [[("image", 1), ("caption", 2)]],
                                {"icon": "image", "label": "Image", "template": "cms/news/blocks/image.html"},
                            ),
                            4: ("wagtail.blocks.TextBlock", (), {"label": "Quote"}),
                            5: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "Author", "max_length": 120, "required": False},
                            ),
                            6: (
                                "wagtail.blocks.StructBlock",
                                [[("text", 4), ("author", 5)]],
                                {
                                    "icon": "openquote",
                                    "label": "Quote",
                                    "template": "cms/news/blocks/quote.html",
                                },
                            ),
                        },
                        verbose_name="body",
                    ),
                ),
                (
                    "audience",
                    models.CharField(
                        choices=[
                            ("everyone", "everyone"),
                            ("tenants", "tenants"),
                            ("landlords", "landlords"),
                            ("agencies", "agencies"),
                        ],
                        default="everyone",
                        max_length=10,
                        verbose_name="audience",
                    ),
                ),
                (
                    "country",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="ISO code (BJ, CI, TG…); empty: every country.",
                        max_length=2,
                        verbose_name="country",
                    ),
                ),
                (
                    "city",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="Empty: every city.",
                        max_length=100,
                        verbose_name="city",
                    ),
                ),
                (
                    "announce",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "no announcement"),
                            ("push", "push notification (and the in-app inbox)"),
                            ("sms", "SMS"),
                        ],
                        default="",
                        help_text="Sent once to the audience when the post goes live (quiet hours and each person's preferences respected); a post that went live more than two days ago is not announced.",
                        max_length=4,
                        verbose_name="announcement",
                    ),
                ),
                (
                    "image",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailimages.image",
                        verbose_name="image",
                    ),
                ),
            ],
            options={
                "verbose_name": "news post",
                "verbose_name_plural": "news posts",
                "indexes": [models.Index(fields=["date"], name="cms_newspage_date")],
            },
            bases=(apps.cms.models.news._NewsPageMixin, "wagtailcore.page"),
        ),
    ]
