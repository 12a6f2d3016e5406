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


class TemplateKey(StrEnum):
    """Every message the modules send. docs/notifications.md lists each key's variables."""

    OTP = "identity.otp"
    INVITATION = "identity.invitation"
    WELCOME = "identity.welcome"
    KYC_APPROVED = "kyc.approved"  # vérification d'identité validée
    KYC_REJECTED = "kyc.rejected"  # vérification refusée, avec le motif
    RENT_NOTICE = "estate.rent_notice"  # avis d'échéance
    RENT_REMINDER = "estate.rent_reminder"  # relance de loyer
    RECOVERY_REMINDER = "recovery.reminder"  # relance d'impayé (échelle de relance)
    RECOVERY_FORMAL_NOTICE = "recovery.formal_notice"  # mise en demeure
    RECOVERY_PLAN = "recovery.plan"  # échéancier accepté
    PAYMENT_RECEIPT = "payments.receipt"  # quittance / reçu de paiement
    PAYOUT_CONFIRMATION = "payments.payout_confirmation"  # reversement au bailleur
    TONTINE_TURN = "wallet.tontine_turn"  # tour de tontine
    NEWS = "cms.news"


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
