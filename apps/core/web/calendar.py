"""The agency's calendar (/manager/calendar/?month=2026-06): a month grid on a laptop, an agenda
list on a phone, made of the events every module registers.

Each module with dated things writes an `apps/<module>/calendar.py` (found by `discovery`,
core never names a module) with

    def events(user, start: date, end: date) -> list[Event]: ...

returning the events between `start` and `end` (both included) of the user's own
organizations, in a bounded number of queries (at most `LIMIT_PER_PROVIDER` events). Kinds
in use: `due` (rent due dates), `lease_end`, `inspection` (estate), `promise`, `visit`,
`holiday` (recovery: the public holidays of the organizations' countries and their own days
off).
"""

from __future__ import annotations

import calendar as stdlib_calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.views.decorators.http import require_GET

from ..discovery import import_parts

LIMIT_PER_PROVIDER = 600
CELL_MAX = 3  # events written in a grid cell; the rest is « + N »


@dataclass(frozen=True)
class Event:
    day: date
    kind: str  # "due", "lease_end", "inspection", "promise", "visit", "holiday"
    kind_label: str  # what a person reads (« Échéance »)
    title: str
    url: str = ""
    detail: str = ""


@cache
def providers() -> list[tuple[str, object]]:
    """[(module label, its `events` function)] from every apps/<m>/calendar.py."""
    return [
        (label, module.events)
        for label, module in import_parts("calendar")
        if callable(getattr(module, "events", None))
    ]


def month_of(text: str | None, today: date) -> date:
    """The first day of `text` (« 2026-06 »), or of today's month when absent or malformed."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


def events_between(user, start: date, end: date) -> list[Event]:
    found: list[Event] = []
    for _label, provider in providers():
        found += [e for e in list(provider(user, start, end))[:LIMIT_PER_PROVIDER] if start <= e.day <= end]
    order = {"holiday": 0}
    return sorted(found, key=lambda e: (e.day, order.get(e.kind, 1), e.kind, e.title))


@dataclass
class Day:
    day: date
    in_month: bool
    today: bool
    events: list[Event]

    @property
    def holiday(self) -> Event | None:
        return next((e for e in self.events if e.kind == "holiday"), None)

    @property
    def others(self) -> list[Event]:
        return [e for e in self.events if e.kind != "holiday"]

    @property
    def shown(self) -> list[Event]:
        return self.others[:CELL_MAX]

    @property
    def hidden(self) -> int:
        return max(0, len(self.others) - CELL_MAX)


@login_required
@require_GET
def calendar_page(request):
    today = timezone.localdate()
    first = month_of(request.GET.get("month"), today)
    last = first.replace(day=stdlib_calendar.monthrange(first.year, first.month)[1])
    grid_start = first - timedelta(days=first.weekday())  # weeks start on Monday
    grid_end = last + timedelta(days=6 - last.weekday())
    by_day: dict[date, list[Event]] = defaultdict(list)
    for event in events_between(request.user, grid_start, grid_end):
        by_day[event.day].append(event)
    weeks, day = [], grid_start
    while day <= grid_end:
        weeks.append(
            [
                Day(day=d, in_month=d.month == first.month, today=d == today, events=by_day.get(d, []))
                for d in (day + timedelta(days=i) for i in range(7))
            ]
        )
        day += timedelta(days=7)
    agenda = [d for week in weeks for d in week if d.in_month and d.events]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    return render(
        request,
        "manager/calendar.html",
        {
            "month": first,
            "weeks": weeks,
            "weekdays": [WEEKDAYS_ABBR[i] for i in range(7)],  # Monday first
            "agenda": agenda,
            "previous": previous.strftime("%Y-%m"),
            "next": following.strftime("%Y-%m"),
            "current": today.strftime("%Y-%m"),
        },
    )
