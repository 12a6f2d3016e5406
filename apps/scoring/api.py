"""PUBLIC: what other modules may call in scoring (lending underwrites with it, billing
counts screening reports, market shows valuations).

from apps.scoring import api as scoring
"""

from __future__ import annotations

__all__: list[str] = [
    "features_for",
    "get_score",
    "register_feature_source",
    "rent_lines",
    "rescore_users",
    "valuation_for",
]


# --- the rent score: read a score (logged), the data behind it, the features ---


def get_score(user_id, *, viewer, why: str, language: str | None = None):
    """A user's latest ScoreInfo (score or None for a thin file, band, reasons in `language`,
    loyalty tier, the features), from Redis, else the stored row, else computed now. Every read
    is logged (who, whose, why). `why`: "self" (viewer is the user), "staff", "screening" (the
    caller checked the applicant's consent), "lending" (the user's own application), "system"
    (viewer=None). Forbidden otherwise; NotFound for an unknown user."""
    from .services.scores import get_score as read

    return read(user_id, viewer=viewer, why=why, language=language)


def rent_lines(user_id, months: int = 24, *, today=None):
    """[RentLine] of the user's last `months` months, oldest first: the data behind the score
    (the tenant sees exactly these; a screening report shows them with consent)."""
    from .services.features import rent_lines as lines

    return lines(user_id, months, today=today)


def features_for(user_ids, *, today=None):
    """{user public id: ScoreFeatures} for many users, set-based (a fixed number of queries)."""
    from .services.features import features_for as compute

    return compute(user_ids, today=today)


# --- HokweValuation: a unit's rent and sale price estimates with their range ---


def valuation_for(unit_id):
    """A unit's Valuation (contracts.py): the monthly rent estimate with its 10-90 % range, a
    sale price estimate (12 x rent / the kind's gross yield) with its range, the method
    (blend of comparables and the hedonic model, model or comparables alone, none), how many
    comparable leases were used and the model version. Unscoped: the caller (market's listing
    form) shows it to the unit's own manager. NotFound for an unknown unit."""
    from .services.valuation import estimate

    return estimate(unit_id)


# --- the events of modules above scoring (lending's loans): they ask for the rescore ---


def rescore_users(user_ids, *, event_id: str, event_name: str) -> int:
    """Rescore the users a higher module's event touched (lending's LoanDisbursed,
    InstalmentPaid, InstalmentLate, LoanClosed, LoanWrittenOff), once per `event_id`: a second
    delivery changes nothing. Returns how many users were rescored."""
    from .services.upper_events import rescore_users as rescore

    return rescore(user_ids, event_id=event_id, event_name=event_name)


# --- features owned by modules above scoring (lending's loans): registered from their ready() ---


def register_feature_source(name: str, reader, *, features, simulate=None) -> None:
    """Register a higher module's features for the rent score (docs/scoring.md « Feature
    sources »). `reader(user_ids, as_of)` -> {user public id: {feature: int}}, set-based (one
    query for the whole list: the nightly rescore calls it once per chunk); `features`: the
    contracts.FeatureSpec of each (direction, default, the reason's words, hand-set bins);
    `simulate(rng, behaviour)` -> {feature: numpy array} for the simulated training population.
    Each becomes the model variable "<name>.<feature>". Called again, it replaces the source."""
    from .services.sources import register_feature_source as register

    register(name, reader, features=features, simulate=simulate)
