"""PUBLIC: billing's data shapes (frozen dataclasses and enums other modules may read).
Each part appends its own block; the shapes here are shared by every part: never change
them, add new ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

# --- catalog -------------------------------------------------------------------------------


class ProductKind(StrEnum):
    BASE = "base"  # a plan's product: one per subscription
    ADDON = "addon"  # bought on top of a plan (e-signatures pack, SMS campaigns, …)


class Interval(StrEnum):
    MONTH = "month"
    YEAR = "year"


class VersionStatus(StrEnum):
    DRAFT = "draft"  # editable, not offered
    PUBLISHED = "published"  # offered; immutable once a subscription uses it (`locked_at`)
    RETIRED = "retired"  # no new subscriptions; existing ones keep it


class PriceKind(StrEnum):
    FLAT = "flat"  # a fixed amount per period
    PER_UNIT = "per_unit"  # × a quantity read at period start (units under management, …)
    USAGE = "usage"  # × the metered usage of the period (in arrears)


class TierMode(StrEnum):
    NONE = "none"  # one unit amount for every unit
    GRADUATED = "graduated"  # each tier prices the units inside it (1–10 at a, 11–50 at b, …)
    VOLUME = "volume"  # the tier the total falls in prices every unit


class Aggregation(StrEnum):
    COUNT = "count"  # events
    SUM = "sum"  # of a numeric payload field
    UNIQUE_COUNT = "unique_count"  # distinct values of a payload field


@dataclass(frozen=True)
class Tier:
    """A tier of a tiered price: units up to `up_to` (None: no upper bound), each at
    `unit_amount`, plus `flat_amount` once when the tier is reached (minor units)."""

    up_to: int | None
    unit_amount: int
    flat_amount: int = 0


# --- subscriptions -------------------------------------------------------------------------


class SubscriptionStatus(StrEnum):
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"  # an invoice is unpaid after its due date: the dunning ladder runs
    RESTRICTED = "restricted"  # the grace period ended unpaid: restricted features refused
    PAUSED = "paused"
    CANCELED = "canceled"


LIVE_STATUSES = frozenset(
    {
        SubscriptionStatus.TRIALING,
        SubscriptionStatus.ACTIVE,
        SubscriptionStatus.PAST_DUE,
        SubscriptionStatus.RESTRICTED,
    }
)


class ChangeKind(StrEnum):
    START = "start"
    UPGRADE = "upgrade"  # at once, prorated
    DOWNGRADE = "downgrade"  # at once (prorated) or at the end of the term
    CANCEL = "cancel"  # at the end of the term (or at once by staff)
    PAUSE = "pause"
    RESUME = "resume"
    RENEW = "renew"  # a period rolled over (a trial converted, a term renewed)
    ADDON = "addon"  # an add-on added or removed


class ChangeTiming(StrEnum):
    NOW = "now"
    PERIOD_END = "period_end"


# --- invoices ------------------------------------------------------------------------------


class InvoiceStatus(StrEnum):
    DRAFT = "draft"  # editable; no number
    OPEN = "open"  # finalized: numbered without gaps, immutable, posted to the ledger, due
    PAID = "paid"
    VOID = "void"  # cancelled after finalizing (its credit note reverses it)
    UNCOLLECTIBLE = "uncollectible"  # given up (written off), still payable


class InvoiceKind(StrEnum):
    SUBSCRIPTION = "subscription"  # a period's recurring fees and the last period's usage
    PRORATION = "proration"  # a mid-period plan change's charge
    CREDITS = "credits"  # prepaid credits bought
    ONE_OFF = "one_off"  # staff-made


class LineKind(StrEnum):
    RECURRING = "recurring"
    ADDON = "addon"
    USAGE = "usage"
    PRORATION = "proration"
    DISCOUNT = "discount"  # a coupon (negative amount, before tax)
    CREDITS = "credits"  # prepaid credits bought
    OTHER = "other"


class CreditNoteReason(StrEnum):
    PRORATION = "proration"  # the unused part of a period after a plan change
    CORRECTION = "correction"
    VOID = "void"  # reverses a whole finalized invoice
    GOODWILL = "goodwill"


class PaymentMethodKind(StrEnum):
    MOBILE_MONEY = "mobile_money"  # retried by the dunning ladder on the saved number
    CARD = "card"
    CREDITS = "credits"  # from the prepaid credit wallet first
    MANUAL = "manual"  # bank transfer / cash, marked paid by staff


@dataclass(frozen=True)
class LineSpec:
    """A line to put on an invoice (amount before tax, minor units; `tax_exempt` lines carry
    no TVA: prepaid credits are taxed when used, not when bought)."""

    kind: LineKind
    description: str
    amount: int
    quantity: int = 1
    unit_amount: int | None = None
    period_start: date | None = None
    period_end: date | None = None
    metric: str = ""  # the billable metric code of a usage line
    price: str = ""  # the price public id, when the line comes from one
    tax_exempt: bool = False


@dataclass(frozen=True)
class InvoiceTotals:
    subtotal: int  # sum of lines before discounts, before tax
    discount: int  # sum of discount lines (positive number)
    tax: int  # sum of the lines' TVA
    total: int  # subtotal - discount + tax
    credits_applied: int
    amount_due: int


# --- entitlements --------------------------------------------------------------------------


@dataclass(frozen=True)
class Entitlement:
    """What an organization's plan grants for `feature`: `enabled`, and `limit` (None: no
    limit) for a counted feature such as `estate.units`. `restricted` is True when the
    feature is refused because the account is in dunning restriction."""

    feature: str
    enabled: bool
    limit: int | None = None
    restricted: bool = False
    plan: str = ""


@dataclass(frozen=True)
class UsageLine:
    metric: str
    name: str
    quantity: int
    amount: int  # what the period's usage so far would cost (before tax)
    currency: str


@dataclass(frozen=True)
class SubscriptionInfo:
    public_id: str
    organization: str
    plan: str
    plan_name: str
    version: int
    status: SubscriptionStatus
    currency: str
    current_period_start: date
    current_period_end: date
    trial_ends_on: date | None
    cancel_at_period_end: bool
    usage: list[UsageLine] = field(default_factory=list)
