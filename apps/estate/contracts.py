"""PUBLIC: values crossing the estate boundary (stdlib only).

Higher modules (recovery, market, scoring) receive these frozen dataclasses from
apps.estate.api, never model instances. Amounts are `int` minor units with an ISO 4217
currency; ids are public UUIDs; periods are the first day of the month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID


class UnitKind(StrEnum):
    ENTRER_COUCHER = "entrer_coucher"  # a single room ("entrer-coucher")
    ROOM_LIVING = "chambre_salon"  # a room and a living room
    STUDIO = "studio"
    APARTMENT = "apartment"
    VILLA = "villa"
    SHOP = "shop"
    OFFICE = "office"


class UnitStatus(StrEnum):
    VACANT = "vacant"
    OCCUPIED = "occupied"
    UNDER_WORKS = "under_works"


class LeaseStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"
    CANCELED = "canceled"


class LateFeePolicy(StrEnum):
    NONE = "none"
    FLAT = "flat"  # a fixed amount once the grace days are over
    PERCENT = "percent"  # basis points of the due, once
    PER_DAY = "per_day"  # a fixed amount per day late


class DueStatus(StrEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    WRITTEN_OFF = "written_off"


OPEN_DUE_STATUSES = frozenset(
    {DueStatus.UPCOMING, DueStatus.DUE, DueStatus.PARTIALLY_PAID, DueStatus.OVERDUE}
)


class DueKind(StrEnum):
    RENT = "rent"  # a month's rent and charges
    OPENING = "opening"  # an imported lease's arrears at import
    DEPOSIT = "deposit"  # the move-in deposit (caution): held for the tenant
    FEE = "fee"  # the agency fee at signing: all the agency's


MOVE_IN_KINDS = frozenset({DueKind.DEPOSIT, DueKind.FEE})


class FirstPeriodRule(StrEnum):
    """What a lease starting after the 1st is billed for its first month."""

    PRORATA = "prorata"  # rent and charges x days occupied / days in the month
    FULL = "full"  # a full month
    NEXT = "next"  # nothing: billing starts the next month


class AdjustmentKind(StrEnum):
    DISCOUNT = "discount"
    LATE_FEE = "late_fee"
    CHARGE = "charge"


class PaymentMethod(StrEnum):
    MOBILE_MONEY = "mobile_money"
    CARD = "card"
    WALLET = "wallet"
    CASH = "cash"
    BANK_TRANSFER = "bank_transfer"
    IMPORT = "import"  # collected before the agency used Hokwe (onboarding import)
    DEPOSIT = "deposit"  # taken from the deposit at move-out
    MOMO_DIRECT = "momo_direct"  # a MoMo transfer to the agency's own merchant number (statement import)


# Value lists for the OpenAPI enum names (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
UNIT_KIND_VALUES = tuple(k.value for k in UnitKind)
UNIT_STATUS_VALUES = tuple(s.value for s in UnitStatus)
DUE_STATUS_VALUES = tuple(s.value for s in DueStatus)
ADJUSTMENT_KIND_VALUES = tuple(k.value for k in AdjustmentKind)
TICKET_STATUSES = ("open", "assigned", "in_progress", "resolved", "closed", "canceled")
DEDUCTION_KINDS = ("rent", "damage", "other")
# statement import (issue 16): a statement line's status, the engine's outcome
STATEMENT_LINE_STATUSES = ("matched", "review", "unmatched", "confirmed", "ignored")
STATEMENT_OUTCOMES = ("auto", "review", "none")


class PayoutFrequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


@dataclass(frozen=True)
class DueInfo:
    public_id: UUID
    lease: UUID
    period: date
    due_date: date
    status: DueStatus
    total: int
    paid: int
    currency: str

    @property
    def outstanding(self) -> int:
        return max(self.total - self.paid, 0)


@dataclass(frozen=True)
class LeaseInfo:
    public_id: UUID
    reference: str
    organization: UUID  # the managing organization (agency, or the owner managing alone)
    owner: UUID  # the owner organization
    unit: UUID
    tenants: tuple[UUID, ...]  # user public ids
    start_date: date
    end_date: date | None
    status: LeaseStatus
    rent: int
    charges: int
    currency: str
    credit: int  # tenant credit (overpayments not yet used)


AGING_BUCKETS = ("current", "d1_30", "d31_60", "d61_90", "d90_plus")


@dataclass(frozen=True)
class ArrearsRow:
    """What one lease owes, by age of its open dues (days past the due date): `current` is
    not yet past due, then 1–30, 31–60, 61–90 and over 90 days. `outstanding` is the sum.
    The rest locates the debt (for aging by tenant, unit, property, owner, organization)."""

    lease: UUID
    lease_reference: str
    lease_status: LeaseStatus
    lease_end_date: date | None
    organization: UUID
    owner: UUID
    property: UUID
    property_name: str
    unit: UUID
    unit_label: str
    city: str
    neighbourhood: str
    latitude: str  # decimal degrees as text ("" when unknown): no float crosses the boundary
    longitude: str
    tenant: UUID | None  # the primary tenant (a user public id)
    tenant_name: str
    tenant_phone: str
    currency: str
    current: int
    d1_30: int
    d31_60: int
    d61_90: int
    d90_plus: int
    overdue_dues: int  # open dues past their due date
    oldest_overdue: date | None  # due date of the oldest open due past its due date
    credit: int
    deposit_held: int

    @property
    def outstanding(self) -> int:
        return self.current + self.d1_30 + self.d31_60 + self.d61_90 + self.d90_plus

    @property
    def overdue(self) -> int:
        return self.outstanding - self.current


@dataclass(frozen=True)
class PaymentInfo:
    """A payment applied to a lease's dues (estate's RentPayment)."""

    public_id: UUID
    lease: UUID
    amount: int
    currency: str
    method: str
    received_on: date
    receipt_number: str
    intent: UUID | None
    to_credit: int


@dataclass(frozen=True)
class DueReminder:
    """An open due about to fall due (courtesy reminders before the due date)."""

    due: UUID
    lease: UUID
    organization: UUID
    due_date: date
    outstanding: int
    currency: str
    tenant: UUID | None
    tenant_name: str
    tenant_phone: str
    property_name: str
    pay_url: str


# --- market (HokweMarket): vacant units to publish, a unit's facts for its listing ---


@dataclass(frozen=True)
class VacantUnit:
    """A vacant unit of an organization (the « publish a vacant unit » list)."""

    unit: UUID
    property: UUID
    organization_id: int  # internal id (the caller scopes by its organizations' ids)
    property_name: str
    label: str
    kind: str
    rooms: int
    rent: int  # the unit's market rent, or its last lease's (0: none known)
    currency: str
    city: str
    neighbourhood: str


@dataclass(frozen=True)
class UnitListingFacts:
    """What a listing of a unit under management takes from estate: the real figures."""

    unit: UUID
    property: UUID
    organization_id: int
    property_name: str
    label: str
    kind: str
    rooms: int
    surface_m2: int | None
    furnished: bool
    own_meter: bool  # an electricity meter of its own
    status: str  # UnitStatus value
    rent: int  # the unit's market rent, or its last lease's
    charges: int  # its last lease's (0 without one)
    currency: str
    deposit_months: int  # its last lease's (0 without one)
    advance_months: int
    country: str
    city: str
    neighbourhood: str
    address: str
    latitude: float | None
    longitude: float | None
    description: str
    photos: tuple[str, ...] = ()  # storage names of the property's photos


@dataclass(frozen=True)
class MaintenanceTicketSummary:
    """A maintenance ticket as market's quote requests read it (api.maintenance_ticket_summary)."""

    public_id: UUID
    organization_id: int  # internal id
    title: str
    description: str
    status: str
    city: str
    neighbourhood: str
    unit_label: str


# --- analytics' reports (HokweReporting): row-level reads, scoped by organization ---


@dataclass(frozen=True)
class ReportProperty:
    """A property an organization manages, with its owner (the reports' filters)."""

    public_id: UUID
    name: str
    owner: UUID  # the owner organization's public id
    owner_name: str
    city: str


@dataclass(frozen=True)
class RentRollRow:
    """One lease in force on the rent roll's date: its unit, tenant, terms and what is owed.
    `balance` is what its dues fallen due by that date still owe; `paid_up_to` the last day
    its rent is paid up to (None: nothing paid yet)."""

    lease: UUID
    reference: str
    status: LeaseStatus
    property: UUID
    property_name: str
    owner: UUID
    unit: UUID
    unit_label: str
    tenant_name: str
    tenant_phone: str
    start_date: date
    end_date: date | None
    rent: int
    charges: int
    deposit: int  # agreed
    deposit_held: int
    balance: int
    credit: int
    currency: str
    paid_up_to: date | None


@dataclass(frozen=True)
class PropertyExpenses:
    """The expenses recorded on a property over a period, in one currency."""

    property: UUID
    currency: str
    amount: int
    count: int
