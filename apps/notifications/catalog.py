"""The template catalogue: every key the modules send, its variables and its default texts.

Each key declares a variable schema (checked at send time: a missing, unknown or malformed
variable refuses the send, so no half-rendered SMS ever leaves) and ships default texts
per channel and language. Staff override a text in the admin (a new `Template` version);
the default here is used while no override is active.

Texts use `{{ variable }}` placeholders and nothing else: no logic, no attribute access,
so a text edited in the back-office can neither break nor leak anything.
SMS defaults are written in the GSM-7 alphabet (é è à ù are in it; ê ç ’ are not) so
they cost one segment; the admin warns when an edit leaves it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .contracts import Category, Channel, Priority, TemplateKey

STR, INT, MONEY, DATE, DATETIME, URL, CHOICE = "str", "int", "money", "date", "datetime", "url", "choice"


@dataclass(frozen=True)
class Var:
    type: str
    description: str
    example: object
    required: bool = True
    secret: bool = False  # never stored: the message log keeps a masked body
    choices: dict | None = None  # CHOICE: value -> translated label


@dataclass(frozen=True)
class Text:
    body: str
    subject: str = ""  # e-mail subject, push / in-app title


@dataclass(frozen=True)
class TemplateDef:
    key: str
    description: str
    category: Category
    priority: Priority
    channels: tuple[Channel, ...]
    variables: dict[str, Var]
    defaults: dict[Channel, dict[str, Text]]  # channel -> language -> text
    urgent: bool = False  # urgent SMS / push ignore quiet hours
    action_url: str = ""  # the variable used as the deep link of push and in-app messages
    secret_variables: frozenset[str] = field(init=False)

    def __post_init__(self):
        object.__setattr__(
            self, "secret_variables", frozenset(n for n, v in self.variables.items() if v.secret)
        )

    def example_context(self) -> dict:
        return {name: var.example for name, var in self.variables.items()}


# identity's OtpPurpose values (and a few more), worded for the SMS.
OTP_PURPOSES = {
    "login": _("to sign in"),
    "register": _("to create your account"),
    "invitation": _("to accept your invitation"),
    "step_up": _("to confirm this operation"),
    "password_reset": _("to reset your password"),
    "phone_change": _("to confirm your new number"),
    "other": _("to confirm it is you"),
}

_AMOUNT = Var(MONEY, "Amount, {amount, currency} in minor units", {"amount": 75000, "currency": "XOF"})
_PAY_URL = Var(URL, "Link to the payment page (/pay/…)", "https://hokwe.com/pay/K7Q2M")

CATALOG: dict[str, TemplateDef] = {}


def _define(template: TemplateDef) -> None:
    CATALOG[template.key] = template


_define(
    TemplateDef(
        key=TemplateKey.OTP,
        description="One-time code to sign in or confirm a sensitive operation (identity).",
        category=Category.SECURITY,
        priority=Priority.OTP,
        channels=(Channel.SMS,),
        urgent=True,
        variables={
            "code": Var(STR, "The one-time code (secret: masked in the log)", "482913", secret=True),
            "purpose": Var(CHOICE, "Why the code is asked", "login", choices=OTP_PURPOSES),
            "minutes": Var(INT, "Validity in minutes", 10),
        },
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: votre code {{ code }} {{ purpose }}. Valable {{ minutes }} min. Ne le communiquez à personne."
                ),
                "en": Text(
                    "Hokwe: your code {{ code }} {{ purpose }}. Valid {{ minutes }} min. Never share it."
                ),
            },
            Channel.EMAIL: {
                "fr": Text(
                    "Votre code de vérification est {{ code }}, {{ purpose }}.\n\n"
                    "Il est valable {{ minutes }} minutes. Hokwe ne vous le demandera jamais.",
                    subject="Votre code Hokwe",
                ),
                "en": Text(
                    "Your verification code is {{ code }}, {{ purpose }}.\n\n"
                    "It is valid for {{ minutes }} minutes. Hokwe will never ask you for it.",
                    subject="Your Hokwe code",
                ),
            },
        },
    )
)

_define(
    TemplateDef(
        key=TemplateKey.INVITATION,
        description="Someone invites a person to join an organization (agency, owner, merchant).",
        category=Category.ACCOUNT,
        priority=Priority.TRANSACTIONAL,
        channels=(Channel.SMS, Channel.EMAIL, Channel.INAPP),
        variables={
            "inviter_name": Var(STR, "Who invites", "Rosine Agossou"),
            "organization_name": Var(STR, "The organization", "Agence Les Cocotiers"),
            "role": Var(STR, "The role offered, already translated", "gestionnaire"),
            "url": Var(
                URL,
                "Link to accept the invitation (secret: masked in the log)",
                "https://hokwe.com/invite/3YB7",
                secret=True,
            ),
        },
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "{{ inviter_name }} vous invite à rejoindre {{ organization_name }} sur Hokwe ({{ role }}). Acceptez ici: {{ url }}"
                ),
                "en": Text(
                    "{{ inviter_name }} invites you to join {{ organization_name }} on Hokwe ({{ role }}). Accept here: {{ url }}"
                ),
            },
            Channel.EMAIL: {
                "fr": Text(
                    "Bonjour,\n\n{{ inviter_name }} vous invite à rejoindre {{ organization_name }} "
                    "sur Hokwe en tant que {{ role }}.\n\nPour accepter l'invitation : {{ url }}",
                    subject="Invitation à rejoindre {{ organization_name }}",
                ),
                "en": Text(
                    "Hello,\n\n{{ inviter_name }} invites you to join {{ organization_name }} "
                    "on Hokwe as {{ role }}.\n\nTo accept the invitation: {{ url }}",
                    subject="Invitation to join {{ organization_name }}",
                ),
            },
            Channel.INAPP: {
                "fr": Text(
                    "{{ inviter_name }} vous invite à rejoindre {{ organization_name }} ({{ role }}).",
                    subject="Nouvelle invitation",
                ),
                "en": Text(
                    "{{ inviter_name }} invites you to join {{ organization_name }} ({{ role }}).",
                    subject="New invitation",
                ),
            },
        },
    )
)

_define(
    TemplateDef(
        key=TemplateKey.WELCOME,
        description="A new account was created (identity.UserRegistered).",
        category=Category.ACCOUNT,
        priority=Priority.TRANSACTIONAL,
        channels=(Channel.INAPP,),
        variables={},
        defaults={
            Channel.INAPP: {
                "fr": Text(
                    "Bienvenue sur Hokwe ! Payez votre loyer, suivez vos reçus et épargnez depuis l'application.",
                    subject="Bienvenue sur Hokwe",
                ),
                "en": Text(
                    "Welcome to Hokwe! Pay your rent, keep your receipts and save from the app.",
                    subject="Welcome to Hokwe",
                ),
            },
            Channel.EMAIL: {
                "fr": Text(
                    "Bonjour,\n\nVotre compte Hokwe est prêt. Payez votre loyer, suivez vos reçus et épargnez depuis l'application.",
                    subject="Bienvenue sur Hokwe",
                ),
                "en": Text(
                    "Hello,\n\nYour Hokwe account is ready. Pay your rent, keep your receipts and save from the app.",
                    subject="Welcome to Hokwe",
                ),
            },
        },
    )
)

_define(
    TemplateDef(
        key=TemplateKey.KYC_APPROVED,
        description="An identity (KYC) or business (KYB) verification was approved (kyc.KycSubmissionDecided).",
        category=Category.ACCOUNT,
        priority=Priority.TRANSACTIONAL,
        channels=(Channel.SMS, Channel.INAPP),
        variables={},
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: votre vérification est validée. Vos plafonds de paiement ont été relevés."
                ),
                "en": Text("Hokwe: your verification is approved. Your payment limits have been raised."),
            },
            Channel.INAPP: {
                "fr": Text(
                    "Votre vérification est validée. Vos plafonds de paiement ont été relevés.",
                    subject="Vérification validée",
                ),
                "en": Text(
                    "Your verification is approved. Your payment limits have been raised.",
                    subject="Verification approved",
                ),
            },
        },
    )
)

_define(
    TemplateDef(
        key=TemplateKey.KYC_REJECTED,
        description="A verification was rejected; `reason` is the translated reason (kyc.KycSubmissionDecided).",
        category=Category.ACCOUNT,
        priority=Priority.TRANSACTIONAL,
        channels=(Channel.SMS, Channel.INAPP),
        variables={
            "reason": Var(STR, "Why it was rejected, in the recipient's language", "The document is blurred.")
        },
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: votre vérification n'a pas abouti. {{ reason }} Reprenez-la dans l'application."
                ),
                "en": Text(
                    "Hokwe: your verification was not approved. {{ reason }} Please redo it in the app."
                ),
            },
            Channel.INAPP: {
                "fr": Text(
                    "Votre vérification n'a pas abouti. {{ reason }} Reprenez-la dans l'application.",
                    subject="Vérification à reprendre",
                ),
                "en": Text(
                    "Your verification was not approved. {{ reason }} Please redo it in the app.",
                    subject="Verification to redo",
                ),
            },
        },
    )
)

_define(
    TemplateDef(
        key=TemplateKey.RENT_NOTICE,
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

_define(
    TemplateDef(
        key=TemplateKey.RENT_REMINDER,
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

_PORTAL_URL = Var(URL, "Link to the debtor portal (/recover/…)", "https://hokwe.com/recover/K7Q2M")

_define(
    TemplateDef(
        key=TemplateKey.RECOVERY_REMINDER,
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

_define(
    TemplateDef(
        key=TemplateKey.RECOVERY_FORMAL_NOTICE,
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

_define(
    TemplateDef(
        key=TemplateKey.RECOVERY_PLAN,
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

_define(
    TemplateDef(
        key=TemplateKey.PAYMENT_RECEIPT,
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

_define(
    TemplateDef(
        key=TemplateKey.PAYOUT_CONFIRMATION,
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

_define(
    TemplateDef(
        key=TemplateKey.TONTINE_TURN,
        description="A member's turn to receive the pot of a tontine (Cotis'Hokwe, wallet).",
        category=Category.SAVINGS,
        priority=Priority.TRANSACTIONAL,
        channels=(Channel.SMS, Channel.PUSH, Channel.INAPP),
        variables={
            "member_name": Var(STR, "The member whose turn it is", "Estelle Kpadonou"),
            "tontine_name": Var(STR, "The tontine", "Tontine des Cocotiers"),
            "amount": Var(MONEY, "The pot", {"amount": 240000, "currency": "XOF"}),
            "turn_date": Var(DATE, "Date of the turn (YYYY-MM-DD)", "2026-04-01"),
        },
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: {{ tontine_name }}, c'est le tour de {{ member_name }} le {{ turn_date }}: cagnotte de {{ amount }}."
                ),
                "en": Text(
                    "Hokwe: {{ tontine_name }}, it is {{ member_name }}'s turn on {{ turn_date }}: pot of {{ amount }}."
                ),
            },
            Channel.PUSH: {
                "fr": Text(
                    "Tour de {{ member_name }} le {{ turn_date }} : {{ amount }}.",
                    subject="{{ tontine_name }}",
                ),
                "en": Text(
                    "{{ member_name }}'s turn on {{ turn_date }}: {{ amount }}.", subject="{{ tontine_name }}"
                ),
            },
            Channel.INAPP: {
                "fr": Text(
                    "C'est le tour de {{ member_name }} le {{ turn_date }} : cagnotte de {{ amount }}.",
                    subject="{{ tontine_name }}",
                ),
                "en": Text(
                    "It is {{ member_name }}'s turn on {{ turn_date }}: pot of {{ amount }}.",
                    subject="{{ tontine_name }}",
                ),
            },
        },
    )
)

_define(
    TemplateDef(
        key=TemplateKey.NEWS,
        description="News and announcements from Hokwe (cms). Marketing: users can opt out.",
        category=Category.MARKETING,
        priority=Priority.BULK,
        channels=(Channel.EMAIL, Channel.PUSH, Channel.INAPP),
        action_url="url",
        variables={
            "title": Var(STR, "Headline", "Payez votre loyer par Moov Money"),
            "summary": Var(STR, "One or two sentences", "Le paiement par Moov Money est disponible."),
            "url": Var(URL, "Link to the article", "https://hokwe.com/news/moov-money"),
        },
        defaults={
            Channel.SMS: {
                "fr": Text("Hokwe: {{ title }}. {{ url }}"),
                "en": Text("Hokwe: {{ title }}. {{ url }}"),
            },
            Channel.EMAIL: {
                "fr": Text("{{ summary }}\n\nLire la suite : {{ url }}", subject="{{ title }}"),
                "en": Text("{{ summary }}\n\nRead more: {{ url }}", subject="{{ title }}"),
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


def get(key: str) -> TemplateDef | None:
    return CATALOG.get(key)
