"""The messages the wallet sends (registered with notifications at start-up: each part appends
its own `register_templates(...)` block)."""

# --- P2P transfers: received, invitation to a number with no account, returned ---
from apps.notifications.api import register_templates as _p2p_register
from apps.notifications.contracts import INT as _P2P_INT
from apps.notifications.contracts import MONEY as _P2P_MONEY
from apps.notifications.contracts import STR as _P2P_STR
from apps.notifications.contracts import URL as _P2P_URL
from apps.notifications.contracts import Category as _P2pCategory
from apps.notifications.contracts import Channel as _P2pChannel
from apps.notifications.contracts import Priority as _P2pPriority
from apps.notifications.contracts import TemplateDef as _P2pTemplate
from apps.notifications.contracts import Text as _P2pText
from apps.notifications.contracts import Var as _P2pVar

WALLET_P2P_RECEIVED = "wallet.p2p_received"
WALLET_P2P_INVITATION = "wallet.p2p_invitation"
WALLET_P2P_RETURNED = "wallet.p2p_returned"

_P2P_AMOUNT = _P2pVar(_P2P_MONEY, "The amount sent", {"amount": 15000, "currency": "XOF"})

_p2p_register(
    _P2pTemplate(
        key=WALLET_P2P_RECEIVED,
        description="Money received in the wallet from another person (P2P transfer, or claimed at sign-up).",
        category=_P2pCategory.PAYMENTS,
        priority=_P2pPriority.TRANSACTIONAL,
        channels=(_P2pChannel.SMS, _P2pChannel.PUSH, _P2pChannel.INAPP),
        variables={
            "sender_name": _P2pVar(_P2P_STR, "The sender's name", "Koffi Adjovi"),
            "amount": _P2P_AMOUNT,
        },
        defaults={
            _P2pChannel.SMS: {
                "fr": _P2pText(
                    "Hokwe: vous avez recu {{ amount }} de {{ sender_name }} sur votre portefeuille."
                ),
                "en": _P2pText("Hokwe: you received {{ amount }} from {{ sender_name }} in your wallet."),
            },
            _P2pChannel.PUSH: {
                "fr": _P2pText("{{ sender_name }} vous a envoyé {{ amount }}.", subject="Argent reçu"),
                "en": _P2pText("{{ sender_name }} sent you {{ amount }}.", subject="Money received"),
            },
            _P2pChannel.INAPP: {
                "fr": _P2pText("{{ sender_name }} vous a envoyé {{ amount }}.", subject="Argent reçu"),
                "en": _P2pText("{{ sender_name }} sent you {{ amount }}.", subject="Money received"),
            },
        },
    ),
    _P2pTemplate(
        key=WALLET_P2P_INVITATION,
        description="Money sent to a number with no Hokwe account: sign up to receive it (P2P).",
        category=_P2pCategory.PAYMENTS,
        priority=_P2pPriority.TRANSACTIONAL,
        channels=(_P2pChannel.SMS,),
        variables={
            "sender_name": _P2pVar(_P2P_STR, "The sender's name", "Koffi Adjovi"),
            "amount": _P2P_AMOUNT,
            "claim_days": _P2pVar(_P2P_INT, "Days to sign up before the money goes back", 7),
            "signup_url": _P2pVar(_P2P_URL, "Where to get the app and sign up", "https://hokwe.com/app"),
        },
        defaults={
            _P2pChannel.SMS: {
                "fr": _P2pText(
                    "Hokwe: {{ sender_name }} vous a envoye {{ amount }}. Inscrivez-vous avec ce numero "
                    "sous {{ claim_days }} jours pour le recevoir: {{ signup_url }}"
                ),
                "en": _P2pText(
                    "Hokwe: {{ sender_name }} sent you {{ amount }}. Sign up with this number within "
                    "{{ claim_days }} days to receive it: {{ signup_url }}"
                ),
            },
        },
    ),
    _P2pTemplate(
        key=WALLET_P2P_RETURNED,
        description="A P2P transfer to a number with no account was not claimed in time: back in the sender's wallet.",
        category=_P2pCategory.PAYMENTS,
        priority=_P2pPriority.TRANSACTIONAL,
        channels=(_P2pChannel.SMS, _P2pChannel.PUSH, _P2pChannel.INAPP),
        variables={
            "receiver_phone": _P2pVar(_P2P_STR, "The receiver's number, masked", "+229******01"),
            "amount": _P2P_AMOUNT,
        },
        defaults={
            _P2pChannel.SMS: {
                "fr": _P2pText(
                    "Hokwe: {{ amount }} envoyes au {{ receiver_phone }} n'ont pas ete reclames: ils sont de retour sur votre portefeuille."
                ),
                "en": _P2pText(
                    "Hokwe: {{ amount }} sent to {{ receiver_phone }} was not claimed: it is back in your wallet."
                ),
            },
            _P2pChannel.PUSH: {
                "fr": _P2pText(
                    "{{ amount }} envoyés au {{ receiver_phone }} sont revenus.", subject="Transfert revenu"
                ),
                "en": _P2pText(
                    "{{ amount }} sent to {{ receiver_phone }} came back.", subject="Transfer returned"
                ),
            },
            _P2pChannel.INAPP: {
                "fr": _P2pText(
                    "Personne ne s'est inscrit avec le {{ receiver_phone }} à temps : {{ amount }} sont de retour sur votre portefeuille.",
                    subject="Transfert revenu",
                ),
                "en": _P2pText(
                    "Nobody signed up with {{ receiver_phone }} in time: {{ amount }} is back in your wallet.",
                    subject="Transfer returned",
                ),
            },
        },
    ),
)


# --- Cotis'Hokwe ---
from apps.notifications.api import register_templates as _tontine_register  # noqa: E402
from apps.notifications.contracts import DATE as _T_DATE  # noqa: E402
from apps.notifications.contracts import INT as _T_INT  # noqa: E402
from apps.notifications.contracts import MONEY as _T_MONEY  # noqa: E402
from apps.notifications.contracts import STR as _T_STR  # noqa: E402
from apps.notifications.contracts import Category as _T_Category  # noqa: E402
from apps.notifications.contracts import Channel as _T_Channel  # noqa: E402
from apps.notifications.contracts import Priority as _T_Priority  # noqa: E402
from apps.notifications.contracts import TemplateDef as _T_Def  # noqa: E402
from apps.notifications.contracts import Text as _T_Text  # noqa: E402
from apps.notifications.contracts import Var as _T_Var  # noqa: E402

TONTINE_INVITATION = "wallet.tontine_invitation"
TONTINE_LATE = "wallet.tontine_late"
TONTINE_DEFAULT = "wallet.tontine_default"
TONTINE_POT_PAID = "wallet.tontine_pot_paid"

_T_GROUP = _T_Var(_T_STR, "The group's name", "Tontine du quartier Fidjrossè")
_T_XOF = {"amount": 10000, "currency": "XOF"}


def _t_texts(fr_sms, en_sms, fr_subject, en_subject, fr_long=None, en_long=None):
    return {
        _T_Channel.SMS: {"fr": _T_Text(fr_sms), "en": _T_Text(en_sms)},
        _T_Channel.PUSH: {
            "fr": _T_Text(fr_sms, subject=fr_subject),
            "en": _T_Text(en_sms, subject=en_subject),
        },
        _T_Channel.INAPP: {
            "fr": _T_Text(fr_long or fr_sms, subject=fr_subject),
            "en": _T_Text(en_long or en_sms, subject=en_subject),
        },
    }


_tontine_register(
    _T_Def(
        key=TONTINE_INVITATION,
        description="Cotis'Hokwe: an organiser invites a phone number to a rent tontine (SMS).",
        category=_T_Category.SAVINGS,
        priority=_T_Priority.TRANSACTIONAL,
        channels=(_T_Channel.SMS,),
        variables={
            "organiser_name": _T_Var(_T_STR, "The organiser's name", "Brice Zinsou"),
            "group_name": _T_GROUP,
            "contribution": _T_Var(_T_MONEY, "Contribution per round", _T_XOF),
            "frequency": _T_Var(_T_STR, "Frequency, worded", "monthly"),
            "start_date": _T_Var(_T_DATE, "First due date (YYYY-MM-DD)", "2026-07-05"),
        },
        defaults={
            _T_Channel.SMS: {
                "fr": _T_Text(
                    "Hokwe: {{ organiser_name }} vous invite à la tontine Cotis'Hokwe {{ group_name }}: {{ contribution }} par tour, dès le {{ start_date }}. Ouvrez l'app Hokwe pour lire les règles et accepter par code."
                ),
                "en": _T_Text(
                    "Hokwe: {{ organiser_name }} invites you to the Cotis'Hokwe tontine {{ group_name }}: {{ contribution }} per round from {{ start_date }}. Open the Hokwe app to read the rules and accept with a code."
                ),
            },
        },
    ),
    _T_Def(
        key=TONTINE_LATE,
        description="Cotis'Hokwe: a contribution was not paid on its due date (penalty added).",
        category=_T_Category.SAVINGS,
        priority=_T_Priority.TRANSACTIONAL,
        channels=(_T_Channel.SMS, _T_Channel.PUSH, _T_Channel.INAPP),
        variables={
            "group_name": _T_GROUP,
            "amount": _T_Var(_T_MONEY, "What is owed now, penalty included", _T_XOF),
            "penalty": _T_Var(_T_MONEY, "The late penalty", {"amount": 500, "currency": "XOF"}),
            "close_date": _T_Var(_T_DATE, "The day the round closes (YYYY-MM-DD)", "2026-07-07"),
        },
        defaults=_t_texts(
            "Hokwe: votre cotisation {{ group_name }} est en retard. A payer: {{ amount }} (pénalité {{ penalty }}) avant le {{ close_date }}. Rechargez votre portefeuille.",
            "Hokwe: your {{ group_name }} contribution is late. Due now: {{ amount }} (penalty {{ penalty }}) before {{ close_date }}. Top up your wallet.",
            "Cotisation en retard",
            "Contribution late",
        ),
    ),
    _T_Def(
        key=TONTINE_DEFAULT,
        description="Cotis'Hokwe: a round closed without a member's contribution (organiser and members).",
        category=_T_Category.SAVINGS,
        priority=_T_Priority.TRANSACTIONAL,
        channels=(_T_Channel.SMS, _T_Channel.PUSH, _T_Channel.INAPP),
        variables={
            "group_name": _T_GROUP,
            "member_phone": _T_Var(_T_STR, "The member's masked phone", "+229******01"),
            "round_number": _T_Var(_T_INT, "The round", 3),
            "amount": _T_Var(_T_MONEY, "What the member owed", _T_XOF),
            "guarantee": _T_Var(_T_MONEY, "What their guarantee covered", _T_XOF),
        },
        defaults=_t_texts(
            "Hokwe: {{ group_name }}, tour {{ round_number }}: le membre {{ member_phone }} n'a pas payé {{ amount }}. Sa garantie a couvert {{ guarantee }}.",
            "Hokwe: {{ group_name }}, round {{ round_number }}: member {{ member_phone }} did not pay {{ amount }}. Their guarantee covered {{ guarantee }}.",
            "Défaut de paiement",
            "Missed contribution",
        ),
    ),
    _T_Def(
        key=TONTINE_POT_PAID,
        description="Cotis'Hokwe: the round's pot was paid to its beneficiary.",
        category=_T_Category.SAVINGS,
        priority=_T_Priority.TRANSACTIONAL,
        channels=(_T_Channel.SMS, _T_Channel.PUSH, _T_Channel.INAPP),
        variables={
            "group_name": _T_GROUP,
            "round_number": _T_Var(_T_INT, "The round", 3),
            "amount": _T_Var(_T_MONEY, "The pot paid", {"amount": 100000, "currency": "XOF"}),
        },
        defaults=_t_texts(
            "Hokwe: {{ group_name }}, tour {{ round_number }}: vous recevez la cagnotte de {{ amount }}.",
            "Hokwe: {{ group_name }}, round {{ round_number }}: you receive the pot of {{ amount }}.",
            "Cagnotte reçue",
            "Pot received",
        ),
    ),
)


# --- wallet core: top-up received, withdrawal sent / failed, wallet frozen ---
from apps.notifications.api import register_templates as _core_register  # noqa: E402
from apps.notifications.contracts import MONEY as _C_MONEY  # noqa: E402
from apps.notifications.contracts import STR as _C_STR  # noqa: E402
from apps.notifications.contracts import Category as _C_Category  # noqa: E402
from apps.notifications.contracts import Channel as _C_Channel  # noqa: E402
from apps.notifications.contracts import Priority as _C_Priority  # noqa: E402
from apps.notifications.contracts import TemplateDef as _C_Def  # noqa: E402
from apps.notifications.contracts import Text as _C_Text  # noqa: E402
from apps.notifications.contracts import Var as _C_Var  # noqa: E402

WALLET_TOPUP_RECEIVED = "wallet.topup_received"
WALLET_WITHDRAWAL_SENT = "wallet.withdrawal_sent"
WALLET_WITHDRAWAL_FAILED = "wallet.withdrawal_failed"
WALLET_FROZEN = "wallet.frozen"

_C_AMOUNT = _C_Var(_C_MONEY, "The amount", {"amount": 25000, "currency": "XOF"})
_C_PHONE = _C_Var(_C_STR, "The mobile money number, masked", "****0101")


def _c_texts(fr_sms, en_sms, fr_subject, en_subject):
    return {
        _C_Channel.SMS: {"fr": _C_Text(fr_sms), "en": _C_Text(en_sms)},
        _C_Channel.PUSH: {
            "fr": _C_Text(fr_sms, subject=fr_subject),
            "en": _C_Text(en_sms, subject=en_subject),
        },
        _C_Channel.INAPP: {
            "fr": _C_Text(fr_sms, subject=fr_subject),
            "en": _C_Text(en_sms, subject=en_subject),
        },
    }


_core_register(
    _C_Def(
        key=WALLET_TOPUP_RECEIVED,
        description="A mobile money top-up reached the wallet (wallet).",
        category=_C_Category.PAYMENTS,
        priority=_C_Priority.TRANSACTIONAL,
        channels=(_C_Channel.SMS, _C_Channel.PUSH, _C_Channel.INAPP),
        variables={"amount": _C_AMOUNT},
        defaults=_c_texts(
            "Hokwe: votre portefeuille a ete recharge de {{ amount }}.",
            "Hokwe: {{ amount }} was added to your wallet.",
            "Rechargement reçu",
            "Top-up received",
        ),
    ),
    _C_Def(
        key=WALLET_WITHDRAWAL_SENT,
        description="A withdrawal from the wallet reached the user's mobile money number (wallet).",
        category=_C_Category.PAYMENTS,
        priority=_C_Priority.TRANSACTIONAL,
        channels=(_C_Channel.SMS, _C_Channel.PUSH, _C_Channel.INAPP),
        variables={"amount": _C_AMOUNT, "phone": _C_PHONE},
        defaults=_c_texts(
            "Hokwe: retrait de {{ amount }} envoye sur votre Mobile Money {{ phone }}.",
            "Hokwe: withdrawal of {{ amount }} sent to your mobile money {{ phone }}.",
            "Retrait envoyé",
            "Withdrawal sent",
        ),
    ),
    _C_Def(
        key=WALLET_WITHDRAWAL_FAILED,
        description="A withdrawal failed at the operator: the money is back in the wallet (wallet).",
        category=_C_Category.PAYMENTS,
        priority=_C_Priority.TRANSACTIONAL,
        channels=(_C_Channel.SMS, _C_Channel.PUSH, _C_Channel.INAPP),
        variables={"amount": _C_AMOUNT, "phone": _C_PHONE},
        defaults=_c_texts(
            "Hokwe: le retrait de {{ amount }} vers {{ phone }} a echoue. L'argent est de retour sur votre portefeuille.",
            "Hokwe: the withdrawal of {{ amount }} to {{ phone }} failed. The money is back in your wallet.",
            "Retrait échoué",
            "Withdrawal failed",
        ),
    ),
    _C_Def(
        key=WALLET_FROZEN,
        description="Compliance froze the user's wallet (wallet).",
        category=_C_Category.PAYMENTS,
        priority=_C_Priority.TRANSACTIONAL,
        channels=(_C_Channel.SMS, _C_Channel.INAPP),
        variables={},
        defaults={
            _C_Channel.SMS: {
                "fr": _C_Text(
                    "Hokwe: votre portefeuille est bloque par le service conformite. Contactez le support Hokwe."
                ),
                "en": _C_Text("Hokwe: your wallet is frozen by compliance. Contact Hokwe support."),
            },
            _C_Channel.INAPP: {
                "fr": _C_Text(
                    "Votre portefeuille est bloqué par le service conformité : aucun mouvement n'est possible. Contactez le support Hokwe.",
                    subject="Portefeuille bloqué",
                ),
                "en": _C_Text(
                    "Your wallet is frozen by compliance: no movement is possible. Contact Hokwe support.",
                    subject="Wallet frozen",
                ),
            },
        },
    ),
)


# --- HokweSplit ---
from apps.notifications.api import register_templates as _register  # noqa: E402
from apps.notifications.contracts import DATE as _DATE  # noqa: E402
from apps.notifications.contracts import MONEY as _MONEY  # noqa: E402
from apps.notifications.contracts import URL as _URL  # noqa: E402
from apps.notifications.contracts import Category as _Category  # noqa: E402
from apps.notifications.contracts import Channel as _Channel  # noqa: E402
from apps.notifications.contracts import Priority as _Priority  # noqa: E402
from apps.notifications.contracts import TemplateDef as _TemplateDef  # noqa: E402
from apps.notifications.contracts import Text as _Text  # noqa: E402
from apps.notifications.contracts import Var as _Var  # noqa: E402

WALLET_SPLIT_SHORTFALL = "wallet.split_shortfall"
WALLET_SPLIT_SHORT_AT_DUE = "wallet.split_short_at_due"
WALLET_SPLIT_MOMO_REQUEST = "wallet.split_momo_request"

_register(
    _TemplateDef(
        key=WALLET_SPLIT_SHORTFALL,
        description="HokweSplit: days before the due date, the vault will not cover the rent (wallet).",
        category=_Category.SAVINGS,
        priority=_Priority.TRANSACTIONAL,
        channels=(_Channel.SMS, _Channel.PUSH, _Channel.INAPP),
        variables={
            "missing": _Var(
                _MONEY, "What the vault will lack on the due date", {"amount": 12000, "currency": "XOF"}
            ),
            "target": _Var(_MONEY, "The rent to save for", {"amount": 75000, "currency": "XOF"}),
            "due_date": _Var(_DATE, "The rent's due date (YYYY-MM-DD)", "2026-07-05"),
        },
        defaults={
            _Channel.SMS: {
                "fr": _Text(
                    "Hokwe Split: il manquera {{ missing }} dans votre coffre pour le loyer de {{ target }} du {{ due_date }}. Rechargez votre portefeuille avant cette date."
                ),
                "en": _Text(
                    "Hokwe Split: your vault will lack {{ missing }} for the {{ target }} rent due on {{ due_date }}. Top up your wallet before then."
                ),
            },
            _Channel.PUSH: {
                "fr": _Text(
                    "Il manquera {{ missing }} pour votre loyer du {{ due_date }}.", subject="HokweSplit"
                ),
                "en": _Text("{{ missing }} missing for your rent due {{ due_date }}.", subject="HokweSplit"),
            },
            _Channel.INAPP: {
                "fr": _Text(
                    "Il manquera {{ missing }} dans votre coffre HokweSplit pour le loyer de {{ target }} du {{ due_date }}.",
                    subject="Coffre HokweSplit incomplet",
                ),
                "en": _Text(
                    "Your HokweSplit vault will lack {{ missing }} for the {{ target }} rent due on {{ due_date }}.",
                    subject="HokweSplit vault short",
                ),
            },
        },
    ),
    _TemplateDef(
        key=WALLET_SPLIT_MOMO_REQUEST,
        description="HokweSplit: today's saving by mobile money, with its pay link (wallet).",
        category=_Category.SAVINGS,
        priority=_Priority.TRANSACTIONAL,
        channels=(_Channel.SMS, _Channel.PUSH),
        action_url="pay_url",
        variables={
            "amount": _Var(_MONEY, "Today's instalment", {"amount": 2500, "currency": "XOF"}),
            "due_date": _Var(_DATE, "The rent's due date (YYYY-MM-DD)", "2026-07-05"),
            "pay_url": _Var(_URL, "The instalment's pay link (/pay/…)", "https://hokwe.com/pay/K7Q2M"),
        },
        defaults={
            _Channel.SMS: {
                "fr": _Text(
                    "Hokwe Split: votre épargne du jour, {{ amount }}, pour le loyer du {{ due_date }}. Payez par mobile money: {{ pay_url }}"
                ),
                "en": _Text(
                    "Hokwe Split: today's saving, {{ amount }}, for the rent due {{ due_date }}. Pay by mobile money: {{ pay_url }}"
                ),
            },
            _Channel.PUSH: {
                "fr": _Text("Épargne du jour : {{ amount }}. Touchez pour payer.", subject="HokweSplit"),
                "en": _Text("Today's saving: {{ amount }}. Tap to pay.", subject="HokweSplit"),
            },
        },
    ),
    _TemplateDef(
        key=WALLET_SPLIT_SHORT_AT_DUE,
        description="HokweSplit: on the due date the vault was short; its money went back to the wallet (wallet).",
        category=_Category.SAVINGS,
        priority=_Priority.TRANSACTIONAL,
        channels=(_Channel.SMS, _Channel.INAPP),
        variables={
            "saved": _Var(
                _MONEY, "What the vault held, returned to the wallet", {"amount": 60000, "currency": "XOF"}
            ),
            "target": _Var(_MONEY, "The rent still owed", {"amount": 75000, "currency": "XOF"}),
            "due_date": _Var(_DATE, "The rent's due date (YYYY-MM-DD)", "2026-07-05"),
        },
        defaults={
            _Channel.SMS: {
                "fr": _Text(
                    "Hokwe Split: votre coffre ({{ saved }}) ne couvrait pas le loyer de {{ target }} du {{ due_date }}. Il est revenu dans votre portefeuille: payez le loyer depuis l'appli."
                ),
                "en": _Text(
                    "Hokwe Split: your vault ({{ saved }}) did not cover the {{ target }} rent due {{ due_date }}. It is back in your wallet: pay the rent from the app."
                ),
            },
            _Channel.INAPP: {
                "fr": _Text(
                    "Votre coffre ({{ saved }}) ne couvrait pas le loyer de {{ target }} du {{ due_date }} : il est revenu dans votre portefeuille.",
                    subject="Loyer non couvert",
                ),
                "en": _Text(
                    "Your vault ({{ saved }}) did not cover the {{ target }} rent due {{ due_date }}: it is back in your wallet.",
                    subject="Rent not covered",
                ),
            },
        },
    ),
)
