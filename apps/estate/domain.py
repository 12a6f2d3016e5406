"""Pure rules of the estate domain (no database): periods, the due status state machine,
payment allocation, late fees and the legal caps. Property-tested (tests/estate)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from apps.core.statemachine import StateMachine

from .contracts import DueStatus, LateFeePolicy

# --- periods ------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(period: date, months: int) -> date:
    index = period.year * 12 + (period.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(period: date) -> date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def due_date_of(period: date, due_day: int) -> date:
    return period.replace(day=max(1, min(due_day, 28)))


def periods_between(start: date, end: date) -> list[date]:
    """The months from the one containing `start` to the one containing `end`, inclusive."""
    out, period = [], month_start(start)
    while period <= end:
        out.append(period)
        period = add_months(period, 1)
    return out


def covers(start: date, end: date | None, period: date) -> bool:
    """A lease from `start` to `end` (None: open-ended) runs during some of `period`."""
    return start <= month_end(period) and (end is None or end >= period)


# --- the due status state machine -----------------------------------------------------------

TERMINAL = frozenset({DueStatus.WRITTEN_OFF})
# Every move the status may make (refresh_dues, a payment, a refund, an adjustment, a write-off).
TRANSITIONS: dict[DueStatus, frozenset[DueStatus]] = {
    DueStatus.UPCOMING: frozenset(
        {DueStatus.DUE, DueStatus.OVERDUE, DueStatus.PARTIALLY_PAID, DueStatus.PAID, DueStatus.WRITTEN_OFF}
    ),
    DueStatus.DUE: frozenset(
        {
            DueStatus.OVERDUE,
            DueStatus.PARTIALLY_PAID,
            DueStatus.PAID,
            DueStatus.WRITTEN_OFF,
            DueStatus.UPCOMING,
        }
    ),
    DueStatus.PARTIALLY_PAID: frozenset(
        {DueStatus.PAID, DueStatus.OVERDUE, DueStatus.WRITTEN_OFF, DueStatus.DUE, DueStatus.UPCOMING}
    ),
    DueStatus.OVERDUE: frozenset({DueStatus.PAID, DueStatus.WRITTEN_OFF, DueStatus.PARTIALLY_PAID}),
    # a refund (or a charge added later) reopens a paid due
    DueStatus.PAID: frozenset(
        {DueStatus.PARTIALLY_PAID, DueStatus.OVERDUE, DueStatus.DUE, DueStatus.UPCOMING}
    ),
    DueStatus.WRITTEN_OFF: frozenset(),
}
# The table, checked in one place: `DUE_STATES.check(due.status, new)` raises
# InvalidTransition (409) for a move the table does not list.
DUE_STATES = StateMachine(TRANSITIONS)


def due_status(*, today: date, due_date: date, grace_until: date, total: int, paid: int) -> DueStatus:
    """The status of an open due, from the facts (a written-off due stays written off)."""
    if paid >= total:
        return DueStatus.PAID
    if today > grace_until:
        return DueStatus.OVERDUE
    if paid > 0:
        return DueStatus.PARTIALLY_PAID
    if today >= due_date:
        return DueStatus.DUE
    return DueStatus.UPCOMING


def can_move(current: DueStatus, to: DueStatus) -> bool:
    return current == to or DUE_STATES.can(current, to)


# --- allocation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenDue:
    key: object  # the due's id
    due_date: date
    outstanding: int


def allocate(
    amount: int, dues: Iterable[OpenDue], *, first: object | None = None
) -> tuple[list[tuple[object, int]], int]:
    """Spread `amount` over open dues, oldest due date first (`first` names a due paid
    before the others: "told otherwise"). Returns ([(due key, amount)], remainder): the
    remainder is kept as tenant credit. Never more than a due's outstanding amount, never a
    zero line, and the parts always sum to `amount`."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    ordered: Sequence[OpenDue] = sorted(
        (d for d in dues if d.outstanding > 0), key=lambda d: (d.key != first, d.due_date, str(d.key))
    )
    lines: list[tuple[object, int]] = []
    left = amount
    for due in ordered:
        if left == 0:
            break
        part = min(left, due.outstanding)
        lines.append((due.key, part))
        left -= part
    return lines, left


# --- late fees --------------------------------------------------------------------------------


def late_fee(*, policy: str, value: int, cap: int, base: int, days_late: int) -> int:
    """The late fee a due has earned `days_late` days after its grace period (0 before).
    `value` is an amount (flat, per day) or basis points (percent); `cap` (0: none) bounds
    the fee of one month."""
    if days_late <= 0 or policy == LateFeePolicy.NONE or value <= 0:
        return 0
    if policy == LateFeePolicy.FLAT:
        fee = value
    elif policy == LateFeePolicy.PERCENT:
        fee = (base * value + 5_000) // 10_000
    elif policy == LateFeePolicy.PER_DAY:
        fee = value * days_late
    else:
        raise ValueError(f"unknown late fee policy {policy!r}")
    return min(fee, cap) if cap > 0 else fee


def days_after(day: date, reference: date) -> int:
    return (day - reference) // timedelta(days=1)


# --- commission ---------------------------------------------------------------------------


def commission_of(amount: int, basis_points: int) -> int:
    """The agency's share of `amount` (rounded half up), never more than the amount."""
    if amount <= 0 or basis_points <= 0:
        return 0
    return min(amount, (amount * basis_points + 5_000) // 10_000)
