"""The messages scoring sends (registered with notifications at start-up: each part appends
its own `register_templates(...)` block)."""

# --- tenant screening: the consent request to the applicant, the adverse-action notice ---
from apps.notifications.api import register_templates as _screening_register
from apps.notifications.contracts import STR as _SCREENING_STR
from apps.notifications.contracts import URL as _SCREENING_URL
from apps.notifications.contracts import Category as _ScreeningCategory
from apps.notifications.contracts import Channel as _ScreeningChannel
from apps.notifications.contracts import Priority as _ScreeningPriority
from apps.notifications.contracts import TemplateDef as _ScreeningTemplate
from apps.notifications.contracts import Text as _ScreeningText
from apps.notifications.contracts import Var as _ScreeningVar

SCREENING_CONSENT_REQUEST = "scoring.screening_consent_request"
SCREENING_ADVERSE_ACTION = "scoring.screening_adverse_action"

_screening_register(
    _ScreeningTemplate(
        key=SCREENING_CONSENT_REQUEST,
        description="Tenant screening: an agency asks the applicant's consent to a screening report (scoring).",
        category=_ScreeningCategory.RENT,
        priority=_ScreeningPriority.TRANSACTIONAL,
        channels=(_ScreeningChannel.SMS,),
        action_url="consent_url",
        variables={
            "organization": _ScreeningVar(_SCREENING_STR, "The agency asking", "Agence Soleil"),
            "unit": _ScreeningVar(_SCREENING_STR, "The unit applied for", "Residence Les Palmiers - A2"),
            "consent_url": _ScreeningVar(
                _SCREENING_URL,
                "The consent page (/screening/consent/...)",
                "https://hokwe.com/screening/consent/K7Q2M",
            ),
        },
        defaults={
            _ScreeningChannel.SMS: {
                "fr": _ScreeningText(
                    "Hokwe: {{ organization }} demande votre accord pour un rapport de location ({{ unit }}). "
                    "Voir ce qui sera partage, accepter ou refuser: {{ consent_url }}"
                ),
                "en": _ScreeningText(
                    "Hokwe: {{ organization }} asks your consent to a rental screening report ({{ unit }}). "
                    "See what would be shared, accept or refuse: {{ consent_url }}"
                ),
            },
        },
    ),
    _ScreeningTemplate(
        key=SCREENING_ADVERSE_ACTION,
        description="Tenant screening: the application was declined; the main reasons from the report (scoring).",
        category=_ScreeningCategory.RENT,
        priority=_ScreeningPriority.TRANSACTIONAL,
        channels=(_ScreeningChannel.SMS,),
        variables={
            "organization": _ScreeningVar(_SCREENING_STR, "The agency that declined", "Agence Soleil"),
            "unit": _ScreeningVar(_SCREENING_STR, "The unit applied for", "Residence Les Palmiers - A2"),
            "reasons": _ScreeningVar(
                _SCREENING_STR,
                "The main reasons, separated by semicolons",
                "3 loyers impayes en 24 mois; loyer superieur a 50% du revenu declare",
            ),
        },
        defaults={
            _ScreeningChannel.SMS: {
                "fr": _ScreeningText(
                    "Hokwe: {{ organization }} n'a pas retenu votre demande pour {{ unit }}. "
                    "Raisons principales: {{ reasons }}. Vous pouvez consulter et contester vos donnees dans Hokwe."
                ),
                "en": _ScreeningText(
                    "Hokwe: {{ organization }} declined your application for {{ unit }}. "
                    "Main reasons: {{ reasons }}. You may see and dispute your data in Hokwe."
                ),
            },
        },
    ),
)


# --- tenant side: the tenant learns the decision on a disputed rent line ---
from apps.notifications.api import register_templates as _dispute_register  # noqa: E402
from apps.notifications.contracts import STR as _DISPUTE_STR  # noqa: E402
from apps.notifications.contracts import URL as _DISPUTE_URL  # noqa: E402
from apps.notifications.contracts import Category as _DisputeCategory  # noqa: E402
from apps.notifications.contracts import Channel as _DisputeChannel  # noqa: E402
from apps.notifications.contracts import Priority as _DisputePriority  # noqa: E402
from apps.notifications.contracts import TemplateDef as _DisputeTemplate  # noqa: E402
from apps.notifications.contracts import Text as _DisputeText  # noqa: E402
from apps.notifications.contracts import Var as _DisputeVar  # noqa: E402

DISPUTE_UPHELD = "scoring.dispute_upheld"
DISPUTE_REJECTED = "scoring.dispute_rejected"

_DISPUTE_VARIABLES = {
    "month": _DisputeVar(_DISPUTE_STR, "The month of rent contested (YYYY-MM)", "2026-08"),
    "dispute_url": _DisputeVar(_DISPUTE_URL, "The dispute's page", "https://hokwe.com/scoring/disputes/3f2a"),
}
_dispute_register(
    _DisputeTemplate(
        key=DISPUTE_UPHELD,
        description="Rent score: staff upheld the tenant's dispute of a rent line (scoring).",
        category=_DisputeCategory.RENT,
        priority=_DisputePriority.TRANSACTIONAL,
        channels=(_DisputeChannel.SMS,),
        action_url="dispute_url",
        variables=_DISPUTE_VARIABLES,
        defaults={
            _DisputeChannel.SMS: {
                "fr": _DisputeText(
                    "Hokwe: votre contestation du loyer de {{ month }} est acceptée. Cette ligne ne compte plus "
                    "dans votre score. Détails: {{ dispute_url }}"
                ),
                "en": _DisputeText(
                    "Hokwe: your dispute of the {{ month }} rent is upheld. This line no longer counts in your "
                    "score. Details: {{ dispute_url }}"
                ),
            },
        },
    ),
    _DisputeTemplate(
        key=DISPUTE_REJECTED,
        description="Rent score: staff rejected the tenant's dispute of a rent line (scoring).",
        category=_DisputeCategory.RENT,
        priority=_DisputePriority.TRANSACTIONAL,
        channels=(_DisputeChannel.SMS,),
        action_url="dispute_url",
        variables=_DISPUTE_VARIABLES,
        defaults={
            _DisputeChannel.SMS: {
                "fr": _DisputeText(
                    "Hokwe: votre contestation du loyer de {{ month }} n'est pas retenue, la ligne reste telle "
                    "qu'enregistrée. La réponse de l'équipe: {{ dispute_url }}"
                ),
                "en": _DisputeText(
                    "Hokwe: your dispute of the {{ month }} rent is not upheld, the line stands as recorded. "
                    "The team's answer: {{ dispute_url }}"
                ),
            },
        },
    ),
)
