"""Cms's settings: Wagtail's apps and settings, the help centre, news, the vault (HokweDoc).

Read by apps.core.conf.assemble before Django starts: no models, no Django settings here.
Each part keeps its settings in its own section below (sites, help, news, vault)."""

from apps.core.conf import env

BEAT_SCHEDULE: dict = {}

# Wagtail 7.0 LTS (docs/architecture.md, "Dependencies"): the editorial content. Its apps come
# after the Hokwe modules in INSTALLED_APPS (apps.core.conf, DJANGO_APPS).
DJANGO_APPS = [
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "django.contrib.sitemaps",
    "wagtail.locales",
    "wagtail.sites",
    "wagtail.snippets",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]
WAGTAIL_SITE_NAME = "Hokwe"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS: list = []  # no Wagtail documents: HokweDoc (the vault) keeps the files
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False


# --- sites ---


# --- help ---
# How long support has to answer a ticket, in hours, by priority (the queue's due time).
CMS_HELP_SLA_HOURS = {
    "urgent": env.int("CMS_HELP_SLA_URGENT_HOURS", default=4),
    "high": env.int("CMS_HELP_SLA_HIGH_HOURS", default=8),
    "normal": env.int("CMS_HELP_SLA_NORMAL_HOURS", default=24),
    "low": env.int("CMS_HELP_SLA_LOW_HOURS", default=72),
}
# Results of a help search (REST, GraphQL, pages) and of the contact form's suggestions.
CMS_HELP_SEARCH_LIMIT = env.int("CMS_HELP_SEARCH_LIMIT", default=10)
CMS_HELP_SUGGEST_LIMIT = env.int("CMS_HELP_SUGGEST_LIMIT", default=5)
# pg_trgm's word similarity threshold of the typo step (« paier loyé » for « payer loyer »).
CMS_HELP_TYPO_SIMILARITY = env.float("CMS_HELP_TYPO_SIMILARITY", default=0.4)
THROTTLE_RATES: dict = globals().get("THROTTLE_RATES", {})
# the contact form (pages, REST, GraphQL): tickets per client (the user, else the IP)
THROTTLE_RATES["cms.help_contact"] = env("THROTTLE_CMS_HELP_CONTACT", default="5/h")
# the public help search and its suggestions, per IP
THROTTLE_RATES["cms.help_search"] = env("THROTTLE_CMS_HELP_SEARCH", default="120/min")
# « was this helpful? », per client
THROTTLE_RATES["cms.help_feedback"] = env("THROTTLE_CMS_HELP_FEEDBACK", default="30/h")


# --- news ---
# Wagtail's publish_scheduled (go_live_at / expire_at of every page) and the posts'
# announcements, every minute.
BEAT_SCHEDULE["cms.news_publish_scheduled"] = {"task": "cms.news_publish_scheduled", "schedule": 60.0}
# A post is announced (push or SMS) only when it went live within these hours: choosing an
# announcement on an old post does not send it.
CMS_NEWS_ANNOUNCE_WITHIN_HOURS = env.int("CMS_NEWS_ANNOUNCE_WITHIN_HOURS", default=48)
# The links of the announcements when the post's site has no host name (the default site).
CMS_NEWS_PUBLIC_BASE_URL = env("CMS_NEWS_PUBLIC_BASE_URL", default="https://hokwe.co")
# Posts in a feed.
CMS_NEWS_FEED_ITEMS = env.int("CMS_NEWS_FEED_ITEMS", default=30)
THROTTLE_RATES: dict = globals().get("THROTTLE_RATES", {})
# the public news API (REST and its GraphQL fields), per IP
THROTTLE_RATES["cms.news"] = env("THROTTLE_CMS_NEWS", default="120/min")
# the posts' audiences in the OpenAPI schema ("audience" collides with the help centre's)
OPENAPI_ENUMS = {
    **globals().get("OPENAPI_ENUMS", {}),
    "CmsNewsAudienceEnum": "apps.cms.contracts.NEWS_AUDIENCES",
}


# --- vault ---
