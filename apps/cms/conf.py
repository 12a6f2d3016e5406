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


# --- news ---


# --- vault ---
