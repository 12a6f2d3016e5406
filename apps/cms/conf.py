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
    # wagtail.users with its user screens off: users are identity's (apps/cms/wagtail_users.py)
    "apps.cms.wagtail_users.HokweWagtailUsersConfig",
    # Wagtail's admin needs its documents app (its config reverses the documents API); the
    # sites' editors may attach PDFs to pages, nothing else (HokweDoc keeps users' files)
    "wagtail.documents",
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
WAGTAILDOCS_EXTENSIONS = ["pdf"]  # the sites' PDFs only: HokweDoc (the vault) keeps the users' files
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False


# --- sites ---
# The editor's login is the back-office's (password + TOTP): apps/cms/web/editor.py.
WAGTAILADMIN_LOGIN_URL = "/admin/login/"
# One Wagtail Site per public host, its root the matching home page (migration 0002_sites).
# The default Site (127.0.0.1, localhost) holds the hub and the three sites under their slugs.
CMS_SITE_HOSTS = {
    "hokwe-co": env("CMS_HOST_HOLDING", default="hokwe.co"),
    "hokwe-com": env("CMS_HOST_PRODUCT", default="hokwe.com"),
    "hokwepay": env("CMS_HOST_PAY", default="pay.hokwe.com"),
}
# Anonymous GETs of the sites' pages are cached this long (seconds; 0: off); a hit is
# answered before the session and the URL resolver (apps.core.middleware.EarlyResponseMiddleware).
CMS_PAGE_CACHE_SECONDS = env.int("CMS_PAGE_CACHE_SECONDS", default=300)
EARLY_RESPONDERS = ["apps.cms.web.sites.cached_page"]
# « find my pay link »: tries per IP (the page answers the same whatever the number)
THROTTLE_RATES: dict = globals().get("THROTTLE_RATES", {})
THROTTLE_RATES["cms.pay_link"] = env("THROTTLE_CMS_PAY_LINK", default="5/h")
THROTTLE_RULES: list = globals().get("THROTTLE_RULES", [])
THROTTLE_RULES += [(r"^/pay-link/$", ("POST",), "cms.pay_link", "ip")]


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
# recipients per transaction of an announcement (a run stopped half-way resumes: once each)
CMS_NEWS_ANNOUNCE_CHUNK = env.int("CMS_NEWS_ANNOUNCE_CHUNK", default=5000)
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
from celery.schedules import crontab as _vault_crontab  # noqa: E402

# The largest file a user may upload to the vault (bytes); the request itself is bounded by
# HOKWE_MAX_UPLOAD_BYTES (core) before the vault reads it.
CMS_VAULT_MAX_UPLOAD_BYTES = env.int("CMS_VAULT_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
# Where the vault keeps its encrypted uploads (a key of STORAGES).
CMS_VAULT_STORAGE_ALIAS = env("CMS_VAULT_STORAGE_ALIAS", default="default")
# The content types an upload may have (checked on the file's first bytes, never its name).
CMS_VAULT_ALLOWED_TYPES = env.list(
    "CMS_VAULT_ALLOWED_TYPES",
    default=["application/pdf", "image/jpeg", "image/png", "image/webp"],
)
# How long a document is kept, in days, per kind (0: as long as its owner keeps it). The legal
# documents the platform generates are never purged before these (OHADA: 10 years for
# accounting documents: quittances, invoices, owner statements; leases 10 years after their end).
CMS_VAULT_RETENTION_DAYS = {
    "lease": env.int("CMS_VAULT_RETENTION_LEASE_DAYS", default=3650),
    "quittance": env.int("CMS_VAULT_RETENTION_QUITTANCE_DAYS", default=3650),
    "notice": env.int("CMS_VAULT_RETENTION_NOTICE_DAYS", default=1095),
    "owner_statement": env.int("CMS_VAULT_RETENTION_OWNER_STATEMENT_DAYS", default=3650),
    "formal_notice": env.int("CMS_VAULT_RETENTION_FORMAL_NOTICE_DAYS", default=3650),
    "invoice": env.int("CMS_VAULT_RETENTION_INVOICE_DAYS", default=3650),
    "screening_report": env.int("CMS_VAULT_RETENTION_SCREENING_REPORT_DAYS", default=365),
    "upload": env.int("CMS_VAULT_RETENTION_UPLOAD_DAYS", default=0),
    "other": env.int("CMS_VAULT_RETENTION_OTHER_DAYS", default=0),
}
# Share links: the longest life a sharer may give one (hours), and its default.
CMS_VAULT_SHARE_MAX_HOURS = env.int("CMS_VAULT_SHARE_MAX_HOURS", default=24 * 30)
CMS_VAULT_SHARE_DEFAULT_HOURS = env.int("CMS_VAULT_SHARE_DEFAULT_HOURS", default=72)
# Wrong codes before a share link's OTP is locked (the sharer makes a new link).
CMS_VAULT_SHARE_OTP_ATTEMPTS = env.int("CMS_VAULT_SHARE_OTP_ATTEMPTS", default=5)
# A listing page's size (keyset pages).
CMS_VAULT_PAGE_SIZE = env.int("CMS_VAULT_PAGE_SIZE", default=50)
# a search looks first among this many newest documents of the listing (selectors.vault_page)
CMS_VAULT_SEARCH_WINDOW = env.int("CMS_VAULT_SEARCH_WINDOW", default=2000)

BEAT_SCHEDULE["cms.vault_purge_expired"] = {
    "task": "cms.vault_purge_expired",
    "schedule": _vault_crontab(hour=3, minute=40),
}
# the names of the vault's REST choice sets in the OpenAPI schema (kind collides elsewhere)
OPENAPI_ENUMS = {
    **globals().get("OPENAPI_ENUMS", {}),
    "CmsVaultDocumentKindEnum": "apps.cms.rest.serializers_vault.DOCUMENT_KINDS",
    "CmsVaultOriginEnum": "apps.cms.rest.serializers_vault.ORIGINS",
    "CmsVaultShareStateEnum": "apps.cms.rest.serializers_vault.SHARE_STATES",
}
