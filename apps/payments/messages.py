"""The messages payments sends: each key's variables and default texts (French and English).

Registered with notifications at start-up (core discovers every module's messages.py);
staff override a text in the admin. Texts use `{{ variable }}` placeholders only, and SMS
texts keep to the GSM-7 alphabet (docs/notifications.md, "Templates")."""

from apps.notifications.api import register_templates
from apps.notifications.contracts import (
    DATETIME,
    MONEY,
    STR,
    URL,
    Category,
    Channel,
    Priority,
    TemplateDef,
    Text,
    Var,
)

PAYMENT_RECEIPT = "payments.receipt"
PAYOUT_CONFIRMATION = "payments.payout_confirmation"

_AMOUNT = Var(MONEY, "Amount, {amount, currency} in minor units", {"amount": 75000, "currency": "XOF"})

register_templates(
    TemplateDef(
        key=PAYMENT_RECEIPT,
        description="A payment went through: the payer's receipt with its verification link (payments).",
        category=Category.PAYMENTS,
        priority=Priority.TRANSACTIONAL,
        channels=(Channel.SMS, Channel.EMAIL, Channel.PUSH, Channel.INAPP),
        urgent=True,
        action_url="receipt_url",
        variables={
            "payer_name": Var(STR, "Who paid", "Brice Zinsou"),
            "amount": _AMOUNT,
            "purpose": Var(STR, "What was paid, already worded", "Loyer mars 2026"),
            "reference": Var(STR, "Receipt number", "REC-8F3K2"),
            "paid_at": Var(DATETIME, "When (ISO 8601)", "2026-03-03T14:12:00+01:00"),
            "receipt_url": Var(URL, "Receipt verification link (/r/<code>)", "https://hokwe.com/r/8F3K2"),
        },
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: paiement de {{ amount }} bien enregistré ({{ purpose }}), le {{ paid_at }}. Réf {{ reference }}, vérifier: {{ receipt_url }}"
                ),
                "en": Text(
                    "Hokwe: payment of {{ amount }} received ({{ purpose }}) on {{ paid_at }}. Receipt {{ reference }}: {{ receipt_url }}"
                ),
            },
            Channel.EMAIL: {
                "fr": Text(
                    "Bonjour {{ payer_name }},\n\nNous avons bien reçu votre paiement de {{ amount }} "
                    "({{ purpose }}) le {{ paid_at }}.\n\nReçu n° {{ reference }}, vérifiable ici : {{ receipt_url }}",
                    subject="Reçu de paiement {{ reference }}",
                ),
                "en": Text(
                    "Hello {{ payer_name }},\n\nWe received your payment of {{ amount }} "
                    "({{ purpose }}) on {{ paid_at }}.\n\nReceipt no. {{ reference }}, verify it here: {{ receipt_url }}",
                    subject="Payment receipt {{ reference }}",
                ),
            },
            Channel.PUSH: {
                "fr": Text("Paiement de {{ amount }} reçu ({{ purpose }}).", subject="Paiement reçu"),
                "en": Text("Payment of {{ amount }} received ({{ purpose }}).", subject="Payment received"),
            },
            Channel.INAPP: {
                "fr": Text(
                    "Paiement de {{ amount }} reçu le {{ paid_at }} ({{ purpose }}). Reçu n° {{ reference }}.",
                    subject="Paiement reçu",
                ),
                "en": Text(
                    "Payment of {{ amount }} received on {{ paid_at }} ({{ purpose }}). Receipt no. {{ reference }}.",
                    subject="Payment received",
                ),
            },
        },
    )
)

register_templates(
    TemplateDef(
        key=PAYOUT_CONFIRMATION,
        description="Money was paid out to a landlord or agency (payments).",
        category=Category.PAYMENTS,
        priority=Priority.TRANSACTIONAL,
        channels=(Channel.SMS, Channel.EMAIL, Channel.INAPP),
        urgent=True,
        variables={
            "beneficiary_name": Var(STR, "Who receives the money", "Famille Adjovi"),
            "amount": Var(MONEY, "Amount paid out", {"amount": 1350000, "currency": "XOF"}),
            "destination": Var(STR, "Masked destination (mobile money number, bank account)", "MTN ****4521"),
            "reference": Var(STR, "Payout reference", "PO-2026-0311"),
        },
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: reversement de {{ amount }} envoyé vers {{ destination }}. Réf {{ reference }}."
                ),
                "en": Text("Hokwe: payout of {{ amount }} sent to {{ destination }}. Ref {{ reference }}."),
            },
            Channel.EMAIL: {
                "fr": Text(
                    "Bonjour {{ beneficiary_name }},\n\nUn reversement de {{ amount }} a été envoyé vers "
                    "{{ destination }}.\n\nRéférence : {{ reference }}",
                    subject="Reversement de {{ amount }} effectué",
                ),
                "en": Text(
                    "Hello {{ beneficiary_name }},\n\nA payout of {{ amount }} was sent to "
                    "{{ destination }}.\n\nReference: {{ reference }}",
                    subject="Payout of {{ amount }} sent",
                ),
            },
            Channel.INAPP: {
                "fr": Text(
                    "Reversement de {{ amount }} envoyé vers {{ destination }} (réf. {{ reference }}).",
                    subject="Reversement effectué",
                ),
                "en": Text(
                    "Payout of {{ amount }} sent to {{ destination }} (ref. {{ reference }}).",
                    subject="Payout sent",
                ),
            },
        },
    )
)
