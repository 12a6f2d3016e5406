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


# --- delinquency: an instalment is late, or the loan moved to a worse bucket (the nightly run) ---
from apps.notifications.api import register_templates as _late_register  # noqa: E402
from apps.notifications.contracts import DATE as _LATE_DATE  # noqa: E402
from apps.notifications.contracts import INT as _LATE_INT  # noqa: E402
from apps.notifications.contracts import MONEY as _LATE_MONEY  # noqa: E402
from apps.notifications.contracts import STR as _LATE_STR  # noqa: E402
from apps.notifications.contracts import Category as _LateCategory  # noqa: E402
from apps.notifications.contracts import Channel as _LateChannel  # noqa: E402
from apps.notifications.contracts import Priority as _LatePriority  # noqa: E402
from apps.notifications.contracts import TemplateDef as _LateTemplate  # noqa: E402
from apps.notifications.contracts import Text as _LateText  # noqa: E402
from apps.notifications.contracts import Var as _LateVar  # noqa: E402

LENDING_INSTALMENT_LATE = "lending.instalment_late"

_late_register(
    _LateTemplate(
        key=LENDING_INSTALMENT_LATE,
        description="A loan instalment is unpaid after its due date, or the loan is later still (lending's nightly run).",
        category=_LateCategory.PAYMENTS,
        priority=_LatePriority.BULK,
        channels=(_LateChannel.SMS, _LateChannel.PUSH, _LateChannel.INAPP),
        variables={
            "loan_number": _LateVar(_LATE_STR, "The loan's number", "PRT-2026-000042"),
            "amount": _LateVar(
                _LATE_MONEY, "What is late (late fees included)", {"amount": 42000, "currency": "XOF"}
            ),
            "days_late": _LateVar(_LATE_INT, "Days since the oldest unpaid due date", 5),
            "due_date": _LateVar(_LATE_DATE, "The oldest unpaid due date (YYYY-MM-DD)", "2026-07-05"),
        },
        defaults={
            _LateChannel.SMS: {
                "fr": _LateText(
                    "Hokwe: votre pret {{ loan_number }} a {{ days_late }} jours de retard ({{ due_date }}). "
                    "A payer: {{ amount }}. Remboursez depuis l'application pour eviter d'autres frais."
                ),
                "en": _LateText(
                    "Hokwe: your loan {{ loan_number }} is {{ days_late }} days late ({{ due_date }}). "
                    "To pay: {{ amount }}. Repay in the app to avoid further fees."
                ),
            },
            _LateChannel.PUSH: {
                "fr": _LateText(
                    "Votre prêt {{ loan_number }} a {{ days_late }} jours de retard : {{ amount }} à payer.",
                    subject="Échéance en retard",
                ),
                "en": _LateText(
                    "Your loan {{ loan_number }} is {{ days_late }} days late: {{ amount }} to pay.",
                    subject="Instalment late",
                ),
            },
            _LateChannel.INAPP: {
                "fr": _LateText(
                    "Votre prêt {{ loan_number }} a {{ days_late }} jours de retard depuis le {{ due_date }} : "
                    "{{ amount }} à payer, frais de retard compris.",
                    subject="Échéance en retard",
                ),
                "en": _LateText(
                    "Your loan {{ loan_number }} is {{ days_late }} days late since {{ due_date }}: "
                    "{{ amount }} to pay, late fees included.",
                    subject="Instalment late",
                ),
            },
        },
    ),
)


# --- repayments: the borrower is told of each repayment, and when the loan is repaid ---
from apps.notifications.api import register_templates as _repay_register  # noqa: E402
from apps.notifications.contracts import MONEY as _REPAY_MONEY  # noqa: E402
from apps.notifications.contracts import STR as _REPAY_STR  # noqa: E402
from apps.notifications.contracts import Category as _RepayCategory  # noqa: E402
from apps.notifications.contracts import Channel as _RepayChannel  # noqa: E402
from apps.notifications.contracts import Priority as _RepayPriority  # noqa: E402
from apps.notifications.contracts import TemplateDef as _RepayTemplate  # noqa: E402
from apps.notifications.contracts import Text as _RepayText  # noqa: E402
from apps.notifications.contracts import Var as _RepayVar  # noqa: E402

LENDING_REPAYMENT_RECEIVED = "lending.repayment_received"
LENDING_LOAN_REPAID = "lending.loan_repaid"

_REPAY_NUMBER = _RepayVar(_REPAY_STR, "The loan's number", "PRT-2026-000042")

_repay_register(
    _RepayTemplate(
        key=LENDING_REPAYMENT_RECEIVED,
        description="Loans: a repayment was applied (wallet, auto-debit, fund, pay link, cash, rents) (lending).",
        category=_RepayCategory.PAYMENTS,
        priority=_RepayPriority.TRANSACTIONAL,
        channels=(_RepayChannel.SMS, _RepayChannel.INAPP),
        variables={
            "amount": _RepayVar(
                _REPAY_MONEY, "What was applied to the loan", {"amount": 35000, "currency": "XOF"}
            ),
            "owed": _RepayVar(
                _REPAY_MONEY, "What the loan still owes today", {"amount": 70000, "currency": "XOF"}
            ),
            "number": _REPAY_NUMBER,
        },
        defaults={
            _RepayChannel.SMS: {
                "fr": _RepayText(
                    "Hokwe: remboursement de {{ amount }} enregistré pour {{ number }}. Reste à payer: {{ owed }}."
                ),
                "en": _RepayText(
                    "Hokwe: repayment of {{ amount }} recorded on {{ number }}. Still owed: {{ owed }}."
                ),
            },
            _RepayChannel.INAPP: {
                "fr": _RepayText(
                    "Votre remboursement de {{ amount }} est enregistré sur le prêt {{ number }}. Il reste {{ owed }} à payer.",
                    subject="Remboursement enregistré",
                ),
                "en": _RepayText(
                    "Your repayment of {{ amount }} is recorded on loan {{ number }}. {{ owed }} is still owed.",
                    subject="Repayment recorded",
                ),
            },
        },
    ),
    _RepayTemplate(
        key=LENDING_LOAN_REPAID,
        description="Loans: the loan is repaid in full and closed (lending).",
        category=_RepayCategory.PAYMENTS,
        priority=_RepayPriority.TRANSACTIONAL,
        channels=(_RepayChannel.SMS, _RepayChannel.INAPP),
        variables={"number": _REPAY_NUMBER},
        defaults={
            _RepayChannel.SMS: {
                "fr": _RepayText("Hokwe: {{ number }} est entièrement remboursé. Merci!"),
                "en": _RepayText("Hokwe: {{ number }} is repaid in full. Thank you!"),
            },
            _RepayChannel.INAPP: {
                "fr": _RepayText(
                    "Le prêt {{ number }} est entièrement remboursé. Merci !", subject="Prêt remboursé"
                ),
                "en": _RepayText("Loan {{ number }} is repaid in full. Thank you!", subject="Loan repaid"),
            },
        },
    ),
)


# --- the lifecycle: credit staff decided an application in manual review ---
from apps.notifications.api import register_templates as _decision_register  # noqa: E402
from apps.notifications.contracts import MONEY as _DECISION_MONEY  # noqa: E402
from apps.notifications.contracts import STR as _DECISION_STR  # noqa: E402
from apps.notifications.contracts import Category as _DecisionCategory  # noqa: E402
from apps.notifications.contracts import Channel as _DecisionChannel  # noqa: E402
from apps.notifications.contracts import Priority as _DecisionPriority  # noqa: E402
from apps.notifications.contracts import TemplateDef as _DecisionTemplate  # noqa: E402
from apps.notifications.contracts import Text as _DecisionText  # noqa: E402
from apps.notifications.contracts import Var as _DecisionVar  # noqa: E402

LENDING_OFFER_READY = "lending.offer_ready"
LENDING_APPLICATION_DECLINED = "lending.application_declined"

_DECISION_NUMBER = _DecisionVar(_DECISION_STR, "The loan's number", "PRT-2026-000042")

_decision_register(
    _DecisionTemplate(
        key=LENDING_OFFER_READY,
        description="Credit staff approved a loan application in review: the offer waits for the borrower (lending).",
        category=_DecisionCategory.PAYMENTS,
        priority=_DecisionPriority.TRANSACTIONAL,
        channels=(_DecisionChannel.SMS, _DecisionChannel.INAPP),
        variables={
            "number": _DECISION_NUMBER,
            "amount": _DecisionVar(_DECISION_MONEY, "The amount lent", {"amount": 80000, "currency": "XOF"}),
        },
        defaults={
            _DecisionChannel.SMS: {
                "fr": _DecisionText(
                    "Hokwe: votre demande de crédit {{ number }} est acceptée. L'offre de {{ amount }} vous attend dans l'application."
                ),
                "en": _DecisionText(
                    "Hokwe: your loan application {{ number }} is approved. The offer of {{ amount }} is waiting in the app."
                ),
            },
            _DecisionChannel.INAPP: {
                "fr": _DecisionText(
                    "Votre demande {{ number }} est acceptée : lisez l'offre de {{ amount }} et acceptez-la avant son expiration.",
                    subject="Offre de crédit",
                ),
                "en": _DecisionText(
                    "Your application {{ number }} is approved: read the offer of {{ amount }} and accept it before it expires.",
                    subject="Loan offer",
                ),
            },
        },
    ),
    _DecisionTemplate(
        key=LENDING_APPLICATION_DECLINED,
        description="Credit staff declined a loan application in review (lending).",
        category=_DecisionCategory.PAYMENTS,
        priority=_DecisionPriority.TRANSACTIONAL,
        channels=(_DecisionChannel.SMS, _DecisionChannel.INAPP),
        variables={"number": _DECISION_NUMBER},
        defaults={
            _DecisionChannel.SMS: {
                "fr": _DecisionText(
                    "Hokwe: votre demande de crédit {{ number }} n'a pas été acceptée. Le motif est dans l'application."
                ),
                "en": _DecisionText(
                    "Hokwe: your loan application {{ number }} was declined. The reason is in the app."
                ),
            },
            _DecisionChannel.INAPP: {
                "fr": _DecisionText(
                    "Votre demande {{ number }} n'a pas été acceptée par notre équipe crédit.",
                    subject="Demande de crédit",
                ),
                "en": _DecisionText(
                    "Your application {{ number }} was declined by our credit team.",
                    subject="Loan application",
                ),
            },
        },
    ),
)
