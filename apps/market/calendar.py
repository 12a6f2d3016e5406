"""Market's events in the agency's calendar (apps/core/web/calendar.py): the visits booked on
the listings the user manages (services/visits.py's host calendar, scoped the same way),
each linking to the week of the visits page."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.web.calendar import LIMIT_PER_PROVIDER, Event

from .services import visits


def events(user, start, end) -> list[Event]:
    zone = timezone.get_current_timezone()
    first = timezone.make_aware(datetime.combine(start, time.min), zone)
    last = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone)
    found = []
    for booking in visits.host_calendar(user, start=first, end=last, limit=LIMIT_PER_PROVIDER):
        if booking.status == booking.Status.CANCELED:
            continue
        local = timezone.localtime(booking.starts_at)
        monday = local.date() - timedelta(days=local.weekday())
        found.append(
            Event(
                day=local.date(),
                kind="visit",
                kind_label=_("Visit"),
                title=f"{local:%H:%M} {booking.seeker_name}",
                detail=f"{booking.listing.title} · {booking.get_status_display()}",
                url=reverse("manager:market-visits") + f"?week={monday.isoformat()}",
            )
        )
    return found
