"""The messages billing sends (notification templates, French and English), registered
with notifications at start-up: `register_templates(TemplateDef(key="billing.…", …))`.

SMS texts stay within GSM-7 (no ê, â, ç, ô: « etre », « regler ») and two segments;
tests/notifications/test_rendering.py checks every registered template."""

# --- dunning ---
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

BILLING_INVOICE = "billing.invoice_finalized"
BILLING_PAYMENT_FAILED = "billing.payment_failed"
BILLING_REMINDER = "billing.reminder"
BILLING_RESTRICTED = "billing.account_restricted"
BILLING_RESTORED = "billing.account_restored"
BILLING_TRIAL_ENDING = "billing.trial_ending"

_NUMBER = Var(STR, "The invoice's number", "FA-BJ-2026-000042")
_AMOUNT = Var(MONEY, "What the invoice still owes", {"amount": 17_700, "currency": "XOF"})
_PAY_URL = Var(URL, "The invoice's pay link", "https://hokwe.com/pay/Xk3p9Q")
_DUE = Var(DATE, "The invoice's due date (YYYY-MM-DD)", "2026-03-05")
_CHANNELS = (Channel.SMS, Channel.EMAIL, Channel.INAPP)

register_templates(
    TemplateDef(
        key=BILLING_INVOICE,
        description="Hokwe's invoice to a customer was finalized: amount, due date, pay link (billing).",
        category=Category.PAYMENTS,
        priority=Priority.TRANSACTIONAL,
        channels=_CHANNELS,
        action_url="pay_url",
        variables={"number": _NUMBER, "amount": _AMOUNT, "due_date": _DUE, "pay_url": _PAY_URL},
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: votre facture {{ number }} de {{ amount }} est à payer avant le "
                    "{{ due_date }}. Payer: {{ pay_url }}"
                ),
                "en": Text(
                    "Hokwe: your invoice {{ number }} of {{ amount }} is due by {{ due_date }}. "
                    "Pay: {{ pay_url }}"
                ),
            },
            Channel.EMAIL: {
                "fr": Text(
                    "Bonjour,\n\nVotre facture Hokwe {{ number }} d'un montant de {{ amount }} TTC "
                    "est disponible. Elle est à régler avant le {{ due_date }}.\n\n"
                    "Payer en ligne (mobile money ou carte) : {{ pay_url }}\n\n"
                    "La facture en PDF est sur votre page Facturation.",
                    subject="Facture Hokwe {{ number }} - {{ amount }}",
                ),
                "en": Text(
                    "Hello,\n\nYour Hokwe invoice {{ number }} for {{ amount }} including tax is "
                    "available. It is due by {{ due_date }}.\n\n"
                    "Pay online (mobile money or card): {{ pay_url }}\n\n"
                    "The PDF invoice is on your Billing page.",
                    subject="Hokwe invoice {{ number }} - {{ amount }}",
                ),
            },
            Channel.INAPP: {
                "fr": Text(
                    "Facture {{ number }} : {{ amount }} à régler avant le {{ due_date }}.",
                    subject="Nouvelle facture",
                ),
                "en": Text(
                    "Invoice {{ number }}: {{ amount }} due by {{ due_date }}.", subject="New invoice"
                ),
            },
        },
    ),
    TemplateDef(
        key=BILLING_PAYMENT_FAILED,
        description="A payment of Hokwe's invoice failed (declined, insufficient funds): pay link (billing).",
        category=Category.PAYMENTS,
        priority=Priority.TRANSACTIONAL,
        channels=_CHANNELS,
        action_url="pay_url",
        variables={"number": _NUMBER, "amount": _AMOUNT, "pay_url": _PAY_URL},
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: le paiement de votre facture {{ number }} ({{ amount }}) a échoué. "
                    "Réessayez: {{ pay_url }}"
                ),
                "en": Text(
                    "Hokwe: the payment of your invoice {{ number }} ({{ amount }}) failed. "
                    "Try again: {{ pay_url }}"
                ),
            },
            Channel.EMAIL: {
                "fr": Text(
                    "Bonjour,\n\nLe paiement de votre facture Hokwe {{ number }} ({{ amount }}) "
                    "n'a pas abouti : il a été refusé ou le solde était insuffisant.\n\n"
                    "Vous pouvez la payer ici : {{ pay_url }}",
                    subject="Paiement refusé - facture {{ number }}",
                ),
                "en": Text(
                    "Hello,\n\nThe payment of your Hokwe invoice {{ number }} ({{ amount }}) did "
                    "not go through: it was declined or the balance was too low.\n\n"
                    "You can pay it here: {{ pay_url }}",
                    subject="Payment declined - invoice {{ number }}",
                ),
            },
            Channel.INAPP: {
                "fr": Text(
                    "Le paiement de la facture {{ number }} ({{ amount }}) a échoué.",
                    subject="Paiement refusé",
                ),
                "en": Text(
                    "The payment of invoice {{ number }} ({{ amount }}) failed.", subject="Payment declined"
                ),
            },
        },
    ),
    TemplateDef(
        key=BILLING_REMINDER,
        description=(
            "A reminder of an overdue Hokwe invoice (dunning ladder, e.g. D+1, D+3, D+7), with the "
            "day restricted features stop (billing)."
        ),
        category=Category.PAYMENTS,
        priority=Priority.TRANSACTIONAL,
        channels=_CHANNELS,
        action_url="pay_url",
        variables={
            "number": _NUMBER,
            "amount": _AMOUNT,
            "days_late": Var(INT, "Days since the due date", 3),
            "due_date": _DUE,
            "restrict_on": Var(DATE, "The day restricted features stop if unpaid", "2026-03-19"),
            "pay_url": _PAY_URL,
        },
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: votre facture {{ number }} de {{ amount }} est en retard de {{ days_late }} j. "
                    "Sans paiement, des fonctions seront limitées le {{ restrict_on }}. "
                    "Payer: {{ pay_url }}"
                ),
                "en": Text(
                    "Hokwe: your invoice {{ number }} of {{ amount }} is {{ days_late }} days late. "
                    "Unpaid, some features stop on {{ restrict_on }}. Pay: {{ pay_url }}"
                ),
            },
            Channel.EMAIL: {
                "fr": Text(
                    "Bonjour,\n\nVotre facture Hokwe {{ number }} de {{ amount }}, échue le "
                    "{{ due_date }}, n'est pas encore payée ({{ days_late }} jours de retard).\n\n"
                    "Payer en ligne : {{ pay_url }}\n\n"
                    "Sans paiement, la création de nouveaux baux et les campagnes SMS seront "
                    "suspendues le {{ restrict_on }}. L'encaissement des loyers de vos locataires, "
                    "l'accès à vos données et les exports ne sont jamais suspendus.",
                    subject="Rappel : facture {{ number }} en retard",
                ),
                "en": Text(
                    "Hello,\n\nYour Hokwe invoice {{ number }} of {{ amount }}, due on "
                    "{{ due_date }}, is not paid yet ({{ days_late }} days late).\n\n"
                    "Pay online: {{ pay_url }}\n\n"
                    "If it stays unpaid, new leases and SMS campaigns will be suspended on "
                    "{{ restrict_on }}. Your tenants' rent collection, access to your data and "
                    "exports are never suspended.",
                    subject="Reminder: invoice {{ number }} overdue",
                ),
            },
            Channel.INAPP: {
                "fr": Text(
                    "Facture {{ number }} en retard de {{ days_late }} jours : {{ amount }}.",
                    subject="Facture en retard",
                ),
                "en": Text(
                    "Invoice {{ number }} is {{ days_late }} days late: {{ amount }}.",
                    subject="Invoice overdue",
                ),
            },
        },
    ),
    TemplateDef(
        key=BILLING_RESTRICTED,
        description=(
            "The dunning grace period ended unpaid: restricted features are suspended, never rent "
            "collection, data or exports (billing)."
        ),
        category=Category.ACCOUNT,
        priority=Priority.TRANSACTIONAL,
        channels=_CHANNELS,
        action_url="pay_url",
        variables={"number": _NUMBER, "amount": _AMOUNT, "pay_url": _PAY_URL},
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: facture {{ number }} impayée ({{ amount }}). Nouveaux baux et campagnes SMS "
                    "suspendus; vos loyers sont toujours encaissés. Payer: {{ pay_url }}"
                ),
                "en": Text(
                    "Hokwe: invoice {{ number }} unpaid ({{ amount }}). New leases and SMS campaigns are "
                    "suspended; rents are still collected. Pay: {{ pay_url }}"
                ),
            },
            Channel.EMAIL: {
                "fr": Text(
                    "Bonjour,\n\nVotre facture Hokwe {{ number }} ({{ amount }}) reste impayée après "
                    "le délai de grâce. La création de nouveaux baux et les campagnes SMS sont "
                    "suspendues.\n\nVos locataires peuvent toujours payer leur loyer, et vos données "
                    "et exports restent accessibles.\n\nTout est rétabli dès le paiement : {{ pay_url }}",
                    subject="Compte limité - facture {{ number }} impayée",
                ),
                "en": Text(
                    "Hello,\n\nYour Hokwe invoice {{ number }} ({{ amount }}) is still unpaid after "
                    "the grace period. New leases and SMS campaigns are suspended.\n\nYour tenants "
                    "can still pay their rent, and your data and exports stay available.\n\n"
                    "Everything is restored as soon as it is paid: {{ pay_url }}",
                    subject="Account restricted - invoice {{ number }} unpaid",
                ),
            },
            Channel.INAPP: {
                "fr": Text(
                    "Facture {{ number }} impayée : nouveaux baux et campagnes SMS suspendus.",
                    subject="Compte limité",
                ),
                "en": Text(
                    "Invoice {{ number }} unpaid: new leases and SMS campaigns are suspended.",
                    subject="Account restricted",
                ),
            },
        },
    ),
    TemplateDef(
        key=BILLING_RESTORED,
        description="The overdue invoice was paid: the restricted features are back (billing).",
        category=Category.ACCOUNT,
        priority=Priority.TRANSACTIONAL,
        channels=_CHANNELS,
        variables={"organization": Var(STR, "The organization's name", "Agence Fidjrossè Immo")},
        defaults={
            Channel.SMS: {
                "fr": Text("Hokwe: merci pour votre paiement. Le compte {{ organization }} est rétabli."),
                "en": Text("Hokwe: thank you, your payment was received. {{ organization }} is restored."),
            },
            Channel.EMAIL: {
                "fr": Text(
                    "Bonjour,\n\nMerci, votre paiement est bien reçu. Toutes les fonctions du compte "
                    "{{ organization }} sont rétablies.",
                    subject="Compte rétabli",
                ),
                "en": Text(
                    "Hello,\n\nThank you, your payment was received. Every feature of "
                    "{{ organization }} is back.",
                    subject="Account restored",
                ),
            },
            Channel.INAPP: {
                "fr": Text("Paiement reçu : toutes les fonctions sont rétablies.", subject="Compte rétabli"),
                "en": Text("Payment received: every feature is back.", subject="Account restored"),
            },
        },
    ),
    TemplateDef(
        key=BILLING_TRIAL_ENDING,
        description="A trial ends in a few days; the plan's first invoice follows (billing).",
        category=Category.ACCOUNT,
        priority=Priority.TRANSACTIONAL,
        channels=_CHANNELS,
        variables={
            "plan_name": Var(STR, "The plan's name", "Agence"),
            "ends_on": Var(DATE, "The trial's last day (YYYY-MM-DD)", "2026-03-05"),
        },
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: votre essai du forfait {{ plan_name }} se termine le {{ ends_on }}. "
                    "Votre première facture suivra."
                ),
                "en": Text(
                    "Hokwe: your {{ plan_name }} trial ends on {{ ends_on }}. Your first invoice will follow."
                ),
            },
            Channel.EMAIL: {
                "fr": Text(
                    "Bonjour,\n\nVotre période d'essai du forfait {{ plan_name }} se termine le "
                    "{{ ends_on }}. Votre abonnement continue ensuite : la première facture vous "
                    "sera envoyée avec son lien de paiement. Vous pouvez changer de forfait ou "
                    "résilier depuis votre page Facturation.",
                    subject="Votre essai se termine le {{ ends_on }}",
                ),
                "en": Text(
                    "Hello,\n\nYour {{ plan_name }} trial ends on {{ ends_on }}. Your subscription "
                    "then goes on: the first invoice will be sent with its pay link. You can change "
                    "plan or cancel from your Billing page.",
                    subject="Your trial ends on {{ ends_on }}",
                ),
            },
            Channel.INAPP: {
                "fr": Text(
                    "Votre essai du forfait {{ plan_name }} se termine le {{ ends_on }}.",
                    subject="Fin de l'essai",
                ),
                "en": Text("Your {{ plan_name }} trial ends on {{ ends_on }}.", subject="Trial ending"),
            },
        },
    ),
)
