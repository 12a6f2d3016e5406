"""The messages recovery sends: each key's variables and default texts (French and English).

Registered with notifications at start-up (core discovers every module's messages.py);
staff override a text in the admin. Texts use `{{ variable }}` placeholders only, and SMS
texts keep to the GSM-7 alphabet (docs/notifications.md, "Templates")."""

from apps.notifications.api import register_templates
from apps.notifications.contracts import (
    DATE,
    INT,
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

RECOVERY_REMINDER = "recovery.reminder"
RECOVERY_FORMAL_NOTICE = "recovery.formal_notice"
RECOVERY_PLAN = "recovery.plan"
RECOVERY_LOAN_REMINDER = "recovery.loan_reminder"

_PORTAL_URL = Var(URL, "Link to the debtor portal (/recover/…)", "https://hokwe.com/recover/K7Q2M")


register_templates(
    TemplateDef(
        key=RECOVERY_REMINDER,
        description="Relance of the dunning ladder: a debt is overdue (recovery).",
        category=Category.RENT,
        priority=Priority.BULK,
        channels=(Channel.SMS, Channel.EMAIL, Channel.PUSH, Channel.INAPP),
        action_url="pay_url",
        variables={
            "tenant_name": Var(STR, "Tenant's name", "Brice Zinsou"),
            "amount": Var(MONEY, "Total still owed", {"amount": 150000, "currency": "XOF"}),
            "oldest_due_date": Var(DATE, "Oldest unpaid due date (YYYY-MM-DD)", "2026-03-05"),
            "days_late": Var(INT, "Days since the oldest unpaid due date", 12),
            "property_name": Var(STR, "The dwelling", "Résidence Fidjrossè, apt 3"),
            "pay_url": _PORTAL_URL,
        },
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: {{ tenant_name }}, il reste {{ amount }} de loyer impayé ({{ property_name }}), en retard de {{ days_late }} j. Payez tout ou partie: {{ pay_url }}"
                ),
                "en": Text(
                    "Hokwe: {{ tenant_name }}, {{ amount }} of rent is unpaid ({{ property_name }}), {{ days_late }} days late. Pay all or part: {{ pay_url }}"
                ),
            },
            Channel.EMAIL: {
                "fr": Text(
                    "Bonjour {{ tenant_name }},\n\nSauf erreur de notre part, {{ amount }} de loyer restent impayés "
                    "pour {{ property_name }}, depuis le {{ oldest_due_date }} ({{ days_late }} jours).\n\n"
                    "Vous pouvez payer tout ou partie, promettre une date ou demander un échéancier ici : {{ pay_url }}\n\n"
                    "Si vous avez déjà payé, merci de ne pas tenir compte de ce message.",
                    subject="Loyer impayé : {{ amount }}",
                ),
                "en": Text(
                    "Hello {{ tenant_name }},\n\nUnless we are mistaken, {{ amount }} of rent is still unpaid "
                    "for {{ property_name }}, since {{ oldest_due_date }} ({{ days_late }} days).\n\n"
                    "You can pay all or part, promise a date or ask for a payment plan here: {{ pay_url }}\n\n"
                    "If you have already paid, please disregard this message.",
                    subject="Unpaid rent: {{ amount }}",
                ),
            },
            Channel.PUSH: {
                "fr": Text("{{ amount }} de loyer restent impayés.", subject="Loyer impayé"),
                "en": Text("{{ amount }} of rent is unpaid.", subject="Unpaid rent"),
            },
            Channel.INAPP: {
                "fr": Text(
                    "{{ amount }} de loyer restent impayés pour {{ property_name }} ({{ days_late }} jours de retard).",
                    subject="Loyer impayé",
                ),
                "en": Text(
                    "{{ amount }} of rent is unpaid for {{ property_name }} ({{ days_late }} days late).",
                    subject="Unpaid rent",
                ),
            },
        },
    )
)

register_templates(
    TemplateDef(
        key=RECOVERY_FORMAL_NOTICE,
        description="Mise en demeure: the formal notice to pay, with its PDF (recovery).",
        category=Category.RENT,
        priority=Priority.TRANSACTIONAL,
        channels=(Channel.SMS, Channel.EMAIL, Channel.INAPP),
        action_url="notice_url",
        variables={
            "tenant_name": Var(STR, "Tenant's name", "Brice Zinsou"),
            "amount": Var(MONEY, "Total claimed", {"amount": 150000, "currency": "XOF"}),
            "number": Var(STR, "Notice number", "MED-2026-0007"),
            "pay_by": Var(DATE, "Deadline to pay (YYYY-MM-DD)", "2026-04-12"),
            "notice_url": Var(
                URL, "Link to the notice PDF", "https://hokwe.com/recover/K7Q2M/notice/MED-2026-0007"
            ),
            "pay_url": _PORTAL_URL,
        },
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: MISE EN DEMEURE no {{ number }}. Payez {{ amount }} avant le {{ pay_by }}. Lire: {{ notice_url }} Payer: {{ pay_url }}"
                ),
                "en": Text(
                    "Hokwe: FORMAL NOTICE no. {{ number }}. Pay {{ amount }} by {{ pay_by }}. Read: {{ notice_url }} Pay: {{ pay_url }}"
                ),
            },
            Channel.EMAIL: {
                "fr": Text(
                    "Bonjour {{ tenant_name }},\n\nVous trouverez votre mise en demeure n° {{ number }} ici : {{ notice_url }}\n\n"
                    "Somme réclamée : {{ amount }}, à régler avant le {{ pay_by }}. Payer : {{ pay_url }}",
                    subject="Mise en demeure n° {{ number }}",
                ),
                "en": Text(
                    "Hello {{ tenant_name }},\n\nYour formal notice no. {{ number }} is here: {{ notice_url }}\n\n"
                    "Amount claimed: {{ amount }}, to pay by {{ pay_by }}. Pay: {{ pay_url }}",
                    subject="Formal notice no. {{ number }}",
                ),
            },
            Channel.INAPP: {
                "fr": Text(
                    "Mise en demeure n° {{ number }} : {{ amount }} à régler avant le {{ pay_by }}.",
                    subject="Mise en demeure",
                ),
                "en": Text(
                    "Formal notice no. {{ number }}: {{ amount }} to pay by {{ pay_by }}.",
                    subject="Formal notice",
                ),
            },
        },
    )
)

register_templates(
    TemplateDef(
        key=RECOVERY_PLAN,
        description="A payment plan (échéancier) was accepted: its first installment (recovery).",
        category=Category.RENT,
        priority=Priority.TRANSACTIONAL,
        channels=(Channel.SMS, Channel.INAPP),
        action_url="pay_url",
        variables={
            "tenant_name": Var(STR, "Tenant's name", "Brice Zinsou"),
            "total": Var(MONEY, "Total of the plan", {"amount": 150000, "currency": "XOF"}),
            "installments": Var(INT, "Number of installments", 3),
            "next_amount": Var(MONEY, "Next installment", {"amount": 50000, "currency": "XOF"}),
            "next_date": Var(DATE, "Next installment date (YYYY-MM-DD)", "2026-04-05"),
            "pay_url": _PORTAL_URL,
        },
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: échéancier accepté, {{ total }} en {{ installments }} fois. Prochaine échéance {{ next_amount }} le {{ next_date }}: {{ pay_url }}"
                ),
                "en": Text(
                    "Hokwe: payment plan accepted, {{ total }} in {{ installments }} installments. Next {{ next_amount }} on {{ next_date }}: {{ pay_url }}"
                ),
            },
            Channel.INAPP: {
                "fr": Text(
                    "Échéancier accepté : {{ total }} en {{ installments }} fois. Prochaine échéance : {{ next_amount }} le {{ next_date }}.",
                    subject="Échéancier accepté",
                ),
                "en": Text(
                    "Payment plan accepted: {{ total }} in {{ installments }} installments. Next: {{ next_amount }} on {{ next_date }}.",
                    subject="Payment plan accepted",
                ),
            },
        },
    )
)

register_templates(
    TemplateDef(
        key=RECOVERY_LOAN_REMINDER,
        description="Relance of the dunning ladder on a loan case: a loan handed over by lending is overdue.",
        category=Category.PAYMENTS,
        priority=Priority.BULK,
        channels=(Channel.SMS, Channel.EMAIL, Channel.PUSH, Channel.INAPP),
        action_url="pay_url",
        variables={
            "tenant_name": Var(STR, "Borrower's name", "Brice Zinsou"),
            "amount": Var(MONEY, "Total still owed on the loan", {"amount": 45000, "currency": "XOF"}),
            "oldest_due_date": Var(DATE, "Oldest unpaid instalment (YYYY-MM-DD)", "2026-03-05"),
            "days_late": Var(INT, "Days since the oldest unpaid instalment", 65),
            "loan_number": Var(STR, "The loan's number", "PRT-2026-000042"),
            "pay_url": Var(URL, "Lending's repayment link", "https://hokwe.com/lending/loans/…/pay-link"),
        },
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: {{ tenant_name }}, il reste {{ amount }} a rembourser sur votre pret {{ loan_number }}, en retard de {{ days_late }} j. Remboursez: {{ pay_url }}"
                ),
                "en": Text(
                    "Hokwe: {{ tenant_name }}, {{ amount }} is still owed on your loan {{ loan_number }}, {{ days_late }} days late. Repay: {{ pay_url }}"
                ),
            },
            Channel.EMAIL: {
                "fr": Text(
                    "Bonjour {{ tenant_name }},\n\nSauf erreur de notre part, {{ amount }} restent dus sur votre prêt "
                    "{{ loan_number }}, depuis l'échéance du {{ oldest_due_date }} ({{ days_late }} jours).\n\n"
                    "Vous pouvez rembourser tout ou partie ici : {{ pay_url }}\n\n"
                    "Si vous avez déjà payé, merci de ne pas tenir compte de ce message.",
                    subject="Prêt en retard : {{ amount }}",
                ),
                "en": Text(
                    "Hello {{ tenant_name }},\n\nUnless we are mistaken, {{ amount }} is still owed on your loan "
                    "{{ loan_number }}, since the instalment of {{ oldest_due_date }} ({{ days_late }} days).\n\n"
                    "You can repay all or part here: {{ pay_url }}\n\n"
                    "If you have already paid, please disregard this message.",
                    subject="Loan overdue: {{ amount }}",
                ),
            },
            Channel.PUSH: {
                "fr": Text(
                    "{{ amount }} restent dus sur votre prêt {{ loan_number }}.", subject="Prêt en retard"
                ),
                "en": Text(
                    "{{ amount }} is still owed on your loan {{ loan_number }}.", subject="Loan overdue"
                ),
            },
            Channel.INAPP: {
                "fr": Text(
                    "{{ amount }} restent dus sur votre prêt {{ loan_number }} ({{ days_late }} jours de retard).",
                    subject="Prêt en retard",
                ),
                "en": Text(
                    "{{ amount }} is still owed on your loan {{ loan_number }} ({{ days_late }} days late).",
                    subject="Loan overdue",
                ),
            },
        },
    )
)
