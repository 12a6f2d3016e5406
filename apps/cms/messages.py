"""The messages cms sends (notification templates, French and English), registered
with notifications at start-up: `register_templates(TemplateDef(key="cms.…", …))`."""

# --- sites ---
# « find my pay link »'s SMS (registered on import: messages_sites.py keeps this file's
# blocks free of statements before the next part's imports; isort puts the import below)
# --- help ---
# support tickets: the acknowledgement of the contact form, and support's replies (SMS texts
# in GSM-7: no ê, ç, ’ or guillemets)
from apps.notifications.api import register_templates as _help_register
from apps.notifications.contracts import STR as _HELP_STR
from apps.notifications.contracts import Category as _HelpCategory
from apps.notifications.contracts import Channel as _HelpChannel
from apps.notifications.contracts import Priority as _HelpPriority
from apps.notifications.contracts import TemplateDef as _HelpTemplate
from apps.notifications.contracts import Text as _HelpText
from apps.notifications.contracts import Var as _HelpVar

from . import messages_sites as _sites_messages  # noqa: F401

CMS_HELP_TICKET_RECEIVED = "cms.help_ticket_received"
CMS_HELP_TICKET_REPLY = "cms.help_ticket_reply"

_HELP_REFERENCE = _HelpVar(_HELP_STR, "The ticket's reference", "SUP2026-000042")
_HELP_SUBJECT = _HelpVar(_HELP_STR, "The ticket's subject", "Mon paiement MoMo n'apparait pas")
_HELP_TEXT = _HelpVar(_HELP_STR, "Support's answer", "Bonjour, votre paiement a bien ete recu.")

_help_register(
    _HelpTemplate(
        key=CMS_HELP_TICKET_RECEIVED,
        description="The contact form opened a support ticket: its reference (cms help).",
        category=_HelpCategory.ACCOUNT,
        priority=_HelpPriority.TRANSACTIONAL,
        channels=(_HelpChannel.SMS, _HelpChannel.EMAIL),
        variables={"reference": _HELP_REFERENCE, "subject": _HELP_SUBJECT},
        defaults={
            _HelpChannel.SMS: {
                "fr": _HelpText(
                    "Hokwe : votre demande {{ reference }} est bien recue. Le support vous repond au plus vite."
                ),
                "en": _HelpText("Hokwe: we received your request {{ reference }}. Support will answer soon."),
            },
            _HelpChannel.EMAIL: {
                "fr": _HelpText(
                    "Bonjour,\n\nNous avons bien reçu votre demande « {{ subject }} » (référence "
                    "{{ reference }}). L'équipe support de Hokwe vous répond au plus vite.\n\nHokwe",
                    subject="Votre demande {{ reference }} est bien reçue",
                ),
                "en": _HelpText(
                    "Hello,\n\nWe received your request “{{ subject }}” (reference {{ reference }}). "
                    "Hokwe's support team will answer soon.\n\nHokwe",
                    subject="We received your request {{ reference }}",
                ),
            },
        },
    ),
    _HelpTemplate(
        key=CMS_HELP_TICKET_REPLY,
        description="Support answers a ticket, by SMS or e-mail (cms help).",
        category=_HelpCategory.ACCOUNT,
        priority=_HelpPriority.TRANSACTIONAL,
        channels=(_HelpChannel.SMS, _HelpChannel.EMAIL),
        variables={"reference": _HELP_REFERENCE, "subject": _HELP_SUBJECT, "message": _HELP_TEXT},
        defaults={
            _HelpChannel.SMS: {
                "fr": _HelpText("Hokwe support ({{ reference }}) : {{ message }}"),
                "en": _HelpText("Hokwe support ({{ reference }}): {{ message }}"),
            },
            _HelpChannel.EMAIL: {
                "fr": _HelpText(
                    "{{ message }}\n\n--\nLe support Hokwe · demande {{ reference }}",
                    subject="Re: {{ subject }} [{{ reference }}]",
                ),
                "en": _HelpText(
                    "{{ message }}\n\n--\nHokwe support · request {{ reference }}",
                    subject="Re: {{ subject }} [{{ reference }}]",
                ),
            },
        },
    ),
)


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
# The code that opens a shared document (the sharer gave the phone), plain GSM 7.
from apps.notifications.api import register_templates as _vault_register  # noqa: E402
from apps.notifications.contracts import STR as _VAULT_STR  # noqa: E402
from apps.notifications.contracts import Category as _VaultCategory  # noqa: E402
from apps.notifications.contracts import Channel as _VaultChannel  # noqa: E402
from apps.notifications.contracts import Priority as _VaultPriority  # noqa: E402
from apps.notifications.contracts import TemplateDef as _VaultTemplate  # noqa: E402
from apps.notifications.contracts import Text as _VaultText  # noqa: E402
from apps.notifications.contracts import Var as _VaultVar  # noqa: E402

CMS_VAULT_SHARE_CODE = "cms.vault_share_code"

_vault_register(
    _VaultTemplate(
        key=CMS_VAULT_SHARE_CODE,
        description="The code that opens a document shared from a Hokwe vault (cms vault).",
        category=_VaultCategory.SECURITY,
        priority=_VaultPriority.OTP,
        channels=(_VaultChannel.SMS,),
        variables={"code": _VaultVar(_VAULT_STR, "The 6-digit code", "482915")},
        defaults={
            _VaultChannel.SMS: {
                "fr": _VaultText("Hokwe : code {{ code }} pour ouvrir le document partagé avec vous."),
                "en": _VaultText("Hokwe: code {{ code }} to open the document shared with you."),
            }
        },
    ),
)
