"""The messages lending sends (registered with notifications at start-up: each part appends
its own `register_templates(...)` block)."""


# --- emergency fund, guarantors and pledged savings ---
from apps.notifications.api import register_templates as _fund_register
from apps.notifications.contracts import MONEY as _FUND_MONEY
from apps.notifications.contracts import STR as _FUND_STR
from apps.notifications.contracts import URL as _FUND_URL
from apps.notifications.contracts import Category as _FundCategory
from apps.notifications.contracts import Channel as _FundChannel
from apps.notifications.contracts import Priority as _FundPriority
from apps.notifications.contracts import TemplateDef as _FundTemplate
from apps.notifications.contracts import Text as _FundText
from apps.notifications.contracts import Var as _FundVar

LENDING_FUND_SAVING_MISSED = "lending.fund_saving_missed"
LENDING_FUND_WITHDRAWAL_PAID = "lending.fund_withdrawal_paid"
LENDING_GUARANTOR_INVITED = "lending.guarantor_invited"
LENDING_GUARANTOR_ACCEPTED = "lending.guarantor_accepted"
LENDING_GUARANTOR_DECLINED = "lending.guarantor_declined"

_FUND_AMOUNT = _FundVar(_FUND_MONEY, "The amount", {"amount": 5000, "currency": "XOF"})

_fund_register(
    _FundTemplate(
        key=LENDING_FUND_SAVING_MISSED,
        description="Emergency fund: today's automatic saving could not be taken from the wallet (lending).",
        category=_FundCategory.SAVINGS,
        priority=_FundPriority.TRANSACTIONAL,
        channels=(_FundChannel.SMS, _FundChannel.INAPP),
        variables={"amount": _FUND_AMOUNT},
        defaults={
            _FundChannel.SMS: {
                "fr": _FundText(
                    "Hokwe: votre épargne automatique de {{ amount }} pour votre fonds d'urgence n'a pas pu etre prise sur votre portefeuille. Rechargez-le."
                ),
                "en": _FundText(
                    "Hokwe: your automatic saving of {{ amount }} to your emergency fund could not be taken from your wallet. Top it up."
                ),
            },
            _FundChannel.INAPP: {
                "fr": _FundText(
                    "Votre épargne automatique de {{ amount }} n'a pas pu être prise : votre portefeuille n'avait pas assez.",
                    subject="Fonds d'urgence",
                ),
                "en": _FundText(
                    "Your automatic saving of {{ amount }} could not be taken: your wallet was short.",
                    subject="Emergency fund",
                ),
            },
        },
    ),
    _FundTemplate(
        key=LENDING_FUND_WITHDRAWAL_PAID,
        description="Emergency fund: a withdrawal under notice was paid to the wallet (lending).",
        category=_FundCategory.SAVINGS,
        priority=_FundPriority.TRANSACTIONAL,
        channels=(_FundChannel.SMS, _FundChannel.INAPP),
        variables={"amount": _FUND_AMOUNT},
        defaults={
            _FundChannel.SMS: {
                "fr": _FundText("Hokwe: {{ amount }} de votre fonds d'urgence sont sur votre portefeuille."),
                "en": _FundText("Hokwe: {{ amount }} from your emergency fund is in your wallet."),
            },
            _FundChannel.INAPP: {
                "fr": _FundText(
                    "{{ amount }} de votre fonds d'urgence sont sur votre portefeuille.",
                    subject="Retrait effectué",
                ),
                "en": _FundText(
                    "{{ amount }} from your emergency fund is in your wallet.", subject="Withdrawal paid"
                ),
            },
        },
    ),
    _FundTemplate(
        key=LENDING_GUARANTOR_INVITED,
        description="A borrower asks someone (by phone number) to stand guarantor for a loan (lending).",
        category=_FundCategory.PAYMENTS,
        priority=_FundPriority.TRANSACTIONAL,
        channels=(_FundChannel.SMS,),
        variables={
            "borrower_name": _FundVar(_FUND_STR, "The borrower's name", "Afi Mensah"),
            "amount": _FundVar(_FUND_MONEY, "The loan's principal", {"amount": 150000, "currency": "XOF"}),
            "answer_url": _FundVar(_FUND_URL, "Where to answer", "https://hokwe.com/lending/guarantees/"),
        },
        defaults={
            _FundChannel.SMS: {
                "fr": _FundText(
                    "Hokwe: {{ borrower_name }} vous demande d'etre garant de son pret de {{ amount }}. Repondez avec votre code: {{ answer_url }}"
                ),
                "en": _FundText(
                    "Hokwe: {{ borrower_name }} asks you to stand guarantor for a {{ amount }} loan. Answer with your code: {{ answer_url }}"
                ),
            },
        },
    ),
    _FundTemplate(
        key=LENDING_GUARANTOR_ACCEPTED,
        description="A guarantor accepted to stand behind the borrower's loan (lending).",
        category=_FundCategory.PAYMENTS,
        priority=_FundPriority.TRANSACTIONAL,
        channels=(_FundChannel.SMS, _FundChannel.INAPP),
        variables={
            "guarantor_name": _FundVar(_FUND_STR, "The guarantor's name or number", "Koffi Adjovi"),
            "number": _FundVar(_FUND_STR, "The loan's number", "PRT-2026-000042"),
        },
        defaults={
            _FundChannel.SMS: {
                "fr": _FundText(
                    "Hokwe: {{ guarantor_name }} a accepté d'etre garant de votre pret {{ number }}."
                ),
                "en": _FundText(
                    "Hokwe: {{ guarantor_name }} accepted to stand guarantor for your loan {{ number }}."
                ),
            },
            _FundChannel.INAPP: {
                "fr": _FundText(
                    "{{ guarantor_name }} a accepté d'être garant de votre prêt {{ number }}.",
                    subject="Garant",
                ),
                "en": _FundText(
                    "{{ guarantor_name }} accepted to stand guarantor for your loan {{ number }}.",
                    subject="Guarantor",
                ),
            },
        },
    ),
    _FundTemplate(
        key=LENDING_GUARANTOR_DECLINED,
        description="A guarantor declined to stand behind the borrower's loan (lending).",
        category=_FundCategory.PAYMENTS,
        priority=_FundPriority.TRANSACTIONAL,
        channels=(_FundChannel.SMS, _FundChannel.INAPP),
        variables={
            "guarantor_name": _FundVar(_FUND_STR, "The guarantor's name or number", "Koffi Adjovi"),
            "number": _FundVar(_FUND_STR, "The loan's number", "PRT-2026-000042"),
        },
        defaults={
            _FundChannel.SMS: {
                "fr": _FundText(
                    "Hokwe: {{ guarantor_name }} a refusé d'etre garant de votre pret {{ number }}. Invitez une autre personne."
                ),
                "en": _FundText(
                    "Hokwe: {{ guarantor_name }} declined to stand guarantor for your loan {{ number }}. Invite someone else."
                ),
            },
            _FundChannel.INAPP: {
                "fr": _FundText(
                    "{{ guarantor_name }} a refusé d'être garant de votre prêt {{ number }}.",
                    subject="Garant",
                ),
                "en": _FundText(
                    "{{ guarantor_name }} declined to stand guarantor for your loan {{ number }}.",
                    subject="Guarantor",
                ),
            },
        },
    ),
)
