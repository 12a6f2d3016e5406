"""KPIs: a module says what its events count for the business figures without naming analytics.

Analytics (the top layer) keeps the figures up to date; the modules below it cannot call it
(calls go down, events go up), so each module that has figures writes `apps/<module>/kpis.py`
(found by `discovery`, like panels.py) with:

    METRICS = [Metric("rent.collected", _("Rent collected"), unit="money"), …]
    SOURCES = [Source(RentPaymentApplied, collected_facts), …]     # events -> facts
    SNAPSHOTS = [occupancy_snapshot, …]                             # day -> gauge facts (nightly)
    DERIVE = derive_day                                             # day -> the sum facts again,
                                                                    # from source rows (drift check)
    RECONCILE = ledger_side                                         # (day, organizations) -> the
                                                                    # ledger's figures of gauges

A source's function takes a list of events (a batch: one query for all their dimensions) and
returns, for each event, the list of its facts. A fact names its organization (public id),
and when it has them its property and owner (public ids): analytics adds it to the
organization's, the property's and the owner's day and month. Amounts are integer minor
units with their currency; a count-only fact has value 0 (or the count) and no currency.

    Fact("rent.collected", organization=org, day=date(2026, 12, 3), value=150_000,
         currency="XOF", property=prop, owner=owner, dimension="mobile_money")

Kinds: « sum » facts add up (the month is the sum of its days); « gauge » facts are a state
on a day (units occupied, arrears by age, deposits held): the day keeps the last value and
the month keeps its last day's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from .events import DomainEvent

__all__ = ["PLATFORM", "Fact", "Metric", "Source"]

# the organization of figures that are Hokwe's own, not an agency's (wallets and tontines, the
# loan book, subscriptions, payments with no payee organization): the staff view reads them
PLATFORM = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class Fact:
    metric: str
    organization: str  # organization public id
    day: date
    value: int = 0  # minor units for money; a number of days or things otherwise
    count: int = 1  # how many things the value sums (payments, dues…); 0 for a gauge's part
    currency: str = ""  # for money
    property: str = ""  # property public id, when the fact has one
    owner: str = ""  # owner organization public id, when the fact has one
    dimension: str = ""  # a breakdown: a method, a provider/method/country, an age bucket…


@dataclass(frozen=True)
class Metric:
    key: str  # "<area>.<what>", ≤ 40 characters
    label: object  # a lazy translated string
    unit: str = "money"  # money | count | days | percent
    kind: str = "sum"  # sum | gauge
    help: object = ""


@dataclass(frozen=True)
class Source:
    event: type[DomainEvent]
    facts: Callable[[list], Iterable[list[Fact]]]  # events -> one list of facts per event
