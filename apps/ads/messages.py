"""The messages ads sends (notification templates, French and English), registered
with notifications at start-up: `register_templates(TemplateDef(key="ads.…", …))`."""

# --- creators: a job taken, delivered, changes requested, accepted, paid (services/creators.py) ---
from apps.notifications.api import register_templates as _creators_register
from apps.notifications.contracts import MONEY as _CR_MONEY
from apps.notifications.contracts import STR as _CR_STR
from apps.notifications.contracts import URL as _CR_URL
from apps.notifications.contracts import Category as _CrCategory
from apps.notifications.contracts import Channel as _CrChannel
from apps.notifications.contracts import Priority as _CrPriority
from apps.notifications.contracts import TemplateDef as _CrTemplate
from apps.notifications.contracts import Text as _CrText
from apps.notifications.contracts import Var as _CrVar

ADS_CREATOR_JOB_TAKEN = "ads.creator_job_taken"
ADS_CREATOR_JOB_DELIVERED = "ads.creator_job_delivered"
ADS_CREATOR_CHANGES_REQUESTED = "ads.creator_changes_requested"
ADS_CREATOR_JOB_ACCEPTED = "ads.creator_job_accepted"
ADS_CREATOR_PAID = "ads.creator_paid"

_CR_JOB = _CrVar(_CR_STR, "The job's title", "Photos du studio de Fidjrossè")
_CR_CREATOR = _CrVar(_CR_STR, "The creator's name shown", "Awa Studio")
_CR_AMOUNT = _CrVar(_CR_MONEY, "The job's price", {"amount": 25000, "currency": "XOF"})
_CR_LINK = _CrVar(_CR_URL, "The job's page", "https://hokwe.com/creators/jobs/…")
_CR_FEEDBACK = _CrVar(_CR_STR, "What the agency asks to change", "Plus de lumière dans la cuisine.")


def _cr_template(key: str, description: str, variables: dict, sms: tuple, subject: tuple, category=None):
    fr, en = sms
    return _CrTemplate(
        key=key,
        description=description,
        category=category or _CrCategory.ACCOUNT,
        priority=_CrPriority.TRANSACTIONAL,
        channels=(_CrChannel.SMS, _CrChannel.EMAIL),
        variables=variables,
        defaults={
            _CrChannel.SMS: {"fr": _CrText(fr), "en": _CrText(en)},
            _CrChannel.EMAIL: {
                "fr": _CrText(fr.removeprefix("Hokwe : "), subject=subject[0]),
                "en": _CrText(en.removeprefix("Hokwe: "), subject=subject[1]),
            },
        },
        action_url="url",
    )


_creators_register(
    _cr_template(
        ADS_CREATOR_JOB_TAKEN,
        "Ads (CreatorStudio): a creator took the agency's job: to who posted it.",
        {"job": _CR_JOB, "creator": _CR_CREATOR, "url": _CR_LINK},
        (
            "Hokwe : {{ creator }} a pris votre mission « {{ job }} ». Suivi : {{ url }}",
            "Hokwe: {{ creator }} took your job “{{ job }}”. Follow it: {{ url }}",
        ),
        ("Mission prise", "Job taken"),
    ),
    _cr_template(
        ADS_CREATOR_JOB_DELIVERED,
        "Ads (CreatorStudio): the creator delivered the job's files for review: to who posted it.",
        {"job": _CR_JOB, "creator": _CR_CREATOR, "url": _CR_LINK},
        (
            "Hokwe : {{ creator }} a livré « {{ job }} ». Vérifiez et validez : {{ url }}",
            "Hokwe: {{ creator }} delivered “{{ job }}”. Review it: {{ url }}",
        ),
        ("Livraison à vérifier", "Delivery to review"),
    ),
    _cr_template(
        ADS_CREATOR_CHANGES_REQUESTED,
        "Ads (CreatorStudio): the agency asks the creator for changes, with its feedback.",
        {"job": _CR_JOB, "feedback": _CR_FEEDBACK, "url": _CR_LINK},
        (
            "Hokwe : modifications demandées pour « {{ job }} » : {{ feedback }} Détails : {{ url }}",
            "Hokwe: changes requested for “{{ job }}”: {{ feedback }} Details: {{ url }}",
        ),
        ("Modifications demandées", "Changes requested"),
    ),
    _cr_template(
        ADS_CREATOR_JOB_ACCEPTED,
        "Ads (CreatorStudio): the agency accepted the creator's work; the payout is on its way.",
        {"job": _CR_JOB, "amount": _CR_AMOUNT, "url": _CR_LINK},
        (
            "Hokwe : « {{ job }} » est validée. {{ amount }} vous sont versés sur votre mobile money. {{ url }}",
            "Hokwe: “{{ job }}” was accepted. {{ amount }} is on its way to your mobile money. {{ url }}",
        ),
        ("Mission validée", "Job accepted"),
        category=_CrCategory.PAYMENTS,
    ),
    _cr_template(
        ADS_CREATOR_PAID,
        "Ads (CreatorStudio): the creator's payout reached their mobile money.",
        {"amount": _CR_AMOUNT, "url": _CR_LINK},
        (
            "Hokwe : {{ amount }} versés sur votre mobile money pour vos créations. {{ url }}",
            "Hokwe: {{ amount }} paid to your mobile money for your work. {{ url }}",
        ),
        ("Paiement reçu", "Payment received"),
        category=_CrCategory.PAYMENTS,
    ),
)


# --- advertising: a campaign's budget is spent (services/charging.py via CampaignBudgetSpent) ---
from apps.notifications.api import register_templates as _adv_register  # noqa: E402
from apps.notifications.contracts import MONEY as _ADV_MONEY  # noqa: E402
from apps.notifications.contracts import STR as _ADV_STR  # noqa: E402
from apps.notifications.contracts import URL as _ADV_URL  # noqa: E402
from apps.notifications.contracts import Category as _AdvCategory  # noqa: E402
from apps.notifications.contracts import Channel as _AdvChannel  # noqa: E402
from apps.notifications.contracts import Priority as _AdvPriority  # noqa: E402
from apps.notifications.contracts import TemplateDef as _AdvTemplate  # noqa: E402
from apps.notifications.contracts import Text as _AdvText  # noqa: E402
from apps.notifications.contracts import Var as _AdvVar  # noqa: E402

ADS_CAMPAIGN_BUDGET_SPENT = "ads.campaign_budget_spent"

_adv_register(
    _AdvTemplate(
        key=ADS_CAMPAIGN_BUDGET_SPENT,
        description="Ads: a campaign's budget (or the ad balance) is spent and it stopped: to the advertiser's managers.",
        category=_AdvCategory.ACCOUNT,
        priority=_AdvPriority.TRANSACTIONAL,
        channels=(_AdvChannel.SMS, _AdvChannel.EMAIL),
        variables={
            "campaign": _AdvVar(_ADV_STR, "The campaign's name", "Chambre salon Fidjrossè — à la une"),
            "charged": _AdvVar(_ADV_MONEY, "What it was charged", {"amount": 10000, "currency": "XOF"}),
            "url": _AdvVar(
                _ADV_URL, "The campaign's page", "https://manager.hokwe.com/manager/ads/campaigns/…"
            ),
        },
        defaults={
            _AdvChannel.SMS: {
                "fr": _AdvText(
                    "Hokwe : le budget de votre campagne « {{ campaign }} » est épuisé ({{ charged }}), sa diffusion est terminée : {{ url }}"
                ),
                "en": _AdvText(
                    "Hokwe: your campaign “{{ campaign }}” has spent its budget ({{ charged }}) and stopped: {{ url }}"
                ),
            },
            _AdvChannel.EMAIL: {
                "fr": _AdvText(
                    "Le budget de votre campagne « {{ campaign }} » est épuisé ({{ charged }}) : elle n'est plus diffusée. "
                    "Augmentez son budget ou rechargez votre solde pour la relancer.",
                    subject="Campagne arrêtée : budget épuisé",
                ),
                "en": _AdvText(
                    "Your campaign “{{ campaign }}” has spent its budget ({{ charged }}) and is no longer shown. "
                    "Raise its budget or top up your balance to run it again.",
                    subject="Campaign stopped: budget spent",
                ),
            },
        },
        action_url="url",
    )
)
