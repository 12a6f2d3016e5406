"""The messages invest sends (registered with notifications at start-up)."""

from apps.notifications.api import register_templates
from apps.notifications.contracts import MONEY, STR, Category, Channel, Priority, TemplateDef, Text, Var

INVEST_PLAN_PAUSED = "invest.plan_paused"
INVEST_ORDER_SETTLED = "invest.order_settled"
INVEST_ORDER_REJECTED = "invest.order_rejected"
PLAN_PAUSED = INVEST_PLAN_PAUSED

_AMOUNT = Var(MONEY, "The amount", {"amount": 10000, "currency": "XOF"})
_PRODUCT = Var(STR, "The product's name", "Fonds Monétaire Hokwe (démo)")

register_templates(
    TemplateDef(
        key=INVEST_PLAN_PAUSED,
        description="HokweInvest: a monthly plan paused itself: the wallet must keep the rent first, or the order was refused.",
        category=Category.SAVINGS,
        priority=Priority.TRANSACTIONAL,
        channels=(Channel.SMS, Channel.INAPP),
        variables={"amount": _AMOUNT, "product": _PRODUCT},
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: votre investissement mensuel de {{ amount }} dans {{ product }} est en pause: votre portefeuille garde d'abord votre loyer. Reprenez-le dans l'app."
                ),
                "en": Text(
                    "Hokwe: your monthly investment of {{ amount }} in {{ product }} is paused: your wallet keeps your rent first. Resume it in the app."
                ),
            },
            Channel.INAPP: {
                "fr": Text(
                    "Votre investissement mensuel de {{ amount }} dans {{ product }} est en pause : le loyer passe d'abord.",
                    subject="Investissement en pause",
                ),
                "en": Text(
                    "Your monthly investment of {{ amount }} in {{ product }} is paused: the rent comes first.",
                    subject="Investment paused",
                ),
            },
        },
    ),
    TemplateDef(
        key=INVEST_ORDER_SETTLED,
        description="HokweInvest: an order was executed and its cash moved (to or from the wallet).",
        category=Category.SAVINGS,
        priority=Priority.TRANSACTIONAL,
        channels=(Channel.INAPP,),
        variables={"amount": _AMOUNT, "product": _PRODUCT},
        defaults={
            Channel.INAPP: {
                "fr": Text(
                    "Votre ordre sur {{ product }} est exécuté : {{ amount }}.",
                    subject="Ordre exécuté",
                ),
                "en": Text(
                    "Your order on {{ product }} is executed: {{ amount }}.",
                    subject="Order executed",
                ),
            },
        },
    ),
    TemplateDef(
        key=INVEST_ORDER_REJECTED,
        description="HokweInvest: the partner rejected an order (or it was cancelled): the money held is back in the wallet.",
        category=Category.SAVINGS,
        priority=Priority.TRANSACTIONAL,
        channels=(Channel.SMS, Channel.INAPP),
        variables={"product": _PRODUCT},
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: votre ordre sur {{ product }} n'a pas ete execute. L'argent reserve est de retour sur votre portefeuille."
                ),
                "en": Text(
                    "Hokwe: your order on {{ product }} was not executed. The money held is back in your wallet."
                ),
            },
            Channel.INAPP: {
                "fr": Text(
                    "Votre ordre sur {{ product }} n'a pas été exécuté. L'argent réservé est de retour sur votre portefeuille.",
                    subject="Ordre non exécuté",
                ),
                "en": Text(
                    "Your order on {{ product }} was not executed. The money held is back in your wallet.",
                    subject="Order not executed",
                ),
            },
        },
    ),
)
