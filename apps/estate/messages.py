"""The messages estate sends: each key's variables and default texts (French and English).

Registered with notifications at start-up (core discovers every module's messages.py);
staff override a text in the admin. Texts use `{{ variable }}` placeholders only, and SMS
texts keep to the GSM-7 alphabet (docs/notifications.md, "Templates")."""

from django.utils.translation import pgettext_lazy

from apps.notifications.api import register_templates
from apps.notifications.contracts import (
    CHOICE,
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

RENT_NOTICE = "estate.rent_notice"
RENT_REMINDER = "estate.rent_reminder"

_AMOUNT = Var(MONEY, "Amount, {amount, currency} in minor units", {"amount": 75000, "currency": "XOF"})
_PAY_URL = Var(URL, "Link to the payment page (/pay/…)", "https://hokwe.com/pay/K7Q2M")

register_templates(
    TemplateDef(
        key=RENT_NOTICE,
        description="Avis d'échéance: the rent of the coming period is due (estate, monthly bulk run).",
        category=Category.RENT,
        priority=Priority.BULK,
        channels=(Channel.SMS, Channel.EMAIL, Channel.PUSH, Channel.INAPP),
        action_url="pay_url",
        variables={
            "tenant_name": Var(STR, "Tenant's name", "Brice Zinsou"),
            "amount": _AMOUNT,
            "period": Var(STR, "Rent period, already worded (e.g. 'mars 2026')", "mars 2026"),
            "due_date": Var(DATE, "Due date (YYYY-MM-DD)", "2026-03-05"),
            "property_name": Var(STR, "The dwelling", "Résidence Fidjrossè, apt 3"),
            "reference": Var(STR, "Rent due reference", "LOY-2026-03-0042"),
            "pay_url": _PAY_URL,
        },
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: avis d'échéance {{ period }}. Loyer {{ amount }} à payer avant le {{ due_date }}. Réf {{ reference }}. Payer: {{ pay_url }}"
                ),
                "en": Text(
                    "Hokwe: rent notice {{ period }}. Rent {{ amount }} due by {{ due_date }}. Ref {{ reference }}. Pay: {{ pay_url }}"
                ),
            },
            Channel.EMAIL: {
                "fr": Text(
                    "Bonjour {{ tenant_name }},\n\nVotre loyer de {{ period }} pour {{ property_name }} "
                    "s'élève à {{ amount }}, à régler avant le {{ due_date }}.\n\n"
                    "Référence : {{ reference }}\n\nPayer en ligne : {{ pay_url }}",
                    subject="Avis d'échéance {{ period }} - {{ amount }}",
                ),
                "en": Text(
                    "Hello {{ tenant_name }},\n\nYour rent for {{ period }} at {{ property_name }} "
                    "is {{ amount }}, due by {{ due_date }}.\n\n"
                    "Reference: {{ reference }}\n\nPay online: {{ pay_url }}",
                    subject="Rent notice {{ period }} - {{ amount }}",
                ),
            },
            Channel.PUSH: {
                "fr": Text(
                    "Loyer {{ period }} : {{ amount }} avant le {{ due_date }}.", subject="Avis d'échéance"
                ),
                "en": Text("Rent {{ period }}: {{ amount }} due by {{ due_date }}.", subject="Rent notice"),
            },
            Channel.INAPP: {
                "fr": Text(
                    "Votre loyer de {{ period }} ({{ property_name }}) est de {{ amount }}, à payer avant le {{ due_date }}. Réf. {{ reference }}.",
                    subject="Avis d'échéance {{ period }}",
                ),
                "en": Text(
                    "Your rent for {{ period }} ({{ property_name }}) is {{ amount }}, due by {{ due_date }}. Ref. {{ reference }}.",
                    subject="Rent notice {{ period }}",
                ),
            },
        },
    )
)

register_templates(
    TemplateDef(
        key=RENT_REMINDER,
        description="Relance: rent still unpaid after the due date (estate, recovery).",
        category=Category.RENT,
        priority=Priority.BULK,
        channels=(Channel.SMS, Channel.PUSH, Channel.INAPP),
        action_url="pay_url",
        variables={
            "tenant_name": Var(STR, "Tenant's name", "Brice Zinsou"),
            "amount": Var(MONEY, "Amount still due", {"amount": 75000, "currency": "XOF"}),
            "due_date": Var(DATE, "The missed due date (YYYY-MM-DD)", "2026-03-05"),
            "days_late": Var(INT, "Days since the due date", 3),
            "pay_url": _PAY_URL,
        },
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: rappel, votre loyer de {{ amount }} (échéance du {{ due_date }}) reste impayé depuis {{ days_late }} j. Payer: {{ pay_url }}"
                ),
                "en": Text(
                    "Hokwe: reminder, your rent of {{ amount }} (due {{ due_date }}) is {{ days_late }} days late. Pay: {{ pay_url }}"
                ),
            },
            Channel.PUSH: {
                "fr": Text("{{ amount }} restent dus depuis le {{ due_date }}.", subject="Rappel de loyer"),
                "en": Text("{{ amount }} still due since {{ due_date }}.", subject="Rent reminder"),
            },
            Channel.INAPP: {
                "fr": Text(
                    "Votre loyer de {{ amount }} (échéance du {{ due_date }}) est en retard de {{ days_late }} jour(s).",
                    subject="Rappel de loyer",
                ),
                "en": Text(
                    "Your rent of {{ amount }} (due {{ due_date }}) is {{ days_late }} day(s) late.",
                    subject="Rent reminder",
                ),
            },
        },
    )
)

ANNOUNCEMENT = "estate.announcement"

register_templates(
    TemplateDef(
        key=ANNOUNCEMENT,
        description="A manager's announcement to every tenant of a property (water cut, works, meeting).",
        category=Category.RENT,
        priority=Priority.BULK,
        channels=(Channel.SMS, Channel.PUSH, Channel.INAPP),
        action_url="url",
        variables={
            "title": Var(STR, "Headline", "Coupure d'eau jeudi"),
            "summary": Var(
                STR, "The message, up to 600 characters", "L'eau sera coupée jeudi de 9 h à 12 h."
            ),
            "url": Var(URL, "A link for more", "https://hokwe.com"),
        },
        defaults={
            Channel.SMS: {
                "fr": Text("{{ title }}: {{ summary }}"),
                "en": Text("{{ title }}: {{ summary }}"),
            },
            Channel.PUSH: {
                "fr": Text("{{ summary }}", subject="{{ title }}"),
                "en": Text("{{ summary }}", subject="{{ title }}"),
            },
            Channel.INAPP: {
                "fr": Text("{{ summary }}", subject="{{ title }}"),
                "en": Text("{{ summary }}", subject="{{ title }}"),
            },
        },
    )
)

TICKET_UPDATE = "estate.ticket_update"

# A ticket's new status, as the tenant reads it ("your request ... is <status>"); its own
# wording (not the board's labels): in French the request (la demande) is feminine, and the
# SMS words keep to GSM-7.
TICKET_STATUSES = {
    "open": pgettext_lazy("ticket update", "reopened"),
    "assigned": pgettext_lazy("ticket update", "assigned to a repairer"),
    "in_progress": pgettext_lazy("ticket update", "in progress"),
    "resolved": pgettext_lazy("ticket update", "resolved"),
    "closed": pgettext_lazy("ticket update", "closed"),
    "canceled": pgettext_lazy("ticket update", "canceled"),
}

register_templates(
    TemplateDef(
        key=TICKET_UPDATE,
        description="A maintenance ticket the tenant reported (or one on their lease) changed status.",
        category=Category.RENT,
        priority=Priority.TRANSACTIONAL,
        channels=(Channel.SMS, Channel.PUSH, Channel.INAPP),
        variables={
            "title": Var(STR, "The ticket's title", "Fuite sous l'évier"),
            "status": Var(CHOICE, "The new status", "resolved", choices=TICKET_STATUSES),
            "property_name": Var(STR, "The dwelling", "Résidence Fidjrossè, B2"),
        },
        defaults={
            Channel.SMS: {
                "fr": Text('Hokwe: votre demande "{{ title }}" ({{ property_name }}) est {{ status }}.'),
                "en": Text('Hokwe: your request "{{ title }}" ({{ property_name }}) is {{ status }}.'),
            },
            Channel.PUSH: {
                "fr": Text("« {{ title }} » : {{ status }}.", subject="Suivi de votre demande"),
                "en": Text("“{{ title }}”: {{ status }}.", subject="Your maintenance request"),
            },
            Channel.INAPP: {
                "fr": Text(
                    "Votre demande « {{ title }} » ({{ property_name }}) est {{ status }}.",
                    subject="Suivi de votre demande",
                ),
                "en": Text(
                    "Your request “{{ title }}” ({{ property_name }}) is {{ status }}.",
                    subject="Your maintenance request",
                ),
            },
        },
    )
)
