"""Public holidays: the country's calendar from the `holidays` library (Benin `BJ`, Côte
d'Ivoire `CI`, … — fixed dates and the movable Christian and Islamic ones: Easter and Whit
Mondays, Ascension, Ramadan's end, Tabaski, Maouloud) plus the rows of `Holiday`: an
organization's own days off, and national days Hokwe staff add when a decree declares one
the library does not know yet.

The Islamic dates of the library are astronomical estimates; a government that moves one by a
day is followed by adding that day as a national `Holiday` row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import holidays as holidays_lib
from django.db.models import Q
from django.utils import translation

from .models import Holiday


@dataclass(frozen=True)
class DayOff:
    date: date
    name: str
    organization_id: int | None = None  # set for the organization's own days


def _library_language(country: str, language: str) -> str | None:
    try:
        supported = holidays_lib.country_holidays(country).supported_languages
    except NotImplementedError:
        return None
    prefix = (language or "fr").split("-")[0].lower()
    for candidate in supported:
        if candidate.lower().replace("-", "_").split("_")[0] == prefix:
            return candidate
    return None


@lru_cache(maxsize=256)
def _national(country: str, year: int, language: str) -> tuple[tuple[date, str], ...]:
    code = (country or "").upper()
    try:
        days = holidays_lib.country_holidays(code, years=year, language=_library_language(code, language))
    except NotImplementedError:
        return ()
    return tuple(sorted((d, name) for d, name in days.items()))


def national_holidays(country: str, year: int, language: str | None = None) -> list[DayOff]:
    """The country's public holidays of `year` from the library, named in `language`
    (the active language by default; English when the library has no such translation)."""
    lang = language or translation.get_language() or "fr"
    return [DayOff(date=d, name=name) for d, name in _national(country, year, lang)]


def is_public_holiday(*, country: str, day: date, organization_id: int | None = None) -> bool:
    """True on the country's public holidays (library), on a national day added by staff and,
    given an organization, on that organization's own days off."""
    if any(h.date == day for h in national_holidays(country, day.year, "en")):
        return True
    rows = Q(organization__isnull=True, country=(country or "").upper())
    if organization_id is not None:
        rows |= Q(organization_id=organization_id)
    return Holiday.objects.filter(rows, date=day).exists()


def days_off(*, country: str, start: date, end: date, organization_id: int | None = None) -> list[DayOff]:
    """Every day off between `start` and `end` (both included), sorted: the library's, the
    national rows and the organization's own (an organization's own day wins on a shared date)."""
    found: dict[date, DayOff] = {}
    for year in range(start.year, end.year + 1):
        for h in national_holidays(country, year):
            if start <= h.date <= end:
                found[h.date] = h
    rows = Q(organization__isnull=True, country=(country or "").upper())
    if organization_id is not None:
        rows |= Q(organization_id=organization_id)
    for row in Holiday.objects.filter(rows, date__gte=start, date__lte=end).order_by("organization_id"):
        if row.organization_id is not None or row.date not in found:
            found[row.date] = DayOff(date=row.date, name=row.name, organization_id=row.organization_id)
    return [found[d] for d in sorted(found)]
