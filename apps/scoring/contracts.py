"""Scoring's public data shapes (frozen dataclasses and enums other modules may read)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from uuid import UUID


class RentLineCode(StrEnum):
    """One month of rent, RentBureau-like: how the month's due was paid."""

    ON_TIME = "on_time"  # paid in full by the due date (grace days included)
    LATE_1_29 = "late_1_29"  # paid in full 1-29 days late
    LATE_30_59 = "late_30_59"
    LATE_60_PLUS = "late_60_plus"
    PARTIAL = "partial"  # part paid, the rest still open
    UNPAID = "unpaid"  # nothing paid and past due


@dataclass(frozen=True)
class RentLine:
    """A month of a tenant's rent history (the data behind the score)."""

    month: str  # "2026-05"
    lease: UUID
    organization: UUID
    due_date: date
    amount: int
    paid: int
    currency: str
    days_late: int  # days after the due date when paid in full; for open dues, days so far
    code: RentLineCode


@dataclass(frozen=True)
class ScoreFeatures:
    """The model's inputs for one user, computed from events and module APIs (never from
    other apps' tables). Protected attributes are never features (docs/scoring.md, fairness)."""

    months_observed: int = 0  # months with a rent due, all leases
    on_time_12: int = 0  # months paid on time in the last 12
    late_12: int = 0  # months paid late in the last 12
    partial_12: int = 0
    unpaid_12: int = 0
    avg_days_late_12: float = 0.0
    max_days_late_12: int = 0
    tenure_months: int = 0  # the current (or longest) lease, in months
    recovery_opened: int = 0
    recovery_paid: int = 0
    recovery_written_off: int = 0
    promises_kept: int = 0
    promises_broken: int = 0
    tontine_on_time: int = 0
    tontine_late: int = 0
    tontine_defaults: int = 0
    split_streak_max: int = 0
    wallet_active_months_6: int = 0
    kyc_tier: int = 0
    # the features of the sources higher modules registered (lending's loans): sorted
    # (variable, value) pairs, variable = "<source>.<feature>"; only values a source returned
    # for the user (a user a source knows nothing of has none: its default applies)
    extra: tuple[tuple[str, float], ...] = ()

    def value(self, variable: str, default: float = 0) -> float:
        """A registered source's feature for this user (`default` when the source returned none)."""
        for name, value in self.extra:
            if name == variable:
                return value
        return default


# --- features owned by higher modules (docs/scoring.md « Feature sources ») ---


@dataclass(frozen=True)
class FeatureSpec:
    """A feature a higher module computes for the score (lending's loans), registered with
    `scoring.api.register_feature_source`. Its model variable is "<source>.<name>".

    `direction` is its written-down monotonic constraint ("raises": a higher value never lowers
    the score; "lowers": never raises it). `default` is the value of a user the source returns
    nothing for (no loan). `provisional` = (cuts, woe) of the hand-set scorecard used until a
    trained version is active. `text(value, lowers)` gives the reason's words in the active
    language (the source translates them). `simulate` lives on the source (FeatureSource)."""

    name: str
    direction: str  # "raises" | "lowers"
    why: str  # the constraint in words (docs, admin)
    text: Callable[[int, bool], str]
    default: int = 0
    provisional: tuple[tuple[float, ...], tuple[float, ...]] = ((), (0.0,))


# reader(user_ids: list[UUID], as_of: date) -> {user public id: {feature name: int}}
FeatureReader = Callable[[list[UUID], date], Mapping[UUID, Mapping[str, int]]]


class ScoreBand(StrEnum):
    EXCELLENT = "excellent"  # 760-850
    GOOD = "good"  # 680-759
    FAIR = "fair"  # 600-679
    WEAK = "weak"  # 500-599
    POOR = "poor"  # 300-499
    THIN_FILE = "thin_file"  # not enough history: no number


@dataclass(frozen=True)
class Reason:
    code: str  # stable, e.g. "late_12"
    direction: str  # "lowers" | "raises"
    text: str  # translated (the caller's language), e.g. « 3 loyers payés en retard … »
    weight: float  # points contributed (signed)


@dataclass(frozen=True)
class ScoreInfo:
    user: UUID
    score: int | None  # None for a thin file
    band: ScoreBand
    reasons: tuple[Reason, ...] = ()
    model_version: str = ""
    loyalty_tier: str = ""
    computed_at: str = ""  # ISO timestamp
    features: ScoreFeatures = field(default_factory=ScoreFeatures)


# --- HokweValuation ---


@dataclass(frozen=True)
class Valuation:
    """A unit's rent estimate (monthly, the unit's currency, minor units) with its range, and
    a sale price estimate (12 x rent / the kind's gross yield: no sale is recorded on the
    platform). Amounts are None when nothing could be estimated (method "none")."""

    unit: UUID
    currency: str
    rent: int | None
    rent_low: int | None
    rent_high: int | None
    price: int | None
    price_low: int | None
    price_high: int | None
    method: str  # "blend" (comparables + model) | "model" | "comparables" | "none"
    comparables: int  # comparable leases used
    model_version: str
    current_rent: int | None  # the active lease's rent, for comparison
    computed_on: date


VALUATION_METHODS = ("blend", "model", "comparables", "none")  # Valuation.method (OpenAPI enum)
