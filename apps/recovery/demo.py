"""Demo recovery: the agency Les Cocotiers gets the standard dunning ladder, Benin's
fixed-date public holidays for 2026 and 2027 (no reminder goes out on those days), its
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

# Benin's fixed-date public holidays (the movable ones — Easter and Whit Mondays, Ascension,
# Tabaski, Ramadan's end, Maouloud — are added each year by the agency or Hokwe staff).
BENIN_HOLIDAYS = (
    (1, 1, "Jour de l'an"),
    (1, 10, "Fête des religions endogènes (Vodun Days)"),
    (5, 1, "Fête du travail"),
    (8, 1, "Fête de l'indépendance"),
    (8, 15, "Assomption"),
    (11, 1, "Toussaint"),
    (12, 25, "Noël"),
)


def seed(ctx) -> None:
    agency = (ctx.get("organizations") or {}).get("agency")
    if agency is None:
        return
    services.ladder_default(organization_id=agency.pk)
    for year in (2026, 2027):
        for month, day, name in BENIN_HOLIDAYS:
            Holiday.objects.get_or_create(
                organization=None, country="BJ", date=date(year, month, day), defaults={"name": name}
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
