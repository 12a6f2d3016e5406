"""Cms sites: the Wagtail pages of the public sites (hokwe.co, hokwe.com, pay.hokwe.com).

One Wagtail Site per public host (migration 0002_sites): its root is that site's home page, and
every page under a home page belongs to that site and uses its templates. On the default Site
(127.0.0.1) a small hub page sits at "/" with the three home pages under it (/hokwe-co/,
/hokwe-com/, /hokwepay/). French pages are the originals; English ones are their translations
(wagtail.contrib.simple_translation), served under /en/ (web/fallback_urls.py).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

__all__ = [
    "HoldingHomePage",
    "HoldingPage",
    "HubPage",
    "PayHomePage",
    "PayPage",
    "ProductHomePage",
    "ProductPage",
    "SitePage",
]


# What a page's template reads besides its fields (its site's navigation, hreflang alternates,
# the pricing catalog) comes from the services, which models may not import: the web layer
# registers them here at start-up (web/sites.py, register_page_context, from CmsConfig.ready).
CONTEXT_PROVIDERS: list = []  # provider(page, request) -> dict
PLANS_PROVIDERS: list = []  # provider(fallback=[plan dicts]) -> [plan dicts]


# --- blocks -----------------------------------------------------------------------------------


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("label"), max_length=80)
    url = blocks.CharBlock(label=_("address"), max_length=300, help_text=_("/manager/login/ or https://…"))


class HeroBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False)
    actions = blocks.ListBlock(LinkBlock(), label=_("buttons"), max_num=2, default=[])

    class Meta:
        template = "cms/sites/blocks/hero.html"
        icon = "title"
        label = _("Hero")


class FeatureBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=100)
    text = blocks.TextBlock(label=_("text"))


class FeaturesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    intro = blocks.TextBlock(label=_("introduction"), required=False)
    items = blocks.ListBlock(FeatureBlock(), label=_("feature list"))

    class Meta:
        template = "cms/sites/blocks/features.html"
        icon = "list-ul"
        label = _("Features")


class PlanBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("name"), max_length=60)
    price = blocks.CharBlock(label=_("price"), max_length=60, help_text=_("as shown: « 15 000 FCFA / mois »"))
    points = blocks.ListBlock(blocks.CharBlock(max_length=120), label=_("what it includes"), default=[])


class PricingBlock(blocks.StructBlock):
    """The plans come from billing's catalog when billing registered it (cms.api,
    register_pricing_source); the plans written here are shown otherwise."""

    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    intro = blocks.TextBlock(label=_("introduction"), required=False)
    plans = blocks.ListBlock(PlanBlock(), label=_("plans (when billing has no catalog)"), default=[])

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        fallback = [
            {"name": p["name"], "price": p["price"], "points": list(p["points"])} for p in value["plans"]
        ]
        context["plans"] = PLANS_PROVIDERS[0](fallback=fallback) if PLANS_PROVIDERS else fallback
        return context

    class Meta:
        template = "cms/sites/blocks/pricing.html"
        icon = "table"
        label = _("Pricing table")


class TestimonialBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quotation"))
    name = blocks.CharBlock(label=_("name"), max_length=80)
    role = blocks.CharBlock(label=_("role"), max_length=120, required=False)


class TestimonialsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    items = blocks.ListBlock(TestimonialBlock(), label=_("testimonials"))

    class Meta:
        template = "cms/sites/blocks/testimonials.html"
        icon = "openquote"
        label = _("Testimonials")


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=200)
    answer = blocks.TextBlock(label=_("answer"))


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    items = blocks.ListBlock(QuestionBlock(), label=_("questions"))

    class Meta:
        template = "cms/sites/blocks/faq.html"
        icon = "help"
        label = _("FAQ")


class CTABlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False)
    action = LinkBlock(label=_("button"))

    class Meta:
        template = "cms/sites/blocks/cta.html"
        icon = "pick"
        label = _("Call to action")


class TextBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120, required=False)
    body = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        template = "cms/sites/blocks/text.html"
        icon = "doc-full"
        label = _("Text")


class PayLinkFinderBlock(blocks.StructBlock):
    """The « find my pay link » form: a phone number, then an SMS (never a list on screen)."""

    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False)

    class Meta:
        template = "cms/sites/blocks/paylink_finder.html"
        icon = "mail"
        label = _("Find my pay link")


SITE_BLOCKS = [
    ("hero", HeroBlock()),
    ("features", FeaturesBlock()),
    ("pricing", PricingBlock()),
    ("testimonials", TestimonialsBlock()),
    ("faq", FAQBlock()),
    ("cta", CTABlock()),
    ("text", TextBlock()),
    ("paylink_finder", PayLinkFinderBlock()),
]


# --- pages ------------------------------------------------------------------------------------


class SitePage(Page):
    """What every page of the public sites has: a body of blocks and its SEO (Wagtail's
    seo_title and search_description, an OpenGraph image, hreflang alternates from its
    translations). Its site is the home page above it (`site_key`)."""

    body = StreamField(SITE_BLOCKS, blank=True, use_json_field=True, verbose_name=_("body"))
    og_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("OpenGraph image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [*Page.content_panels, FieldPanel("body")]
    promote_panels = [*Page.promote_panels, FieldPanel("og_image")]

    # the site the page belongs to: its templates (templates/cms/sites/<site_key>/) and style
    site_key = "hub"

    class Meta:
        abstract = True

    def get_template(self, request, *args, **kwargs):
        return f"cms/sites/{self.site_key}/{'home' if self.is_home else 'page'}.html"

    is_home = False

    def get_url_parts(self, request=None):
        # Wagtail gives a translation the same path as its original when the serving view is
        # not under i18n_patterns (which would change every other page's language): English
        # pages live under /en/ (web/fallback_urls.py).
        parts = super().get_url_parts(request=request)
        if parts is None or self.locale.language_code == "fr":
            return parts
        site_id, root_url, page_path = parts
        return site_id, root_url, "/en" + page_path

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request=request)
        alternates = [
            {"lang_code": t.locale.language_code, "location": t.get_full_url(request=request)}
            for t in self.get_translations(inclusive=True).live().select_related("locale").specific()
        ]
        if len(alternates) > 1:
            for url in urls:
                url["alternates"] = alternates
        return urls

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        for provider in CONTEXT_PROVIDERS:
            context.update(provider(self, request))
        return context


_HOMES = ["cms.HoldingHomePage", "cms.ProductHomePage", "cms.PayHomePage"]


class HubPage(SitePage):
    """The default site's root ("/" on 127.0.0.1): links to the manager and the three sites."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = _HOMES
    is_home = True

    class Meta:
        verbose_name = _("hub page")


class HoldingHomePage(SitePage):
    """hokwe.co: the group, its products, news, contact."""

    site_key = "holding"
    is_home = True
    parent_page_types = ["cms.HubPage"]
    subpage_types = ["cms.HoldingPage", "cms.NewsIndexPage"]

    class Meta:
        verbose_name = _("hokwe.co home page")


class HoldingPage(SitePage):
    site_key = "holding"
    parent_page_types = ["cms.HoldingHomePage", "cms.HoldingPage"]
    subpage_types = ["cms.HoldingPage"]

    class Meta:
        verbose_name = _("hokwe.co page")


class ProductHomePage(SitePage):
    """hokwe.com: features for landlords, agencies and tenants, pricing, testimonials, FAQ."""

    site_key = "product"
    is_home = True
    parent_page_types = ["cms.HubPage"]
    subpage_types = ["cms.ProductPage", "cms.NewsIndexPage"]

    class Meta:
        verbose_name = _("hokwe.com home page")


class ProductPage(SitePage):
    site_key = "product"
    parent_page_types = ["cms.ProductHomePage", "cms.ProductPage"]
    subpage_types = ["cms.ProductPage"]

    class Meta:
        verbose_name = _("hokwe.com page")


class PayHomePage(SitePage):
    """pay.hokwe.com: how to pay rent, payment methods, merchant and checkout offers, « find
    my pay link »."""

    site_key = "pay"
    is_home = True
    parent_page_types = ["cms.HubPage"]
    subpage_types = ["cms.PayPage", "cms.NewsIndexPage"]

    class Meta:
        verbose_name = _("HokwePay home page")


class PayPage(SitePage):
    site_key = "pay"
    parent_page_types = ["cms.PayHomePage", "cms.PayPage"]
    subpage_types = ["cms.PayPage"]

    class Meta:
        verbose_name = _("HokwePay page")
