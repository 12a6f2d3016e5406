"""The messages the wallet sends (registered with notifications at start-up: each part appends
its own `register_templates(...)` block)."""


# --- wallet core (W2): top-up received, withdrawal sent / failed, wallet frozen ---
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
