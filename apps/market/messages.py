"""The messages market sends (notification templates, French and English), registered
with notifications at start-up: `register_templates(TemplateDef(key="market.…", …))`."""

# --- visits: the seeker's and the host's SMS on booking, cancel, reschedule; the reminder ---
from apps.notifications.api import register_templates as _visits_register
from apps.notifications.contracts import DATETIME as _V_DATETIME
from apps.notifications.contracts import STR as _V_STR
from apps.notifications.contracts import URL as _V_URL
from apps.notifications.contracts import Category as _VCategory
from apps.notifications.contracts import Channel as _VChannel
from apps.notifications.contracts import Priority as _VPriority
from apps.notifications.contracts import TemplateDef as _VTemplate
from apps.notifications.contracts import Text as _VText
from apps.notifications.contracts import Var as _VVar

MARKET_VISIT_BOOKED = "market.visit_booked"
MARKET_VISIT_BOOKED_HOST = "market.visit_booked_host"
MARKET_VISIT_CANCELED = "market.visit_canceled"
MARKET_VISIT_CANCELED_HOST = "market.visit_canceled_host"
MARKET_VISIT_RESCHEDULED = "market.visit_rescheduled"
MARKET_VISIT_RESCHEDULED_HOST = "market.visit_rescheduled_host"
MARKET_VISIT_REMINDER = "market.visit_reminder"

_V_LISTING = _VVar(_V_STR, "The listing's title", "Studio meublé à Fidjrossè")
_V_STARTS = _VVar(_V_DATETIME, "When the visit starts (ISO 8601)", "2026-12-05T10:00:00+00:00")
_V_CODE = _VVar(_V_STR, "The booking's code", "K7Q2M9XA")
_V_MANAGE = _VVar(_V_URL, "The page to cancel or reschedule", "https://booking.hokwe.com/booking/v/K7Q2M9XA/")
_V_SEEKER = _VVar(_V_STR, "The seeker's name", "Awa Dossou")
_V_PHONE = _VVar(_V_STR, "The seeker's phone number", "+2290197000001")
_V_PLACE = _VVar(_V_STR, "Where to meet (the slot's meeting point, else the address)", "Fidjrossè, Cotonou")


def _v_sms(fr: str, en: str) -> dict:
    return {_VChannel.SMS: {"fr": _VText(fr), "en": _VText(en)}}


def _v_template(key: str, description: str, variables: dict, fr: str, en: str) -> _VTemplate:
    return _VTemplate(
        key=key,
        description=description,
        category=_VCategory.ACCOUNT,
        priority=_VPriority.TRANSACTIONAL,
        channels=(_VChannel.SMS,),
        variables=variables,
        defaults=_v_sms(fr, en),
    )


_visits_register(
    _v_template(
        MARKET_VISIT_BOOKED,
        "A seeker booked a visit of a listing: the confirmation with the code (market).",
        {"listing": _V_LISTING, "starts_at": _V_STARTS, "code": _V_CODE, "manage_url": _V_MANAGE},
        "Hokwe : visite de « {{ listing }} » réservée le {{ starts_at }}. Code {{ code }}. "
        "Annuler ou changer : {{ manage_url }}",
        "Hokwe: your visit of “{{ listing }}” is booked for {{ starts_at }}. Code {{ code }}. "
        "Cancel or change: {{ manage_url }}",
    ),
    _v_template(
        MARKET_VISIT_BOOKED_HOST,
        "A seeker booked one of the host's visit slots (market).",
        {"listing": _V_LISTING, "starts_at": _V_STARTS, "seeker_name": _V_SEEKER, "seeker_phone": _V_PHONE},
        "Hokwe : {{ seeker_name }} ({{ seeker_phone }}) visitera « {{ listing }} » le {{ starts_at }}.",
        "Hokwe: {{ seeker_name }} ({{ seeker_phone }}) will visit “{{ listing }}” on {{ starts_at }}.",
    ),
    _v_template(
        MARKET_VISIT_CANCELED,
        "A visit was canceled (by the seeker or the host): to the seeker (market).",
        {"listing": _V_LISTING, "starts_at": _V_STARTS, "code": _V_CODE},
        "Hokwe : la visite de « {{ listing }} » du {{ starts_at }} (code {{ code }}) est annulée.",
        "Hokwe: the visit of “{{ listing }}” on {{ starts_at }} (code {{ code }}) is canceled.",
    ),
    _v_template(
        MARKET_VISIT_CANCELED_HOST,
        "A visit was canceled (by the seeker or the host): to the host (market).",
        {"listing": _V_LISTING, "starts_at": _V_STARTS, "seeker_name": _V_SEEKER},
        "Hokwe : la visite de « {{ listing }} » du {{ starts_at }} avec {{ seeker_name }} est annulée.",
        "Hokwe: the visit of “{{ listing }}” on {{ starts_at }} with {{ seeker_name }} is canceled.",
    ),
    _v_template(
        MARKET_VISIT_RESCHEDULED,
        "The seeker moved their visit to another slot: the new time and code (market).",
        {"listing": _V_LISTING, "starts_at": _V_STARTS, "code": _V_CODE, "manage_url": _V_MANAGE},
        "Hokwe : votre visite de « {{ listing }} » est déplacée au {{ starts_at }}. Nouveau code "
        "{{ code }}. Gérer : {{ manage_url }}",
        "Hokwe: your visit of “{{ listing }}” is moved to {{ starts_at }}. New code {{ code }}. "
        "Manage: {{ manage_url }}",
    ),
    _v_template(
        MARKET_VISIT_RESCHEDULED_HOST,
        "A seeker moved their visit to another of the host's slots (market).",
        {
            "listing": _V_LISTING,
            "starts_at": _V_STARTS,
            "old_starts_at": _VVar(_V_DATETIME, "The former time (ISO 8601)", "2026-12-04T10:00:00+00:00"),
            "seeker_name": _V_SEEKER,
        },
        "Hokwe : {{ seeker_name }} déplace sa visite de « {{ listing }} » du {{ old_starts_at }} au "
        "{{ starts_at }}.",
        "Hokwe: {{ seeker_name }} moved their visit of “{{ listing }}” from {{ old_starts_at }} to "
        "{{ starts_at }}.",
    ),
    _v_template(
        MARKET_VISIT_REMINDER,
        "A reminder of a booked visit, once, the day before or about 2 h before (market).",
        {
            "listing": _V_LISTING,
            "starts_at": _V_STARTS,
            "place": _V_PLACE,
            "code": _V_CODE,
            "manage_url": _V_MANAGE,
        },
        "Hokwe : rappel, visite de « {{ listing }} » le {{ starts_at }}, {{ place }}. "
        "Annuler ou changer : {{ manage_url }}",
        "Hokwe: reminder, visit of “{{ listing }}” on {{ starts_at }}, {{ place }}. "
        "Can't come? {{ manage_url }}",
    ),
)


# --- applications and local services ---
from apps.notifications.api import register_templates as _apps_register  # noqa: E402
from apps.notifications.contracts import MONEY as _APPS_MONEY  # noqa: E402
from apps.notifications.contracts import STR as _APPS_STR  # noqa: E402
from apps.notifications.contracts import Category as _AppsCategory  # noqa: E402
from apps.notifications.contracts import Channel as _AppsChannel  # noqa: E402
from apps.notifications.contracts import Priority as _AppsPriority  # noqa: E402
from apps.notifications.contracts import TemplateDef as _AppsTemplate  # noqa: E402
from apps.notifications.contracts import Text as _AppsText  # noqa: E402
from apps.notifications.contracts import Var as _AppsVar  # noqa: E402

APPLICATION_ACCEPTED = "market.application_accepted"
APPLICATION_DECLINED = "market.application_declined"
QUOTE_RECEIVED = "market.quote_received"
QUOTE_ACCEPTED = "market.quote_accepted"
QUOTE_PAID = "market.quote_paid"

_APPS_LISTING = _AppsVar(_APPS_STR, "The listing's title", "Appartement 2 pièces à Fidjrossè")
_APPS_PROVIDER = _AppsVar(_APPS_STR, "The provider's business name", "Plomberie Akpovi")
_APPS_AMOUNT = _AppsVar(_APPS_MONEY, "The quote's amount", {"amount": 25000, "currency": "XOF"})


def _apps_texts(fr_sms: str, en_sms: str, fr_subject: str, en_subject: str) -> dict:
    return {
        _AppsChannel.SMS: {"fr": _AppsText(fr_sms), "en": _AppsText(en_sms)},
        _AppsChannel.INAPP: {
            "fr": _AppsText(fr_sms.removeprefix("Hokwe: "), subject=fr_subject),
            "en": _AppsText(en_sms.removeprefix("Hokwe: "), subject=en_subject),
        },
    }


_apps_register(
    _AppsTemplate(
        key=APPLICATION_ACCEPTED,
        description="Market: the seeker's application for a home was accepted (the agency prepares the lease).",
        category=_AppsCategory.ACCOUNT,
        priority=_AppsPriority.TRANSACTIONAL,
        channels=(_AppsChannel.SMS, _AppsChannel.INAPP),
        variables={"listing": _APPS_LISTING},
        defaults=_apps_texts(
            "Hokwe: bonne nouvelle, votre candidature pour « {{ listing }} » est acceptée. L'agence vous contacte pour le bail.",
            'Hokwe: good news, your application for "{{ listing }}" was accepted. The agency will contact you about the lease.',
            "Candidature acceptée",
            "Application accepted",
        ),
    ),
    _AppsTemplate(
        key=APPLICATION_DECLINED,
        description="Market: the seeker's application for a home was declined, with the reason.",
        category=_AppsCategory.ACCOUNT,
        priority=_AppsPriority.TRANSACTIONAL,
        channels=(_AppsChannel.SMS, _AppsChannel.INAPP),
        variables={
            "listing": _APPS_LISTING,
            "reason": _AppsVar(_APPS_STR, "Why", "Un autre candidat a été choisi."),
        },
        defaults=_apps_texts(
            "Hokwe: votre candidature pour « {{ listing }} » n'a pas été retenue. {{ reason }}",
            'Hokwe: your application for "{{ listing }}" was not successful. {{ reason }}',
            "Candidature non retenue",
            "Application declined",
        ),
    ),
    _AppsTemplate(
        key=QUOTE_RECEIVED,
        description="Market: a provider sent a quote for the requester's quote request.",
        category=_AppsCategory.ACCOUNT,
        priority=_AppsPriority.TRANSACTIONAL,
        channels=(_AppsChannel.SMS, _AppsChannel.INAPP),
        variables={"provider": _APPS_PROVIDER, "amount": _APPS_AMOUNT},
        defaults=_apps_texts(
            "Hokwe: {{ provider }} vous propose un devis de {{ amount }}. Comparez les devis dans Hokwe.",
            "Hokwe: {{ provider }} sent you a quote of {{ amount }}. Compare the quotes in Hokwe.",
            "Nouveau devis",
            "New quote",
        ),
    ),
    _AppsTemplate(
        key=QUOTE_ACCEPTED,
        description="Market: the provider's quote was accepted by the requester.",
        category=_AppsCategory.ACCOUNT,
        priority=_AppsPriority.TRANSACTIONAL,
        channels=(_AppsChannel.SMS, _AppsChannel.INAPP),
        variables={"provider": _APPS_PROVIDER, "amount": _APPS_AMOUNT},
        defaults=_apps_texts(
            "Hokwe: {{ provider }}, votre devis de {{ amount }} est accepté. Le client va payer via Hokwe.",
            "Hokwe: {{ provider }}, your quote of {{ amount }} was accepted. The client will pay through Hokwe.",
            "Devis accepté",
            "Quote accepted",
        ),
    ),
    _AppsTemplate(
        key=QUOTE_PAID,
        description="Market: the accepted quote was paid; the money is in the provider's wallet.",
        category=_AppsCategory.PAYMENTS,
        priority=_AppsPriority.TRANSACTIONAL,
        channels=(_AppsChannel.SMS, _AppsChannel.INAPP),
        variables={"provider": _APPS_PROVIDER, "amount": _APPS_AMOUNT},
        defaults=_apps_texts(
            "Hokwe: {{ provider }}, le devis de {{ amount }} est payé sur votre portefeuille Hokwe. Vous pouvez faire le travail.",
            "Hokwe: {{ provider }}, the quote of {{ amount }} was paid to your Hokwe wallet. You can do the job.",
            "Devis payé",
            "Quote paid",
        ),
    ),
)


# --- search: the daily saved-search alert (services/saved.py alerts_run) ---
from apps.notifications.api import register_templates as _search_register  # noqa: E402
from apps.notifications.contracts import INT as _SEARCH_INT  # noqa: E402
from apps.notifications.contracts import STR as _SEARCH_STR  # noqa: E402
from apps.notifications.contracts import URL as _SEARCH_URL  # noqa: E402
from apps.notifications.contracts import Category as _SearchCategory  # noqa: E402
from apps.notifications.contracts import Channel as _SearchChannel  # noqa: E402
from apps.notifications.contracts import Priority as _SearchPriority  # noqa: E402
from apps.notifications.contracts import TemplateDef as _SearchTemplate  # noqa: E402
from apps.notifications.contracts import Text as _SearchText  # noqa: E402
from apps.notifications.contracts import Var as _SearchVar  # noqa: E402

MARKET_SEARCH_ALERT = "market.search_alert"

_search_register(
    _SearchTemplate(
        key=MARKET_SEARCH_ALERT,
        description="New listings match a seeker's saved searches (the daily alert, one per user) (market).",
        category=_SearchCategory.ACCOUNT,
        priority=_SearchPriority.BULK,
        channels=(_SearchChannel.SMS, _SearchChannel.EMAIL, _SearchChannel.PUSH, _SearchChannel.INAPP),
        variables={
            "count": _SearchVar(_SEARCH_INT, "How many new listings match", 3),
            "listings": _SearchVar(
                _SEARCH_STR,
                "The newest of them, one a line: title (price, city) link",
                "Studio meublé (85000 XOF, Cotonou) https://market.hokwe.com/market/l/…",
            ),
            "url": _SearchVar(
                _SEARCH_URL, "The newest listing's page", "https://market.hokwe.com/market/l/…"
            ),
        },
        defaults={
            _SearchChannel.SMS: {
                "fr": _SearchText("Hokwe: {{ count }} nouvelle(s) annonce(s) pour vos recherches. {{ url }}"),
                "en": _SearchText("Hokwe: {{ count }} new listing(s) match your searches. {{ url }}"),
            },
            _SearchChannel.EMAIL: {
                "fr": _SearchText(
                    "{{ count }} nouvelle(s) annonce(s) correspondent à vos recherches enregistrées :\n\n{{ listings }}",
                    subject="Nouvelles annonces pour vos recherches",
                ),
                "en": _SearchText(
                    "{{ count }} new listing(s) match your saved searches:\n\n{{ listings }}",
                    subject="New listings for your searches",
                ),
            },
            _SearchChannel.PUSH: {
                "fr": _SearchText(
                    "{{ count }} nouvelle(s) annonce(s) pour vos recherches.", subject="Hokwe Market"
                ),
                "en": _SearchText("{{ count }} new listing(s) match your searches.", subject="Hokwe Market"),
            },
            _SearchChannel.INAPP: {
                "fr": _SearchText("{{ listings }}", subject="Nouvelles annonces pour vos recherches"),
                "en": _SearchText("{{ listings }}", subject="New listings for your searches"),
            },
        },
        action_url="url",
    ),
)
