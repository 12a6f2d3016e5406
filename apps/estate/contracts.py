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


# Value lists for the OpenAPI enum names (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
UNIT_KIND_VALUES = tuple(k.value for k in UnitKind)
UNIT_STATUS_VALUES = tuple(s.value for s in UnitStatus)
DUE_STATUS_VALUES = tuple(s.value for s in DueStatus)
ADJUSTMENT_KIND_VALUES = tuple(k.value for k in AdjustmentKind)
TICKET_STATUSES = ("open", "assigned", "in_progress", "resolved", "closed", "canceled")
DEDUCTION_KINDS = ("rent", "damage", "other")


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
