"""The messages cms sends (notification templates, French and English), registered
with notifications at start-up: `register_templates(TemplateDef(key="cms.…", …))`."""


# --- sites ---


# --- help ---


# --- news ---
# the announcement of a news post to its audience (marketing: opt-outs and quiet hours apply;
# bulk queue). The French texts read the French version, the English ones the English version
# (the French again when the post is not translated). SMS texts in GSM-7.
from apps.notifications.api import register_templates as _news_register  # noqa: E402
from apps.notifications.contracts import STR as _NEWS_STR  # noqa: E402
from apps.notifications.contracts import URL as _NEWS_URL  # noqa: E402
from apps.notifications.contracts import Category as _NewsCategory  # noqa: E402
from apps.notifications.contracts import Channel as _NewsChannel  # noqa: E402
from apps.notifications.contracts import Priority as _NewsPriority  # noqa: E402
from apps.notifications.contracts import TemplateDef as _NewsTemplate  # noqa: E402
from apps.notifications.contracts import Text as _NewsText  # noqa: E402
from apps.notifications.contracts import Var as _NewsVar  # noqa: E402

CMS_NEWS_ANNOUNCEMENT = "cms.news_announcement"

_news_register(
    _NewsTemplate(
        key=CMS_NEWS_ANNOUNCEMENT,
        description="A news post announced to its audience by push or SMS, once (cms news).",
        category=_NewsCategory.MARKETING,
        priority=_NewsPriority.BULK,
        channels=(_NewsChannel.PUSH, _NewsChannel.INAPP, _NewsChannel.SMS),
        action_url="url",
        variables={
            "title": _NewsVar(_NEWS_STR, "The post's title (French)", "Payez votre loyer par Moov Money"),
            "summary": _NewsVar(
                _NEWS_STR,
                "Its introduction (French; empty in an SMS)",
                "Le paiement par Moov Money arrive au Bénin.",
                required=False,
            ),
            "url": _NewsVar(_NEWS_URL, "The post (French)", "https://hokwe.co/actualites/moov-money/"),
            "title_en": _NewsVar(_NEWS_STR, "The post's title (English)", "Pay your rent with Moov Money"),
            "summary_en": _NewsVar(
                _NEWS_STR,
                "Its introduction (English; empty in an SMS)",
                "Moov Money payments arrive in Benin.",
                required=False,
            ),
            "url_en": _NewsVar(_NEWS_URL, "The post (English)", "https://hokwe.co/en/news/moov-money/"),
        },
        defaults={
            _NewsChannel.PUSH: {
                "fr": _NewsText("{{ summary }}", subject="{{ title }}"),
                "en": _NewsText("{{ summary_en }}", subject="{{ title_en }}"),
            },
            _NewsChannel.INAPP: {
                "fr": _NewsText("{{ summary }}", subject="{{ title }}"),
                "en": _NewsText("{{ summary_en }}", subject="{{ title_en }}"),
            },
            _NewsChannel.SMS: {
                "fr": _NewsText("Hokwe : {{ title }}. A lire : {{ url }}"),
                "en": _NewsText("Hokwe: {{ title_en }}. Read more: {{ url_en }}"),
            },
        },
    )
)


# --- vault ---
