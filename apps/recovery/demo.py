"""Demo recovery: the agency Les Cocotiers gets the standard dunning ladder, its own
day off (Benin's public holidays come from the `holidays` library; no reminder goes out on those days), its
collector Gildas Tossou (identity's demo member) is given the cases of Cotonou and
Abomey-Calavi, and the demo's overdue rent becomes recovery cases — so /manager/recovery/
has a worklist, a timeline and an aging on first run.

Idempotent: the ladder, the holidays and the rules are found before they are created, and
cases_sync opens a case once per lease. It logs nobody in: the collector's login is
already printed by identity's demo ("agency collector")."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import services
from .models import AssignmentRule, Holiday

COLLECTOR_PHONE = "+2290197000004"  # identity's demo "agency collector"
CITIES = ("Cotonou", "Abomey-Calavi")  # where estate's demo properties are

# The national calendar (fixed and movable holidays) comes from the `holidays` library
# (apps/recovery/daysoff.py); the agency adds its own day off.
AGENCY_DAY_OFF = (date(2026, 12, 24), "Fête de l'agence")


def seed(ctx) -> None:
    agency = (ctx.get("organizations") or {}).get("agency")
    if agency is None:
        return
    services.ladder_default(organization_id=agency.pk)
    Holiday.objects.get_or_create(
        organization=agency, date=AGENCY_DAY_OFF[0], defaults={"name": AGENCY_DAY_OFF[1], "country": "BJ"}
    )
    collector = get_user_model().objects.filter(phone=COLLECTOR_PHONE).first()
    if collector is not None:
        for priority, city in enumerate(CITIES, start=1):
            AssignmentRule.objects.get_or_create(
                organization=agency,
                collector=collector,
                property=None,
                neighbourhood="",
                city=city,
                defaults={"priority": 100 + priority},
            )
    services.cases_sync(today=timezone.localdate(), organizations=[agency.public_id])
