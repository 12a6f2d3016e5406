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

from django.utils.translation import gettext_lazy as _

from .contracts import (
    CHOICE,
    DATETIME,
    INT,
    STR,
    URL,
    Category,
    Channel,
    Priority,
    TemplateDef,
    TemplateKey,
    Text,
    Var,
)

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

SECURITY_EVENTS = {
    "phone_changed": _("the phone number of your account was changed"),
    "new_device": _("your account was opened on a new device"),
}


CATALOG: dict[str, TemplateDef] = {}


def register(*templates: TemplateDef) -> None:
    """Add templates to the catalogue (each module's messages.py, at start-up). A key is
    registered once: two definitions of one key are a programming error."""
    for template in templates:
        if not isinstance(template, TemplateDef):
            raise TypeError(f"not a TemplateDef: {template!r}")
        existing = CATALOG.get(template.key)
        if existing is not None and existing != template:
            raise ValueError(f"notification template {template.key!r} is registered twice")
        CATALOG[template.key] = template


_define = register


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
        key=TemplateKey.SECURITY_NOTICE,
        description=(
            "The account's phone number was changed (sent to the OLD number and the e-mail) or it was "
            "opened on a new device: payouts and payout-account changes are held (identity, SIM-swap "
            "protection)."
        ),
        category=Category.SECURITY,
        priority=Priority.OTP,
        channels=(Channel.SMS, Channel.EMAIL),
        urgent=True,
        variables={
            "event": Var(CHOICE, "What happened", "phone_changed", choices=SECURITY_EVENTS),
            "until": Var(DATETIME, "Until when money actions are held", "2026-12-05T10:00:00+00:00"),
        },
        defaults={
            Channel.SMS: {
                "fr": Text(
                    "Hokwe: {{ event }}. Par sécurité, versements et comptes de versement sont bloqués "
                    "jusqu'au {{ until }}. Pas vous ? Appelez Hokwe."
                ),
                "en": Text(
                    "Hokwe: {{ event }}. For your safety, payouts and payout accounts are held until "
                    "{{ until }}. Not you? Call Hokwe."
                ),
            },
            Channel.EMAIL: {
                "fr": Text(
                    "Bonjour,\n\nHokwe : {{ event }}.\n\nPar sécurité, les versements et les changements "
                    "de compte de versement sont bloqués jusqu'au {{ until }}.\n\nCe n'est pas vous ? "
                    "Appelez le support Hokwe tout de suite.",
                    subject="Hokwe : sécurité de votre compte",
                ),
                "en": Text(
                    "Hello,\n\nHokwe: {{ event }}.\n\nFor your safety, payouts and payout-account changes "
                    "are held until {{ until }}.\n\nNot you? Call Hokwe support now.",
                    subject="Hokwe: security of your account",
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


def get(key: str) -> TemplateDef | None:
    return CATALOG.get(key)
