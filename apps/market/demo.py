"""Demo market data (seed_demo runs it after estate's and kyc's). Idempotent: a second run
changes nothing.

Each part appends a function `_seed_<part>(ctx)` and one call line at the end of `seed`; the
listings come first (visits and applications need a published listing)."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def seed(ctx) -> None:
    _seed_listings(ctx)
    _seed_visits(ctx)


# --- listings: the agency Les Cocotiers publishes its vacant « chambre salon » C1 of Résidence
# Les Palmiers in Fidjrossè, Cotonou (6.3554, 2.3660), 55 000 FCFA a month: verified by Hokwe ---

DEMO_PROPERTY = "Résidence Les Palmiers"
DEMO_UNIT = "C1"
DEMO_TITLE = "Chambre salon à Fidjrossè, près de la plage"
DEMO_DESCRIPTION = (
    "Chambre salon lumineuse dans une résidence calme et sécurisée de Fidjrossè, à 5 minutes "
    "de la plage. Compteur électrique individuel, eau courante, cour commune."
)


def _seed_listings(ctx) -> None:
    from django.contrib.auth import get_user_model

    from apps.estate import api as estate

    from .contracts import ListingStatus
    from .models import Listing
    from .services import listings

    agency = (ctx.get("organizations") or {}).get("agency")
    manager = get_user_model().objects.filter(phone="+2290197000001").first()  # the agency's owner
    if agency is None or manager is None:
        return
    unit = next(
        (
            u
            for u in estate.vacant_units({agency.pk})
            if u.property_name == DEMO_PROPERTY and u.label == DEMO_UNIT
        ),
        None,
    )
    if unit is None or Listing.objects.filter(unit=unit.unit).exists():
        return
    listing = listings.create_from_unit(
        actor=manager,
        unit_id=unit.unit,
        overrides={"title": DEMO_TITLE, "description": DEMO_DESCRIPTION, "water": True, "own_meter": True},
    )
    if (
        listing.status == ListingStatus.IN_REVIEW
    ):  # a rule asked for a review: the demo's staff admin approves
        staff = get_user_model().objects.filter(is_staff=True, staff_role="admin").order_by("id").first()
        if staff is not None:
            listing = listings.approve(staff=staff, listing=listing)
    if listing.status != ListingStatus.PUBLISHED:
        log.warning("market demo: the demo listing is %s (%s)", listing.status, listing.flags)
    ctx["market_listing"] = str(listing.public_id)


# --- visits: the agency's manager (Serge Dossou) opens visit slots of the demo listing over the
# next six days but Sunday, at 10:00, 11:00 and 16:00 (30 minutes each, local time) ---

DEMO_VISIT_HOST = "+2290197000002"
DEMO_VISIT_TIMES = ((10, 0), (11, 0), (16, 0))


def _seed_visits(ctx) -> None:
    from datetime import datetime, time, timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from .models import Listing, VisitSlot
    from .services import visits

    listing = Listing.objects.filter(public_id=ctx.get("market_listing") or None).first()
    host = get_user_model().objects.filter(phone=DEMO_VISIT_HOST).first()
    if listing is None or host is None or VisitSlot.objects.filter(listing=listing, host=host).exists():
        return
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    for offset in range(1, 7):
        day = today + timedelta(days=offset)
        if day.weekday() == 6:  # Sunday
            continue
        for hour, minute in DEMO_VISIT_TIMES:
            start = timezone.make_aware(datetime.combine(day, time(hour, minute)), zone)
            visits.slots_create(
                actor=host,
                listing=listing,
                starts_at=start,
                ends_at=start + timedelta(minutes=30),
                meeting_point="Devant le portail de la Résidence Les Palmiers",
            )
