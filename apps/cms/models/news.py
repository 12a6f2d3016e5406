"""Cms news (HokweNews): the posts of the public sites, as Wagtail pages.

A site's NewsIndexPage (« Actualités », under the site's home page) holds its NewsPages. A
post has an audience (everyone, tenants, landlords, agencies), optionally a country and a
city, French and English versions (Wagtail's i18n: one `translation_key` for both), and is
scheduled with Wagtail's go_live_at / expire_at (the `cms.news_publish_scheduled` task runs
`publish_scheduled` every minute). It may be announced once to its audience by push or SMS
(NewsAnnouncement keeps that it was, so a re-publish never sends again).
"""

from __future__ import annotations

from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db import models
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.search import index

from apps.core.models import BaseModel

__all__ = ["NewsAnnounceChannel", "NewsAnnouncement", "NewsAudience", "NewsIndexPage", "NewsPage"]

# The rich text an editor may use in a post: no raw HTML, no embeds (Wagtail's whitelist drops
# anything else, so a <script> pasted in a post is never stored, let alone run).
NEWS_RICHTEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr"]


class NewsAudience(models.TextChoices):
    EVERYONE = "everyone", _("everyone")
    TENANTS = "tenants", _("tenants")
    LANDLORDS = "landlords", _("landlords")
    AGENCIES = "agencies", _("agencies")


class NewsAnnounceChannel(models.TextChoices):
    NONE = "", _("no announcement")
    PUSH = "push", _("push notification (and the in-app inbox)")
    SMS = "sms", _("SMS")


class NewsRichTextBlock(blocks.RichTextBlock):
    """Rich text whose output is whitelisted again by Wagtail's rules (wagtail.whitelist:
    known tags, href with a safe scheme, no other attribute), whatever wrote the stored
    source: the editor whitelists its input, but a shell, an import or a migration does not."""

    def render_basic(self, value, context=None):
        from django.utils.safestring import mark_safe
        from wagtail.rich_text import expand_db_html
        from wagtail.whitelist import Whitelister

        return mark_safe(Whitelister().clean(expand_db_html(value.source)))  # noqa: S308 -- whitelisted just above


class NewsBody(blocks.StreamBlock):
    paragraph = NewsRichTextBlock(features=NEWS_RICHTEXT_FEATURES, label=_("Paragraph"))
    image = blocks.StructBlock(
        [
            ("image", ImageChooserBlock(label=_("Image"))),
            ("caption", blocks.CharBlock(required=False, max_length=200, label=_("Caption"))),
        ],
        icon="image",
        label=_("Image"),
        template="cms/news/blocks/image.html",
    )
    quote = blocks.StructBlock(
        [
            ("text", blocks.TextBlock(label=_("Quote"))),
            ("author", blocks.CharBlock(required=False, max_length=120, label=_("Author"))),
        ],
        icon="openquote",
        label=_("Quote"),
        template="cms/news/blocks/quote.html",
    )


class _NewsPageMixin:
    """Like the sites' pages (models/sites.py, SitePage): an English page lives under /en/
    (Wagtail would give a translation its original's path outside i18n_patterns), and the
    site's context (its navigation, SEO, hreflang: services/sites.py)."""

    is_home = False

    @cached_property
    def site_home(self):
        """The home page of the site the page belongs to (the nearest home above it)."""
        for ancestor in self.get_ancestors().specific().reverse():
            if getattr(ancestor, "is_home", False):
                return ancestor
        return self.get_parent().specific

    @property
    def site_key(self) -> str:
        """The site the page belongs to (its home page's `site_key`: holding, product, pay)."""
        return getattr(self.site_home, "site_key", "hub")

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request=request)
        if parts is None or self.locale.language_code == "fr":
            return parts
        site_id, root_url, page_path = parts
        return site_id, root_url, "/en" + page_path

    def site_context(self, request) -> dict:
        """What the sites' base template reads (cms/sites/base.html; the sites part's pages get
        it from services/sites.py, which models may not import)."""
        home = self.site_home
        alternates = sorted(
            (
                {"lang": p.locale.language_code, "url": p.get_full_url(request=request)}
                for p in self.get_translations(inclusive=True).live().select_related("locale")
            ),
            key=lambda a: a["lang"] != "fr",
        )
        return {
            "site_home": home,
            "nav_pages": list(home.get_children().live().in_menu().specific()),
            "alternates": [a for a in alternates if a["url"]],
            "canonical_url": self.get_full_url(request=request),
            "language": self.locale.language_code,
            "og_title": self.seo_title or self.title,
            "og_description": self.search_description or getattr(self, "intro", ""),
        }


class NewsIndexPage(_NewsPageMixin, RoutablePageMixin, Page):
    """A site's news: the list of its live posts (newest first, 12 a page) and its Atom feed
    at `feed/`."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True, default="")

    # Under a site's home page (models/sites.py, whose home pages allow this one under them).
    parent_page_types = ["cms.HoldingHomePage", "cms.ProductHomePage", "cms.PayHomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count_per_parent = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    template = "cms/news/index.html"

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")

    def posts(self):
        """The live posts under this index, newest first."""
        return live_posts().child_of(self).order_by("-date", "-id")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        context.update(self.site_context(request))
        paginator = Paginator(self.posts(), 12)
        context["posts"] = paginator.get_page(request.GET.get("page"))
        context["feed_url"] = self.feed_url(request)
        context["base_template"] = news_base_template()
        return context

    def feed_url(self, request=None) -> str:
        return (self.get_url(request=request) or "/") + self.reverse_subpage("feed")

    @path("feed/", name="feed")
    def feed(self, request):
        return NewsFeed(self)(request)


class NewsPage(_NewsPageMixin, Page):
    """One post: a title, its date, an introduction, a body, an optional image; its audience
    and place; an optional announcement by push or SMS, sent once when it goes live."""

    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.CharField(
        _("introduction"),
        max_length=300,
        help_text=_("One or two sentences: the list, the feed and the announcement show them."),
    )
    body = StreamField(NewsBody(), blank=True, verbose_name=_("body"))
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("image"),
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=NewsAudience.choices, default=NewsAudience.EVERYONE
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        default="",
        help_text=_("ISO code (BJ, CI, TG…); empty: every country."),
    )
    city = models.CharField(
        _("city"), max_length=100, blank=True, default="", help_text=_("Empty: every city.")
    )
    announce = models.CharField(
        _("announcement"),
        max_length=4,
        blank=True,
        default=NewsAnnounceChannel.NONE,
        choices=NewsAnnounceChannel.choices,
        help_text=_(
            "Sent once to the audience when the post goes live (quiet hours and each person's "
            "preferences respected); a post that went live more than two days ago is not announced."
        ),
    )

    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list = []
    template = "cms/news/post.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldRowPanel([FieldPanel("country"), FieldPanel("city")]),
                FieldPanel("announce"),
            ],
            heading=_("Audience and announcement"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("audience"),
        index.FilterField("country"),
    ]

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        indexes = [models.Index(fields=["date"], name="cms_newspage_date")]

    def clean(self):
        super().clean()
        self.country = (self.country or "").strip().upper()
        self.city = (self.city or "").strip()
        if self.country and not (len(self.country) == 2 and self.country.isalpha()):
            from django.core.exceptions import ValidationError

            raise ValidationError({"country": _("A two-letter ISO country code (BJ, CI, TG…).")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.site_context(request))
        index_page = self.get_parent().specific
        context["index_page"] = index_page
        context["feed_url"] = index_page.feed_url(request) if isinstance(index_page, NewsIndexPage) else ""
        context["base_template"] = news_base_template()
        return context


class NewsAnnouncement(BaseModel):
    """That a post (all its translations: one `translation_key`) is being or was announced:
    unique per post, written before the messages, which go out in chunks of
    CMS_NEWS_ANNOUNCE_CHUNK recipients, each chunk its own transaction; `completed_at` once
    every chunk is written. An announcement left incomplete (a crash) is resumed by the next
    run, and notifications' idempotency key per recipient sends nobody twice. So a post is
    sent once whatever happens to the page later (re-published, edited, translated)."""

    translation_key = models.UUIDField(_("post"), unique=True)
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=4, choices=NewsAnnounceChannel.choices)
    audience = models.CharField(_("audience"), max_length=10, choices=NewsAudience.choices)
    country = models.CharField(_("country"), max_length=2, blank=True, default="")
    city = models.CharField(_("city"), max_length=100, blank=True, default="")
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    completed_at = models.DateTimeField(_("announcement completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("news announcement")
        verbose_name_plural = _("news announcements")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.translation_key} · {self.channel} · {self.recipients}"


NEWS_IMAGE_SPEC = "fill-1200x630"  # a post's cover (its page, the API)
NEWS_CARD_SPEC = "fill-400x225"  # the list's cards


def live_posts():
    """Live posts outside any private section and not past their expiry (publish_scheduled
    unpublishes them within the minute; they are hidden at once), their images' renditions
    fetched with them."""
    from django.db.models import Prefetch, Q
    from wagtail.images import get_image_model

    now = timezone.now()
    return (
        NewsPage.objects.live()
        .public()
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        .select_related("locale")
        .prefetch_related(
            Prefetch(
                "image",
                queryset=get_image_model().objects.prefetch_renditions(NEWS_IMAGE_SPEC, NEWS_CARD_SPEC),
            )
        )
    )


class NewsFeed(Feed):
    """The Atom feed of a site's news (django.contrib.syndication), served by its index page
    at `feed/` and linked from its pages with <link rel="alternate">."""

    feed_type = Atom1Feed

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page
        self.request = None

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index_page

    def title(self, index_page):
        return f"{index_page.title} · Hokwe"

    def subtitle(self, index_page):
        return index_page.intro or None

    def link(self, index_page):
        return index_page.get_full_url(request=self.request) or index_page.url

    def feed_url(self, index_page):
        return self.link(index_page) + index_page.reverse_subpage("feed")

    def language(self, index_page):
        return index_page.locale.language_code

    def items(self, index_page):
        return list(index_page.posts()[: settings.CMS_NEWS_FEED_ITEMS])

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return post.intro

    def item_link(self, post):
        return post.get_full_url(request=self.request) or post.url

    def item_guid(self, post):
        return f"urn:uuid:{post.translation_key}#{post.locale.language_code}"

    item_guid_is_permalink = False

    def item_pubdate(self, post):
        return timezone.make_aware(datetime.combine(post.date, time(8, 0)))

    def item_updateddate(self, post):
        return post.last_published_at or self.item_pubdate(post)

    def item_categories(self, post):
        return [post.audience, *([post.country] if post.country else []), *([post.city] if post.city else [])]


def news_base_template() -> str:
    """The public sites' base template when the sites part provides one, else the shell's."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    for name in ("cms/sites/base.html", "base.html"):
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        return name
    return "base.html"
