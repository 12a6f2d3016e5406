"""PUBLIC: values crossing the notifications boundary (stdlib only).

Other modules call `apps.notifications.api.send(...)` with a `TemplateKey`, a context of
JSON values and optionally `channels`, a `Priority` and an idempotency key, and get back a
`SendResult`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Channel(StrEnum):
    SMS = "sms"
    EMAIL = "email"
    PUSH = "push"
    INAPP = "inapp"


class Priority(StrEnum):
    """Each priority has its own Celery queue: OTP codes are never stuck behind a bulk run."""

    OTP = "otp"
    TRANSACTIONAL = "transactional"
    BULK = "bulk"


class Category(StrEnum):
    """What a message is about; users choose channels per category (security is mandatory)."""

    SECURITY = "security"
    ACCOUNT = "account"
    RENT = "rent"
    PAYMENTS = "payments"
    SAVINGS = "savings"
    MARKETING = "marketing"


# --- templates: each module declares its own in apps/<m>/messages.py -----------------------
# Variable types of a template's context, checked at send time.
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


class TemplateKey(StrEnum):
    """The keys of the messages notifications itself defines, for the modules below it
    (identity, kyc). Higher modules declare theirs in their own messages.py."""

    OTP = "identity.otp"
    INVITATION = "identity.invitation"
    WELCOME = "identity.welcome"
    SECURITY_NOTICE = "identity.security_notice"  # phone changed / new device: payouts held
    KYC_APPROVED = "kyc.approved"  # vérification d'identité validée
    KYC_REJECTED = "kyc.rejected"  # vérification refusée, avec le motif


class Outcome(StrEnum):
    QUEUED = "queued"  # will be delivered by a worker (possibly after quiet hours)
    DELIVERED = "delivered"  # in-app: already in the inbox
    DUPLICATE = "duplicate"  # same idempotency key, channel and recipient: not sent again
    SUPPRESSED = "suppressed"  # the recipient's preferences exclude this channel
    UNAVAILABLE = "unavailable"  # no address for this channel (no e-mail, no device, no account)


@dataclass(frozen=True)
class ChannelOutcome:
    channel: Channel
    outcome: Outcome
    message_id: str | None = None  # public id of the message, when one exists
    deferred_until: str | None = None  # ISO datetime (UTC) when held back by quiet hours


@dataclass(frozen=True)
class SendResult:
    template_key: str
    recipient: str  # the user's public id, or the normalised phone / e-mail address
    outcomes: tuple[ChannelOutcome, ...] = field(default_factory=tuple)

    def outcome(self, channel: Channel | str) -> ChannelOutcome | None:
        return next((o for o in self.outcomes if o.channel == channel), None)


@dataclass(frozen=True)
class SendRequest:
    """One item of `api.send_many` (bulk sends, e.g. the monthly rent notices)."""

    recipient: str
    template_key: str
    context: dict
    channels: tuple[str, ...] | None = None
    priority: str | None = None
    idempotency_key: str = ""
    language: str | None = None
    organization: str | None = None  # the sending organization's public id (usage billing)
