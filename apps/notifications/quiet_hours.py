"""Quiet hours: no non-urgent SMS or push at night in the recipient's own time zone.

A message that falls inside the window is deferred (not dropped) to the window's end.
The time zone is the user's choice, else the one of their phone number's country
(+229 → Africa/Porto-Novo, +225 → Africa/Abidjan), else settings.TIME_ZONE.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from django.conf import settings
from phonenumbers import timezone as phone_timezones


def parse_window(value: str) -> tuple[time, time] | None:
    """'21:00-07:00' -> (21:00, 07:00); '' or 'off' -> None."""
    if not value or value.strip().lower() == "off":
        return None
    start, end = (time.fromisoformat(part.strip()) for part in value.split("-", 1))
    return start, end


def default_window() -> tuple[time, time] | None:
    return parse_window(settings.NOTIFICATIONS_QUIET_HOURS)


@lru_cache(maxsize=512)
def _zone_for_country_code(country_code: int) -> str:
    """The zone of a calling code (+229 -> Africa/Porto-Novo), from an example number of
    its main region; countries spanning several zones get their first."""
    region = phonenumbers.region_code_for_country_code(country_code)
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    zones = phone_timezones.time_zones_for_number(example) if example else ()
    return next((z for z in zones if z and z != "Etc/Unknown"), settings.TIME_ZONE)


def zone_for_phone(phone: str) -> str:
    """The zone of an E.164 number's country (no full parse: bulk runs call this a lot)."""
    if not phone or not phone.startswith("+"):
        return settings.TIME_ZONE
    for length in (1, 2, 3):
        code = phone[1 : 1 + length]
        if code.isdigit() and int(code) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return _zone_for_country_code(int(code))
    return settings.TIME_ZONE


def valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def release_time(now: datetime, zone: str, window: tuple[time, time] | None) -> datetime | None:
    """When `now` (aware) is inside the quiet window of `zone`, the UTC moment it ends."""
    if window is None:
        return None
    start, end = window
    if start == end:
        return None
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    current = local.timetz().replace(tzinfo=None)
    if start < end:
        inside = start <= current < end
        end_day = local.date()
    else:  # the window spans midnight (21:00-07:00)
        inside = current >= start or current < end
        end_day = local.date() + timedelta(days=1) if current >= start else local.date()
    if not inside:
        return None
    return datetime.combine(end_day, end, tzinfo=tz).astimezone(ZoneInfo("UTC"))
