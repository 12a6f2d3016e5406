"""Demo data: the agency Les Cocotiers manages the properties of the two demo landlords in
Cotonou and Abomey-Calavi — units of every kind, leases for the demo tenants and more, the
last months' dues with paid, partly paid and overdue ones, receipts, tickets and a closed
owner statement — so /manager/ looks like a real agency's on first run.

Everything goes through the services (the ledger is in step). Idempotent: once the agency
has its properties, running again changes nothing."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from . import domain, services
from .models import Mandate, Property, RentDue, Unit

# (property, neighbourhood, city, landlord key, GPS, [(unit, kind, rent, rooms, furnished)])
PROPERTIES = [
    (
        "Résidence Les Palmiers",
        "Fidjrossè",
        "Cotonou",
        "landlord0",
        (6.3554, 2.3660),
        [
            ("A1", "apartment", 150_000, 3, False),
            ("A2", "apartment", 150_000, 3, False),
            ("B1", "studio", 85_000, 1, True),
            ("B2", "studio", 85_000, 1, False),
            ("C1", "chambre_salon", 55_000, 2, False),
        ],
    ),
    (
        "Villa Haie Vive",
        "Haie Vive",
        "Cotonou",
        "landlord0",
        (6.3542, 2.3905),
        [
            ("Villa", "villa", 450_000, 5, True),
            ("Annexe", "studio", 90_000, 1, True),
        ],
    ),
    (
        "Cour commune Godomey",
        "Godomey",
        "Abomey-Calavi",
        "landlord1",
        (6.3913, 2.3331),
        [
            ("EC1", "entrer_coucher", 25_000, 1, False),
            ("EC2", "entrer_coucher", 25_000, 1, False),
            ("EC3", "entrer_coucher", 25_000, 1, False),
            ("EC4", "entrer_coucher", 30_000, 1, False),
            ("CS1", "chambre_salon", 45_000, 2, False),
            ("CS2", "chambre_salon", 45_000, 2, False),
        ],
    ),
    (
        "Immeuble Akpakpa Centre",
        "Akpakpa",
        "Cotonou",
        "landlord1",
        (6.3605, 2.4503),
        [
            ("Boutique 1", "shop", 120_000, 1, False),
            ("Boutique 2", "shop", 100_000, 1, False),
            ("Étage 1", "apartment", 130_000, 3, False),
            ("Étage 2", "apartment", 130_000, 3, False),
            ("Bureau", "office", 175_000, 2, False),
            ("Studio 3", "studio", 70_000, 1, True),
        ],
    ),
]
MORE_TENANTS = [
    ("+2290161000011", "Fulbert Hounkpatin"),
    ("+2290161000012", "Armelle Dossa"),
    ("+2290161000013", "Kévin Agbodjan"),
    ("+2290161000014", "Nadège Sossou"),
    ("+2290161000015", "Rodrigue Kiki"),
    ("+2290161000016", "Sandrine Ahyi"),
    ("+2290161000017", "Ibrahim Moussa"),
    ("+2290161000018", "Chimène Vodounon"),
    ("+2290161000019", "Parfait Adandé"),
    ("+2290161000020", "Eunice Houessou"),
    ("+2290161000021", "Boutique Mawulé (Mawulé Akakpo)"),
    ("+2290161000022", "Cabinet Sènan (Sènan Zannou)"),
    ("+2290161000023", "Larissa Quenum"),
    ("+2290161000024", "Hervé Gnonlonfoun"),
]
# Units left vacant (and one under works) so the occupancy is realistic.
VACANT = {
    ("Résidence Les Palmiers", "C1"),
    ("Cour commune Godomey", "EC4"),
    ("Immeuble Akpakpa Centre", "Étage 2"),
}
UNDER_WORKS = {("Immeuble Akpakpa Centre", "Studio 3")}


def seed(ctx) -> None:
    orgs = ctx.get("organizations") or {}
    agency = orgs.get("agency")
    if agency is None or Property.objects.filter(organization=agency).exists():
        return
    from django.contrib.auth import get_user_model

    manager = get_user_model().objects.filter(phone="+2290197000001").first()  # the agency's owner
    if manager is None:
        return
    today = timezone.localdate()
    rng = random.Random(2026)  # noqa: S311 -- reproducible demo data, not a secret
    mandates = {
        key: Mandate.objects.get_or_create(
            agency=agency,
            owner=orgs[key],
            defaults={
                "commission_bps": 1000 if key == "landlord0" else 800,
                "start_date": date(today.year - 1, 1, 1),
            },
        )[0]
        for key in ("landlord0", "landlord1")
    }
    tenants = [(str(u.phone), u.full_name) for u in ctx.get("tenants", [])] + MORE_TENANTS
    leases = []
    for name, neighbourhood, city, key, (lat, lon), units in PROPERTIES:
        prop = services.property_create(
            actor=manager,
            organization_id=agency.pk,
            owner_id=orgs[key].pk,
            name=name,
            city=city,
            neighbourhood=neighbourhood,
            address=f"{neighbourhood}, {city}",
            latitude=lat,
            longitude=lon,
            mandate=mandates[key],
        )
        for label, kind, rent, rooms, furnished in units:
            unit = services.unit_create(
                actor=manager,
                property=prop,
                label=label,
                kind=kind,
                market_rent=rent,
                rooms=rooms,
                furnished=furnished,
                status="under_works" if (name, label) in UNDER_WORKS else "vacant",
            )
            if (name, label) in VACANT | UNDER_WORKS or not tenants:
                continue
            phone, full_name = tenants.pop(0)
            months_back = rng.randint(2, 7)
            start = domain.add_months(domain.month_start(today), -months_back)
            lease = services.lease_create(
                actor=manager,
                unit=unit,
                tenants=[services.TenantInput(phone=phone, full_name=full_name)],
                start_date=start,
                end_date=(today + timedelta(days=rng.choice([35, 50]))) if len(leases) in (3, 9) else None,
                rent=rent,
                charges=5_000 if kind in ("apartment", "studio", "villa") else 0,
                deposit_months=2 if rent < 100_000 else 3,
                # a third of the tenants pay later in the month: this month's due is still open
                due_day=min(28, today.day + 3) if len(leases) % 3 == 1 else 5,
                grace_days=5,
                late_fee_policy="flat" if kind == "shop" else "none",
                late_fee_value=5_000 if kind == "shop" else 0,
            )
            if lease.deposit_amount:
                services.deposit_record_offline(
                    actor=manager,
                    lease=lease,
                    amount=lease.deposit_amount,
                    reference="caution à la signature",
                )
            leases.append(lease)
    _pay(manager, leases, rng, today)
    moving_in = _signed_for_next_month(manager, today)
    if moving_in:
        ctx.logins.append(("tenant (/pay/), move-in due", "+2290161000099", "(SMS code)"))
        # whatever the day of the month, this tenant's dues are weeks ahead (the wallet's demo
        # saves toward one of them)
        ctx["tenant_moving_in"] = moving_in.lease_tenants.get().user
    _tickets(manager, leases)
    services.dues_refresh()
    last_month = domain.add_months(domain.month_start(today), -1)
    for key in ("landlord0", "landlord1"):
        statement = services.statement_get_or_refresh(
            actor=manager, organization_id=agency.pk, owner_id=orgs[key].pk, period=last_month
        )
        if key == "landlord0":
            services.statement_close(actor=manager, statement=statement)


def _signed_for_next_month(manager, today):
    """A lease just signed for a move-in on the 15th of next month: its move-in invoice
    (deposit, agency fee, the first month pro rata, one month of advance) is still to pay."""
    unit = Unit.objects.filter(property__name="Résidence Les Palmiers", label="C1").first()
    if unit is None:
        return None
    start = domain.add_months(domain.month_start(today), 1).replace(day=15)
    return services.lease_create(
        actor=manager,
        unit=unit,
        tenants=[services.TenantInput(phone="+2290161000099", full_name="Mireille Dossa")],
        start_date=start,
        rent=unit.market_rent,
        charges=5_000,
        deposit_months=2,
        advance_months=1,
        agency_fee=unit.market_rent // 2,
        today=today,
    )


def _pay(manager, leases, rng, today) -> None:
    """Most tenants pay on time; a few pay part; a few are behind (overdue)."""
    for index, lease in enumerate(leases):
        profile = ("late", "partial")[index % 2] if index % 5 == 2 else "good"
        # the deposit due was paid at signing (deposit_record_offline above)
        dues = list(RentDue.objects.filter(lease=lease, kind="rent").order_by("period"))
        for due in dues:
            current = due.period == domain.month_start(today)
            if profile == "late" and due.period >= domain.add_months(domain.month_start(today), -1):
                continue  # two months behind
            amount = due.total
            if profile == "partial" and due.period >= domain.add_months(domain.month_start(today), -1):
                amount = due.total // 2  # paid half, the rest is still owed
            elif current and rng.random() < (0.5 if today < due.due_date else 0.2):
                continue  # this month: not everyone has paid yet
            received = min(today, due.due_date + timedelta(days=rng.randint(-3, 6)))
            method = "cash" if amount <= 100_000 and rng.random() < 0.5 else "bank_transfer"
            services.payment_record(
                actor=manager,
                lease=lease,
                amount=amount,
                method=method,
                received_on=received,
                reference="" if method == "cash" else f"VIR-{due.reference}",
                due=due,
                idempotency_key=f"demo:{due.public_id}",
            )


def _tickets(manager, leases) -> None:
    if len(leases) < 4:
        return
    services.ticket_open(
        actor=manager,
        lease=leases[0],
        title="Fuite d'eau sous l'évier",
        description="L'eau coule sous l'évier de la cuisine depuis hier soir.",
        priority="urgent",
    )
    assigned = services.ticket_open(
        actor=manager,
        lease=leases[5],
        title="Coupure de courant dans la chambre",
        description="Les prises de la chambre ne marchent plus.",
    )
    services.ticket_update(
        actor=manager, ticket=assigned, vendor_name="Électricité Gbègamey", vendor_phone="+2290196123456"
    )
    resolved = services.ticket_open(actor=manager, lease=leases[2], title="Serrure du portail cassée")
    services.ticket_update(
        actor=manager, ticket=resolved, vendor_name="Quincaillerie Dantokpa", status="resolved", cost=18_000
    )
    services.ticket_open(
        actor=manager,
        property=leases[8].unit.property,
        title="Vidange de la fosse septique",
        priority="normal",
    )
