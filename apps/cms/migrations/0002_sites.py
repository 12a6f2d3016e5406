# Cms sites: the public sites' page models, then their page tree (the hub at "/" of the
# default site, the three home pages under it, one Site per public host).
import uuid

import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models

# The tree, written with the historical models (no treebeard methods here): Wagtail's
# "Welcome" page goes, the hub takes its place under the root, the three home pages under it.
HOMES = [
    ("hokwe-co", "holdinghomepage", "Hokwe, le groupe"),
    ("hokwe-com", "producthomepage", "Hokwe, la gestion locative"),
    ("hokwepay", "payhomepage", "HokwePay, payer son loyer"),
]


def _child_path(parent_path: str, index: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    digits = ""
    for _ in range(4):
        index, rest = divmod(index, 36)
        digits = alphabet[rest] + digits
    return parent_path + digits


def build_tree(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if apps.get_model("cms", "HubPage").objects.exists():
        return
    french, _ = Locale.objects.get_or_create(language_code="fr")
    Locale.objects.get_or_create(language_code="en")
    root = Page.objects.get(depth=1)
    # Wagtail's placeholder: a plain Page titled "Welcome…" with no children
    placeholder = ContentType.objects.get(app_label="wagtailcore", model="page")
    for welcome in Page.objects.filter(depth=2, content_type=placeholder, numchild=0):
        Site.objects.filter(root_page=welcome).delete()
        welcome.delete()
    children = Page.objects.filter(depth=2).order_by("-path").values_list("path", flat=True)
    last = int(children[0][-4:], 36) if children else 0
    root.numchild = Page.objects.filter(depth=2).count() + 1
    root.save(update_fields=["numchild"])

    def make(model, *, path, depth, title, slug, url_path, numchild=0):
        content_type, _ = ContentType.objects.get_or_create(app_label="cms", model=model)
        page_model = apps.get_model("cms", model)
        return page_model.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            path=path,
            depth=depth,
            numchild=numchild,
            url_path=url_path,
            content_type=content_type,
            locale=french,
            translation_key=uuid.uuid4(),
            live=True,
            has_unpublished_changes=False,
            body=[],
        )

    hub = make(
        "hubpage",
        path=_child_path(root.path, last + 1),
        depth=2,
        title="Hokwe",
        slug="hokwe",
        url_path="/hokwe/",
        numchild=len(HOMES),
    )
    Site.objects.filter(is_default_site=True).update(is_default_site=False)
    Site.objects.create(hostname="localhost", port=80, root_page=hub, is_default_site=True, site_name="Hokwe")
    for index, (slug, model, title) in enumerate(HOMES, start=1):
        home = make(
            model,
            path=_child_path(hub.path, index),
            depth=3,
            title=title,
            slug=slug,
            url_path=f"{hub.url_path}{slug}/",
        )
        Site.objects.create(hostname=settings.CMS_SITE_HOSTS[slug], port=80, root_page=home, site_name=title)


def remove_tree(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    for hub in apps.get_model("cms", "HubPage").objects.all():
        pages = Page.objects.filter(path__startswith=hub.path)
        Site.objects.filter(root_page__in=pages).delete()
        pages.delete()


class Migration(migrations.Migration):
    initial = False
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0094_alter_page_locale"),
        ("wagtailimages", "0027_image_description"),
    ]
    operations = [
        migrations.CreateModel(
            name="HubPage",
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
                    "body",
                    wagtail.fields.StreamField(
                        [
                            ("hero", 6),
                            ("features", 13),
                            ("pricing", 20),
                            ("testimonials", 26),
                            ("faq", 31),
                            ("cta", 33),
                            ("text", 36),
                            ("paylink_finder", 37),
                        ],
                        blank=True,
                        block_lookup={
                            0: ("wagtail.blocks.CharBlock", (), {"label": "title", "max_length": 120}),
                            1: ("wagtail.blocks.TextBlock", (), {"label": "text", "required": False}),
                            2: ("wagtail.blocks.CharBlock", (), {"label": "label", "max_length": 80}),
                            3: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {
                                    "help_text": "/manager/login/ or https://…",
                                    "label": "address",
                                    "max_length": 300,
                                },
                            ),
                            4: ("wagtail.blocks.StructBlock", [[("label", 2), ("url", 3)]], {}),
                            5: (
                                "wagtail.blocks.ListBlock",
                                (4,),
                                {"default": [], "label": "buttons", "max_num": 2},
                            ),
                            6: (
                                "wagtail.blocks.StructBlock",
                                [[("title", 0), ("text", 1), ("actions", 5)]],
                                {},
                            ),
                            7: ("wagtail.blocks.CharBlock", (), {"label": "heading", "max_length": 120}),
                            8: ("wagtail.blocks.TextBlock", (), {"label": "introduction", "required": False}),
                            9: ("wagtail.blocks.CharBlock", (), {"label": "title", "max_length": 100}),
                            10: ("wagtail.blocks.TextBlock", (), {"label": "text"}),
                            11: ("wagtail.blocks.StructBlock", [[("title", 9), ("text", 10)]], {}),
                            12: ("wagtail.blocks.ListBlock", (11,), {"label": "feature list"}),
                            13: (
                                "wagtail.blocks.StructBlock",
                                [[("heading", 7), ("intro", 8), ("items", 12)]],
                                {},
                            ),
                            14: ("wagtail.blocks.CharBlock", (), {"label": "name", "max_length": 60}),
                            15: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {
                                    "help_text": "as shown: « 15 000 FCFA / mois »",
                                    "label": "price",
                                    "max_length": 60,
                                },
                            ),
                            16: ("wagtail.blocks.CharBlock", (), {"max_length": 120}),
                            17: (
                                "wagtail.blocks.ListBlock",
                                (16,),
                                {"default": [], "label": "what it includes"},
                            ),
                            18: (
                                "wagtail.blocks.StructBlock",
                                [[("name", 14), ("price", 15), ("points", 17)]],
                                {},
                            ),
                            19: (
                                "wagtail.blocks.ListBlock",
                                (18,),
                                {"default": [], "label": "plans (when billing has no catalog)"},
                            ),
                            20: (
                                "wagtail.blocks.StructBlock",
                                [[("heading", 7), ("intro", 8), ("plans", 19)]],
                                {},
                            ),
                            21: ("wagtail.blocks.TextBlock", (), {"label": "quotation"}),
                            22: ("wagtail.blocks.CharBlock", (), {"label": "name", "max_length": 80}),
                            23: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "role", "max_length": 120, "required": False},
                            ),
                            24: (
                                "wagtail.blocks.StructBlock",
                                [[("quote", 21), ("name", 22), ("role", 23)]],
                                {},
                            ),
                            25: ("wagtail.blocks.ListBlock", (24,), {"label": "testimonials"}),
                            26: ("wagtail.blocks.StructBlock", [[("heading", 7), ("items", 25)]], {}),
                            27: ("wagtail.blocks.CharBlock", (), {"label": "question", "max_length": 200}),
                            28: ("wagtail.blocks.TextBlock", (), {"label": "answer"}),
                            29: ("wagtail.blocks.StructBlock", [[("question", 27), ("answer", 28)]], {}),
                            30: ("wagtail.blocks.ListBlock", (29,), {"label": "questions"}),
                            31: ("wagtail.blocks.StructBlock", [[("heading", 7), ("items", 30)]], {}),
                            32: (
                                "wagtail.blocks.StructBlock",
                                [[("label", 2), ("url", 3)]],
                                {"label": "button"},
                            ),
                            33: (
                                "wagtail.blocks.StructBlock",
                                [[("title", 0), ("text", 1), ("action", 32)]],
                                {},
                            ),
                            34: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "heading", "max_length": 120, "required": False},
                            ),
                            35: (
                                "wagtail.blocks.RichTextBlock",
                                (),
                                {"features": ["bold", "italic", "link", "ul", "ol"], "label": "text"},
                            ),
                            36: ("wagtail.blocks.StructBlock", [[("heading", 34), ("body", 35)]], {}),
                            37: ("wagtail.blocks.StructBlock", [[("heading", 7), ("text", 1)]], {}),
                        },
                        verbose_name="body",
                    ),
                ),
                (
                    "og_image",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailimages.image",
                        verbose_name="OpenGraph image",
                    ),
                ),
            ],
            options={
                "verbose_name": "hub page",
            },
            bases=("wagtailcore.page",),
        ),
        migrations.CreateModel(
            name="HoldingHomePage",
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
                    "body",
                    wagtail.fields.StreamField(
                        [
                            ("hero", 6),
                            ("features", 13),
                            ("pricing", 20),
                            ("testimonials", 26),
                            ("faq", 31),
                            ("cta", 33),
                            ("text", 36),
                            ("paylink_finder", 37),
                        ],
                        blank=True,
                        block_lookup={
                            0: ("wagtail.blocks.CharBlock", (), {"label": "title", "max_length": 120}),
                            1: ("wagtail.blocks.TextBlock", (), {"label": "text", "required": False}),
                            2: ("wagtail.blocks.CharBlock", (), {"label": "label", "max_length": 80}),
                            3: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {
                                    "help_text": "/manager/login/ or https://…",
                                    "label": "address",
                                    "max_length": 300,
                                },
                            ),
                            4: ("wagtail.blocks.StructBlock", [[("label", 2), ("url", 3)]], {}),
                            5: (
                                "wagtail.blocks.ListBlock",
                                (4,),
                                {"default": [], "label": "buttons", "max_num": 2},
                            ),
                            6: (
                                "wagtail.blocks.StructBlock",
                                [[("title", 0), ("text", 1), ("actions", 5)]],
                                {},
                            ),
                            7: ("wagtail.blocks.CharBlock", (), {"label": "heading", "max_length": 120}),
                            8: ("wagtail.blocks.TextBlock", (), {"label": "introduction", "required": False}),
                            9: ("wagtail.blocks.CharBlock", (), {"label": "title", "max_length": 100}),
                            10: ("wagtail.blocks.TextBlock", (), {"label": "text"}),
                            11: ("wagtail.blocks.StructBlock", [[("title", 9), ("text", 10)]], {}),
                            12: ("wagtail.blocks.ListBlock", (11,), {"label": "feature list"}),
                            13: (
                                "wagtail.blocks.StructBlock",
                                [[("heading", 7), ("intro", 8), ("items", 12)]],
                                {},
                            ),
                            14: ("wagtail.blocks.CharBlock", (), {"label": "name", "max_length": 60}),
                            15: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {
                                    "help_text": "as shown: « 15 000 FCFA / mois »",
                                    "label": "price",
                                    "max_length": 60,
                                },
                            ),
                            16: ("wagtail.blocks.CharBlock", (), {"max_length": 120}),
                            17: (
                                "wagtail.blocks.ListBlock",
                                (16,),
                                {"default": [], "label": "what it includes"},
                            ),
                            18: (
                                "wagtail.blocks.StructBlock",
                                [[("name", 14), ("price", 15), ("points", 17)]],
                                {},
                            ),
                            19: (
                                "wagtail.blocks.ListBlock",
                                (18,),
                                {"default": [], "label": "plans (when billing has no catalog)"},
                            ),
                            20: (
                                "wagtail.blocks.StructBlock",
                                [[("heading", 7), ("intro", 8), ("plans", 19)]],
                                {},
                            ),
                            21: ("wagtail.blocks.TextBlock", (), {"label": "quotation"}),
                            22: ("wagtail.blocks.CharBlock", (), {"label": "name", "max_length": 80}),
                            23: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "role", "max_length": 120, "required": False},
                            ),
                            24: (
                                "wagtail.blocks.StructBlock",
                                [[("quote", 21), ("name", 22), ("role", 23)]],
                                {},
                            ),
                            25: ("wagtail.blocks.ListBlock", (24,), {"label": "testimonials"}),
                            26: ("wagtail.blocks.StructBlock", [[("heading", 7), ("items", 25)]], {}),
                            27: ("wagtail.blocks.CharBlock", (), {"label": "question", "max_length": 200}),
                            28: ("wagtail.blocks.TextBlock", (), {"label": "answer"}),
                            29: ("wagtail.blocks.StructBlock", [[("question", 27), ("answer", 28)]], {}),
                            30: ("wagtail.blocks.ListBlock", (29,), {"label": "questions"}),
                            31: ("wagtail.blocks.StructBlock", [[("heading", 7), ("items", 30)]], {}),
                            32: (
                                "wagtail.blocks.StructBlock",
                                [[("label", 2), ("url", 3)]],
                                {"label": "button"},
                            ),
                            33: (
                                "wagtail.blocks.StructBlock",
                                [[("title", 0), ("text", 1), ("action", 32)]],
                                {},
                            ),
                            34: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "heading", "max_length": 120, "required": False},
                            ),
                            35: (
                                "wagtail.blocks.RichTextBlock",
                                (),
                                {"features": ["bold", "italic", "link", "ul", "ol"], "label": "text"},
                            ),
                            36: ("wagtail.blocks.StructBlock", [[("heading", 34), ("body", 35)]], {}),
                            37: ("wagtail.blocks.StructBlock", [[("heading", 7), ("text", 1)]], {}),
                        },
                        verbose_name="body",
                    ),
                ),
                (
                    "og_image",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailimages.image",
                        verbose_name="OpenGraph image",
                    ),
                ),
            ],
            options={
                "verbose_name": "hokwe.co home page",
            },
            bases=("wagtailcore.page",),
        ),
        migrations.CreateModel(
            name="HoldingPage",
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
                    "body",
                    wagtail.fields.StreamField(
                        [
                            ("hero", 6),
                            ("features", 13),
                            ("pricing", 20),
                            ("testimonials", 26),
                            ("faq", 31),
                            ("cta", 33),
                            ("text", 36),
                            ("paylink_finder", 37),
                        ],
                        blank=True,
                        block_lookup={
                            0: ("wagtail.blocks.CharBlock", (), {"label": "title", "max_length": 120}),
                            1: ("wagtail.blocks.TextBlock", (), {"label": "text", "required": False}),
                            2: ("wagtail.blocks.CharBlock", (), {"label": "label", "max_length": 80}),
                            3: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {
                                    "help_text": "/manager/login/ or https://…",
                                    "label": "address",
                                    "max_length": 300,
                                },
                            ),
                            4: ("wagtail.blocks.StructBlock", [[("label", 2), ("url", 3)]], {}),
                            5: (
                                "wagtail.blocks.ListBlock",
                                (4,),
                                {"default": [], "label": "buttons", "max_num": 2},
                            ),
                            6: (
                                "wagtail.blocks.StructBlock",
                                [[("title", 0), ("text", 1), ("actions", 5)]],
                                {},
                            ),
                            7: ("wagtail.blocks.CharBlock", (), {"label": "heading", "max_length": 120}),
                            8: ("wagtail.blocks.TextBlock", (), {"label": "introduction", "required": False}),
                            9: ("wagtail.blocks.CharBlock", (), {"label": "title", "max_length": 100}),
                            10: ("wagtail.blocks.TextBlock", (), {"label": "text"}),
                            11: ("wagtail.blocks.StructBlock", [[("title", 9), ("text", 10)]], {}),
                            12: ("wagtail.blocks.ListBlock", (11,), {"label": "feature list"}),
                            13: (
                                "wagtail.blocks.StructBlock",
                                [[("heading", 7), ("intro", 8), ("items", 12)]],
                                {},
                            ),
                            14: ("wagtail.blocks.CharBlock", (), {"label": "name", "max_length": 60}),
                            15: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {
                                    "help_text": "as shown: « 15 000 FCFA / mois »",
                                    "label": "price",
                                    "max_length": 60,
                                },
                            ),
                            16: ("wagtail.blocks.CharBlock", (), {"max_length": 120}),
                            17: (
                                "wagtail.blocks.ListBlock",
                                (16,),
                                {"default": [], "label": "what it includes"},
                            ),
                            18: (
                                "wagtail.blocks.StructBlock",
                                [[("name", 14), ("price", 15), ("points", 17)]],
                                {},
                            ),
                            19: (
                                "wagtail.blocks.ListBlock",
                                (18,),
                                {"default": [], "label": "plans (when billing has no catalog)"},
                            ),
                            20: (
                                "wagtail.blocks.StructBlock",
                                [[("heading", 7), ("intro", 8), ("plans", 19)]],
                                {},
                            ),
                            21: ("wagtail.blocks.TextBlock", (), {"label": "quotation"}),
                            22: ("wagtail.blocks.CharBlock", (), {"label": "name", "max_length": 80}),
                            23: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "role", "max_length": 120, "required": False},
                            ),
                            24: (
                                "wagtail.blocks.StructBlock",
                                [[("quote", 21), ("name", 22), ("role", 23)]],
                                {},
                            ),
                            25: ("wagtail.blocks.ListBlock", (24,), {"label": "testimonials"}),
                            26: ("wagtail.blocks.StructBlock", [[("heading", 7), ("items", 25)]], {}),
                            27: ("wagtail.blocks.CharBlock", (), {"label": "question", "max_length": 200}),
                            28: ("wagtail.blocks.TextBlock", (), {"label": "answer"}),
                            29: ("wagtail.blocks.StructBlock", [[("question", 27), ("answer", 28)]], {}),
                            30: ("wagtail.blocks.ListBlock", (29,), {"label": "questions"}),
                            31: ("wagtail.blocks.StructBlock", [[("heading", 7), ("items", 30)]], {}),
                            32: (
                                "wagtail.blocks.StructBlock",
                                [[("label", 2), ("url", 3)]],
                                {"label": "button"},
                            ),
                            33: (
                                "wagtail.blocks.StructBlock",
                                [[("title", 0), ("text", 1), ("action", 32)]],
                                {},
                            ),
                            34: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "heading", "max_length": 120, "required": False},
                            ),
                            35: (
                                "wagtail.blocks.RichTextBlock",
                                (),
                                {"features": ["bold", "italic", "link", "ul", "ol"], "label": "text"},
                            ),
                            36: ("wagtail.blocks.StructBlock", [[("heading", 34), ("body", 35)]], {}),
                            37: ("wagtail.blocks.StructBlock", [[("heading", 7), ("text", 1)]], {}),
                        },
                        verbose_name="body",
                    ),
                ),
                (
                    "og_image",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailimages.image",
                        verbose_name="OpenGraph image",
                    ),
                ),
            ],
            options={
                "verbose_name": "hokwe.co page",
            },
            bases=("wagtailcore.page",),
        ),
        migrations.CreateModel(
            name="ProductHomePage",
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
                    "body",
                    wagtail.fields.StreamField(
                        [
                            ("hero", 6),
                            ("features", 13),
                            ("pricing", 20),
                            ("testimonials", 26),
                            ("faq", 31),
                            ("cta", 33),
                            ("text", 36),
                            ("paylink_finder", 37),
                        ],
                        blank=True,
                        block_lookup={
                            0: ("wagtail.blocks.CharBlock", (), {"label": "title", "max_length": 120}),
                            1: ("wagtail.blocks.TextBlock", (), {"label": "text", "required": False}),
                            2: ("wagtail.blocks.CharBlock", (), {"label": "label", "max_length": 80}),
                            3: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {
                                    "help_text": "/manager/login/ or https://…",
                                    "label": "address",
                                    "max_length": 300,
                                },
                            ),
                            4: ("wagtail.blocks.StructBlock", [[("label", 2), ("url", 3)]], {}),
                            5: (
                                "wagtail.blocks.ListBlock",
                                (4,),
                                {"default": [], "label": "buttons", "max_num": 2},
                            ),
                            6: (
                                "wagtail.blocks.StructBlock",
                                [[("title", 0), ("text", 1), ("actions", 5)]],
                                {},
                            ),
                            7: ("wagtail.blocks.CharBlock", (), {"label": "heading", "max_length": 120}),
                            8: ("wagtail.blocks.TextBlock", (), {"label": "introduction", "required": False}),
                            9: ("wagtail.blocks.CharBlock", (), {"label": "title", "max_length": 100}),
                            10: ("wagtail.blocks.TextBlock", (), {"label": "text"}),
                            11: ("wagtail.blocks.StructBlock", [[("title", 9), ("text", 10)]], {}),
                            12: ("wagtail.blocks.ListBlock", (11,), {"label": "feature list"}),
                            13: (
                                "wagtail.blocks.StructBlock",
                                [[("heading", 7), ("intro", 8), ("items", 12)]],
                                {},
                            ),
                            14: ("wagtail.blocks.CharBlock", (), {"label": "name", "max_length": 60}),
                            15: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {
                                    "help_text": "as shown: « 15 000 FCFA / mois »",
                                    "label": "price",
                                    "max_length": 60,
                                },
                            ),
                            16: ("wagtail.blocks.CharBlock", (), {"max_length": 120}),
                            17: (
                                "wagtail.blocks.ListBlock",
                                (16,),
                                {"default": [], "label": "what it includes"},
                            ),
                            18: (
                                "wagtail.blocks.StructBlock",
                                [[("name", 14), ("price", 15), ("points", 17)]],
                                {},
                            ),
                            19: (
                                "wagtail.blocks.ListBlock",
                                (18,),
                                {"default": [], "label": "plans (when billing has no catalog)"},
                            ),
                            20: (
                                "wagtail.blocks.StructBlock",
                                [[("heading", 7), ("intro", 8), ("plans", 19)]],
                                {},
                            ),
                            21: ("wagtail.blocks.TextBlock", (), {"label": "quotation"}),
                            22: ("wagtail.blocks.CharBlock", (), {"label": "name", "max_length": 80}),
                            23: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "role", "max_length": 120, "required": False},
                            ),
                            24: (
                                "wagtail.blocks.StructBlock",
                                [[("quote", 21), ("name", 22), ("role", 23)]],
                                {},
                            ),
                            25: ("wagtail.blocks.ListBlock", (24,), {"label": "testimonials"}),
                            26: ("wagtail.blocks.StructBlock", [[("heading", 7), ("items", 25)]], {}),
                            27: ("wagtail.blocks.CharBlock", (), {"label": "question", "max_length": 200}),
                            28: ("wagtail.blocks.TextBlock", (), {"label": "answer"}),
                            29: ("wagtail.blocks.StructBlock", [[("question", 27), ("answer", 28)]], {}),
                            30: ("wagtail.blocks.ListBlock", (29,), {"label": "questions"}),
                            31: ("wagtail.blocks.StructBlock", [[("heading", 7), ("items", 30)]], {}),
                            32: (
                                "wagtail.blocks.StructBlock",
                                [[("label", 2), ("url", 3)]],
                                {"label": "button"},
                            ),
                            33: (
                                "wagtail.blocks.StructBlock",
                                [[("title", 0), ("text", 1), ("action", 32)]],
                                {},
                            ),
                            34: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "heading", "max_length": 120, "required": False},
                            ),
                            35: (
                                "wagtail.blocks.RichTextBlock",
                                (),
                                {"features": ["bold", "italic", "link", "ul", "ol"], "label": "text"},
                            ),
                            36: ("wagtail.blocks.StructBlock", [[("heading", 34), ("body", 35)]], {}),
                            37: ("wagtail.blocks.StructBlock", [[("heading", 7), ("text", 1)]], {}),
                        },
                        verbose_name="body",
                    ),
                ),
                (
                    "og_image",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailimages.image",
                        verbose_name="OpenGraph image",
                    ),
                ),
            ],
            options={
                "verbose_name": "hokwe.com home page",
            },
            bases=("wagtailcore.page",),
        ),
        migrations.CreateModel(
            name="ProductPage",
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
                    "body",
                    wagtail.fields.StreamField(
                        [
                            ("hero", 6),
                            ("features", 13),
                            ("pricing", 20),
                            ("testimonials", 26),
                            ("faq", 31),
                            ("cta", 33),
                            ("text", 36),
                            ("paylink_finder", 37),
                        ],
                        blank=True,
                        block_lookup={
                            0: ("wagtail.blocks.CharBlock", (), {"label": "title", "max_length": 120}),
                            1: ("wagtail.blocks.TextBlock", (), {"label": "text", "required": False}),
                            2: ("wagtail.blocks.CharBlock", (), {"label": "label", "max_length": 80}),
                            3: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {
                                    "help_text": "/manager/login/ or https://…",
                                    "label": "address",
                                    "max_length": 300,
                                },
                            ),
                            4: ("wagtail.blocks.StructBlock", [[("label", 2), ("url", 3)]], {}),
                            5: (
                                "wagtail.blocks.ListBlock",
                                (4,),
                                {"default": [], "label": "buttons", "max_num": 2},
                            ),
                            6: (
                                "wagtail.blocks.StructBlock",
                                [[("title", 0), ("text", 1), ("actions", 5)]],
                                {},
                            ),
                            7: ("wagtail.blocks.CharBlock", (), {"label": "heading", "max_length": 120}),
                            8: ("wagtail.blocks.TextBlock", (), {"label": "introduction", "required": False}),
                            9: ("wagtail.blocks.CharBlock", (), {"label": "title", "max_length": 100}),
                            10: ("wagtail.blocks.TextBlock", (), {"label": "text"}),
                            11: ("wagtail.blocks.StructBlock", [[("title", 9), ("text", 10)]], {}),
                            12: ("wagtail.blocks.ListBlock", (11,), {"label": "feature list"}),
                            13: (
                                "wagtail.blocks.StructBlock",
                                [[("heading", 7), ("intro", 8), ("items", 12)]],
                                {},
                            ),
                            14: ("wagtail.blocks.CharBlock", (), {"label": "name", "max_length": 60}),
                            15: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {
                                    "help_text": "as shown: « 15 000 FCFA / mois »",
                                    "label": "price",
                                    "max_length": 60,
                                },
                            ),
                            16: ("wagtail.blocks.CharBlock", (), {"max_length": 120}),
                            17: (
                                "wagtail.blocks.ListBlock",
                                (16,),
                                {"default": [], "label": "what it includes"},
                            ),
                            18: (
                                "wagtail.blocks.StructBlock",
                                [[("name", 14), ("price", 15), ("points", 17)]],
                                {},
                            ),
                            19: (
                                "wagtail.blocks.ListBlock",
                                (18,),
                                {"default": [], "label": "plans (when billing has no catalog)"},
                            ),
                            20: (
                                "wagtail.blocks.StructBlock",
                                [[("heading", 7), ("intro", 8), ("plans", 19)]],
                                {},
                            ),
                            21: ("wagtail.blocks.TextBlock", (), {"label": "quotation"}),
                            22: ("wagtail.blocks.CharBlock", (), {"label": "name", "max_length": 80}),
                            23: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "role", "max_length": 120, "required": False},
                            ),
                            24: (
                                "wagtail.blocks.StructBlock",
                                [[("quote", 21), ("name", 22), ("role", 23)]],
                                {},
                            ),
                            25: ("wagtail.blocks.ListBlock", (24,), {"label": "testimonials"}),
                            26: ("wagtail.blocks.StructBlock", [[("heading", 7), ("items", 25)]], {}),
                            27: ("wagtail.blocks.CharBlock", (), {"label": "question", "max_length": 200}),
                            28: ("wagtail.blocks.TextBlock", (), {"label": "answer"}),
                            29: ("wagtail.blocks.StructBlock", [[("question", 27), ("answer", 28)]], {}),
                            30: ("wagtail.blocks.ListBlock", (29,), {"label": "questions"}),
                            31: ("wagtail.blocks.StructBlock", [[("heading", 7), ("items", 30)]], {}),
                            32: (
                                "wagtail.blocks.StructBlock",
                                [[("label", 2), ("url", 3)]],
                                {"label": "button"},
                            ),
                            33: (
                                "wagtail.blocks.StructBlock",
                                [[("title", 0), ("text", 1), ("action", 32)]],
                                {},
                            ),
                            34: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "heading", "max_length": 120, "required": False},
                            ),
                            35: (
                                "wagtail.blocks.RichTextBlock",
                                (),
                                {"features": ["bold", "italic", "link", "ul", "ol"], "label": "text"},
                            ),
                            36: ("wagtail.blocks.StructBlock", [[("heading", 34), ("body", 35)]], {}),
                            37: ("wagtail.blocks.StructBlock", [[("heading", 7), ("text", 1)]], {}),
                        },
                        verbose_name="body",
                    ),
                ),
                (
                    "og_image",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailimages.image",
                        verbose_name="OpenGraph image",
                    ),
                ),
            ],
            options={
                "verbose_name": "hokwe.com page",
            },
            bases=("wagtailcore.page",),
        ),
        migrations.CreateModel(
            name="PayHomePage",
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
                    "body",
                    wagtail.fields.StreamField(
                        [
                            ("hero", 6),
                            ("features", 13),
                            ("pricing", 20),
                            ("testimonials", 26),
                            ("faq", 31),
                            ("cta", 33),
                            ("text", 36),
                            ("paylink_finder", 37),
                        ],
                        blank=True,
                        block_lookup={
                            0: ("wagtail.blocks.CharBlock", (), {"label": "title", "max_length": 120}),
                            1: ("wagtail.blocks.TextBlock", (), {"label": "text", "required": False}),
                            2: ("wagtail.blocks.CharBlock", (), {"label": "label", "max_length": 80}),
                            3: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {
                                    "help_text": "/manager/login/ or https://…",
                                    "label": "address",
                                    "max_length": 300,
                                },
                            ),
                            4: ("wagtail.blocks.StructBlock", [[("label", 2), ("url", 3)]], {}),
                            5: (
                                "wagtail.blocks.ListBlock",
                                (4,),
                                {"default": [], "label": "buttons", "max_num": 2},
                            ),
                            6: (
                                "wagtail.blocks.StructBlock",
                                [[("title", 0), ("text", 1), ("actions", 5)]],
                                {},
                            ),
                            7: ("wagtail.blocks.CharBlock", (), {"label": "heading", "max_length": 120}),
                            8: ("wagtail.blocks.TextBlock", (), {"label": "introduction", "required": False}),
                            9: ("wagtail.blocks.CharBlock", (), {"label": "title", "max_length": 100}),
                            10: ("wagtail.blocks.TextBlock", (), {"label": "text"}),
                            11: ("wagtail.blocks.StructBlock", [[("title", 9), ("text", 10)]], {}),
                            12: ("wagtail.blocks.ListBlock", (11,), {"label": "feature list"}),
                            13: (
                                "wagtail.blocks.StructBlock",
                                [[("heading", 7), ("intro", 8), ("items", 12)]],
                                {},
                            ),
                            14: ("wagtail.blocks.CharBlock", (), {"label": "name", "max_length": 60}),
                            15: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {
                                    "help_text": "as shown: « 15 000 FCFA / mois »",
                                    "label": "price",
                                    "max_length": 60,
                                },
                            ),
                            16: ("wagtail.blocks.CharBlock", (), {"max_length": 120}),
                            17: (
                                "wagtail.blocks.ListBlock",
                                (16,),
                                {"default": [], "label": "what it includes"},
                            ),
                            18: (
                                "wagtail.blocks.StructBlock",
                                [[("name", 14), ("price", 15), ("points", 17)]],
                                {},
                            ),
                            19: (
                                "wagtail.blocks.ListBlock",
                                (18,),
                                {"default": [], "label": "plans (when billing has no catalog)"},
                            ),
                            20: (
                                "wagtail.blocks.StructBlock",
                                [[("heading", 7), ("intro", 8), ("plans", 19)]],
                                {},
                            ),
                            21: ("wagtail.blocks.TextBlock", (), {"label": "quotation"}),
                            22: ("wagtail.blocks.CharBlock", (), {"label": "name", "max_length": 80}),
                            23: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "role", "max_length": 120, "required": False},
                            ),
                            24: (
                                "wagtail.blocks.StructBlock",
                                [[("quote", 21), ("name", 22), ("role", 23)]],
                                {},
                            ),
                            25: ("wagtail.blocks.ListBlock", (24,), {"label": "testimonials"}),
                            26: ("wagtail.blocks.StructBlock", [[("heading", 7), ("items", 25)]], {}),
                            27: ("wagtail.blocks.CharBlock", (), {"label": "question", "max_length": 200}),
                            28: ("wagtail.blocks.TextBlock", (), {"label": "answer"}),
                            29: ("wagtail.blocks.StructBlock", [[("question", 27), ("answer", 28)]], {}),
                            30: ("wagtail.blocks.ListBlock", (29,), {"label": "questions"}),
                            31: ("wagtail.blocks.StructBlock", [[("heading", 7), ("items", 30)]], {}),
                            32: (
                                "wagtail.blocks.StructBlock",
                                [[("label", 2), ("url", 3)]],
                                {"label": "button"},
                            ),
                            33: (
                                "wagtail.blocks.StructBlock",
                                [[("title", 0), ("text", 1), ("action", 32)]],
                                {},
                            ),
                            34: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "heading", "max_length": 120, "required": False},
                            ),
                            35: (
                                "wagtail.blocks.RichTextBlock",
                                (),
                                {"features": ["bold", "italic", "link", "ul", "ol"], "label": "text"},
                            ),
                            36: ("wagtail.blocks.StructBlock", [[("heading", 34), ("body", 35)]], {}),
                            37: ("wagtail.blocks.StructBlock", [[("heading", 7), ("text", 1)]], {}),
                        },
                        verbose_name="body",
                    ),
                ),
                (
                    "og_image",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailimages.image",
                        verbose_name="OpenGraph image",
                    ),
                ),
            ],
            options={
                "verbose_name": "HokwePay home page",
            },
            bases=("wagtailcore.page",),
        ),
        migrations.CreateModel(
            name="PayPage",
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
                    "body",
                    wagtail.fields.StreamField(
                        [
                            ("hero", 6),
                            ("features", 13),
                            ("pricing", 20),
                            ("testimonials", 26),
                            ("faq", 31),
                            ("cta", 33),
                            ("text", 36),
                            ("paylink_finder", 37),
                        ],
                        blank=True,
                        block_lookup={
                            0: ("wagtail.blocks.CharBlock", (), {"label": "title", "max_length": 120}),
                            1: ("wagtail.blocks.TextBlock", (), {"label": "text", "required": False}),
                            2: ("wagtail.blocks.CharBlock", (), {"label": "label", "max_length": 80}),
                            3: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {
                                    "help_text": "/manager/login/ or https://…",
                                    "label": "address",
                                    "max_length": 300,
                                },
                            ),
                            4: ("wagtail.blocks.StructBlock", [[("label", 2), ("url", 3)]], {}),
                            5: (
                                "wagtail.blocks.ListBlock",
                                (4,),
                                {"default": [], "label": "buttons", "max_num": 2},
                            ),
                            6: (
                                "wagtail.blocks.StructBlock",
                                [[("title", 0), ("text", 1), ("actions", 5)]],
                                {},
                            ),
                            7: ("wagtail.blocks.CharBlock", (), {"label": "heading", "max_length": 120}),
                            8: ("wagtail.blocks.TextBlock", (), {"label": "introduction", "required": False}),
                            9: ("wagtail.blocks.CharBlock", (), {"label": "title", "max_length": 100}),
                            10: ("wagtail.blocks.TextBlock", (), {"label": "text"}),
                            11: ("wagtail.blocks.StructBlock", [[("title", 9), ("text", 10)]], {}),
                            12: ("wagtail.blocks.ListBlock", (11,), {"label": "feature list"}),
                            13: (
                                "wagtail.blocks.StructBlock",
                                [[("heading", 7), ("intro", 8), ("items", 12)]],
                                {},
                            ),
                            14: ("wagtail.blocks.CharBlock", (), {"label": "name", "max_length": 60}),
                            15: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {
                                    "help_text": "as shown: « 15 000 FCFA / mois »",
                                    "label": "price",
                                    "max_length": 60,
                                },
                            ),
                            16: ("wagtail.blocks.CharBlock", (), {"max_length": 120}),
                            17: (
                                "wagtail.blocks.ListBlock",
                                (16,),
                                {"default": [], "label": "what it includes"},
                            ),
                            18: (
                                "wagtail.blocks.StructBlock",
                                [[("name", 14), ("price", 15), ("points", 17)]],
                                {},
                            ),
                            19: (
                                "wagtail.blocks.ListBlock",
                                (18,),
                                {"default": [], "label": "plans (when billing has no catalog)"},
                            ),
                            20: (
                                "wagtail.blocks.StructBlock",
                                [[("heading", 7), ("intro", 8), ("plans", 19)]],
                                {},
                            ),
                            21: ("wagtail.blocks.TextBlock", (), {"label": "quotation"}),
                            22: ("wagtail.blocks.CharBlock", (), {"label": "name", "max_length": 80}),
                            23: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "role", "max_length": 120, "required": False},
                            ),
                            24: (
                                "wagtail.blocks.StructBlock",
                                [[("quote", 21), ("name", 22), ("role", 23)]],
                                {},
                            ),
                            25: ("wagtail.blocks.ListBlock", (24,), {"label": "testimonials"}),
                            26: ("wagtail.blocks.StructBlock", [[("heading", 7), ("items", 25)]], {}),
                            27: ("wagtail.blocks.CharBlock", (), {"label": "question", "max_length": 200}),
                            28: ("wagtail.blocks.TextBlock", (), {"label": "answer"}),
                            29: ("wagtail.blocks.StructBlock", [[("question", 27), ("answer", 28)]], {}),
                            30: ("wagtail.blocks.ListBlock", (29,), {"label": "questions"}),
                            31: ("wagtail.blocks.StructBlock", [[("heading", 7), ("items", 30)]], {}),
                            32: (
                                "wagtail.blocks.StructBlock",
                                [[("label", 2), ("url", 3)]],
                                {"label": "button"},
                            ),
                            33: (
                                "wagtail.blocks.StructBlock",
                                [[("title", 0), ("text", 1), ("action", 32)]],
                                {},
                            ),
                            34: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "heading", "max_length": 120, "required": False},
                            ),
                            35: (
                                "wagtail.blocks.RichTextBlock",
                                (),
                                {"features": ["bold", "italic", "link", "ul", "ol"], "label": "text"},
                            ),
                            36: ("wagtail.blocks.StructBlock", [[("heading", 34), ("body", 35)]], {}),
                            37: ("wagtail.blocks.StructBlock", [[("heading", 7), ("text", 1)]], {}),
                        },
                        verbose_name="body",
                    ),
                ),
                (
                    "og_image",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailimages.image",
                        verbose_name="OpenGraph image",
                    ),
                ),
            ],
            options={
                "verbose_name": "HokwePay page",
            },
            bases=("wagtailcore.page",),
        ),
        migrations.RunPython(build_tree, remove_tree),
    ]
