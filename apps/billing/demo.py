"""Demo billing (seed_demo runs it after identity's, before estate's). Idempotent: a second
run changes nothing.

Each part appends a function `_seed_<part>(ctx)` and one call line at the end of `seed`; the
catalog comes first (the demo agency's subscription needs « Agence »)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone

log = logging.getLogger(__name__)


def seed(ctx) -> None:
    _seed_catalog(ctx)
    _seed_subscription(ctx)
    _seed_usage(ctx)
    _seed_dunning(ctx)


# --- catalog: the SMS and screening metrics, « Essentiel », « Agence » (a 30-day trial),
# « Pro », the two add-ons and a welcome coupon; every version published ---

BASE_PRODUCT = ("hokwe-gestion", "Hokwe Gestion")
ADDON_PRODUCT = ("hokwe-options", "Options Hokwe")
SMS_PRICE = 25  # FCFA per SMS sent by the organization
SCREENING_PRICE = 1_000  # FCFA per screening report

METRICS = [
    {
        "code": "sms",
        "name": "SMS envoyés",
        "description": "Les SMS envoyés au nom de l'organisation (avis, relances, annonces).",
        "event_name": "notifications.MessageSent",
        "filters": {"channel": "sms"},
        "aggregation": "count",
        "organization_field": "organization",
        "unit_name": "SMS",
    },
    {
        "code": "screenings",
        "name": "Rapports de sélection de locataires",
        "description": "Chaque rapport de sélection remis à l'organisation.",
        "event_name": "scoring.ScreeningReportIssued",
        "filters": {},
        "aggregation": "count",
        "organization_field": "organization_id",
        "unit_name": "rapport",
    },
]

# code, name, position, trial days, entitlements, flat fee, per-unit (amount, free units)
PLANS = [
    (
        "essentiel",
        "Essentiel",
        1,
        0,
        {"estate.units": 10, "recovery.sms_campaigns": False, "estate.e_signatures": 0},
        5_000,
        None,
    ),
    (
        "agence",
        "Agence",
        2,
        30,
        {"estate.units": None, "recovery.sms_campaigns": False, "estate.e_signatures": 0},
        15_000,
        (500, 20),
    ),
    (
        "pro",
        "Pro",
        3,
        0,
        {"estate.units": None, "recovery.sms_campaigns": True, "estate.e_signatures": None},
        45_000,
        None,
    ),
]
DESCRIPTIONS = {
    "essentiel": "Pour un propriétaire ou une petite agence : jusqu'à 10 lots.",
    "agence": "Pour une agence : 20 lots inclus, puis 500 FCFA par lot et par mois. 30 jours d'essai.",
    "pro": "Lots illimités, campagnes SMS et signatures électroniques comprises.",
}

# code, name, monthly fee, entitlements added
ADDONS = [
    ("signatures", "Pack signatures électroniques", 3_000, {"estate.e_signatures": 20}),
    ("campagnes-sms", "Campagnes SMS", 2_000, {"recovery.sms_campaigns": True}),
]


def _seed_catalog(ctx) -> None:
    from .contracts import PriceKind, ProductKind
    from .models import AddOn, BillableMetric, Coupon, Plan, PlanVersion, Price, Product
    from .services.catalog import version_publish

    metrics = {}
    for row in METRICS:
        metrics[row["code"]], _ = BillableMetric.objects.get_or_create(code=row["code"], defaults=row)
    base, _ = Product.objects.get_or_create(
        code=BASE_PRODUCT[0], defaults={"name": BASE_PRODUCT[1], "kind": ProductKind.BASE}
    )
    extras, _ = Product.objects.get_or_create(
        code=ADDON_PRODUCT[0], defaults={"name": ADDON_PRODUCT[1], "kind": ProductKind.ADDON}
    )
    for code, name, position, trial_days, grants, flat, per_unit in PLANS:
        plan, _ = Plan.objects.get_or_create(
            code=code,
            defaults={"product": base, "name": name, "position": position, "description": DESCRIPTIONS[code]},
        )
        if plan.versions.exists():
            continue
        version = PlanVersion.objects.create(
            plan=plan, number=1, currency="XOF", trial_days=trial_days, entitlements=grants
        )
        Price.objects.create(version=version, kind=PriceKind.FLAT, name=f"Abonnement {name}", amount=flat)
        if per_unit:
            Price.objects.create(
                version=version,
                kind=PriceKind.PER_UNIT,
                name=f"Lots gérés au-delà de {per_unit[1]}",
                quantity_source="estate.units",
                amount=per_unit[0],
                free_units=per_unit[1],
                position=1,
            )
        Price.objects.create(
            version=version,
            kind=PriceKind.USAGE,
            name="SMS envoyés",
            metric=metrics["sms"],
            amount=SMS_PRICE,
            position=2,
        )
        Price.objects.create(
            version=version,
            kind=PriceKind.USAGE,
            name="Rapports de sélection",
            metric=metrics["screenings"],
            amount=SCREENING_PRICE,
            position=3,
        )
        version_publish(version)
    for code, name, fee, grants in ADDONS:
        addon, created = AddOn.objects.get_or_create(
            code=code, defaults={"product": extras, "name": name, "currency": "XOF", "entitlements": grants}
        )
        if created:
            Price.objects.create(addon=addon, kind=PriceKind.FLAT, name=name, amount=fee)
    Coupon.objects.get_or_create(
        code="BIENVENUE",
        defaults={"name": "Bienvenue : -20 % pendant 3 mois", "percent_bps": 2_000, "duration_periods": 3},
    )


# --- the demo agency on « Agence »: its 30-day trial began 30 days ago, so the next billing
# run converts it (its first paid invoice) ---

DEMO_PLAN = "agence"


def _seed_subscription(ctx) -> None:
    agency = (ctx.get("organizations") or {}).get("agency")
    if agency is None:
        return
    from .models import PlanVersion, Subscription
    from .services import subscriptions

    if Subscription.objects.filter(customer__organization_id=agency.pk).exists():
        return
    version = PlanVersion.objects.filter(plan__code=DEMO_PLAN, status="published").order_by("-number").first()
    if version is None:
        return
    from .services import run

    # its 30-day trial ended yesterday: today's billing run converts it, and its first paid
    # month's invoice (French PDF, TVA) waits on the billing page, payable with the sandbox
    subscriptions.subscribe(
        actor=None,  # the system: the demo
        organization_id=agency.pk,
        version=version,
        idempotency_key=f"demo:billing:subscribe:{agency.pk}",
        today=timezone.localdate() - timedelta(days=version.trial_days + 1),
    )
    run.billing_run(today=timezone.localdate(), collect=False)


# --- dunning: « Famille Adjovi » (a landlord) on « Essentiel » since 15 days ago; its first
# invoice, due 8 days ago, was never paid: the ladder has pushed to its saved mobile-money
# number on D+1, D+3 and D+7 (answer them on the sandbox's page), reminded it by SMS and
# e-mail with the pay link, and restricts it on D+14 unless it pays ---

DUNNING_DEMO_ORG = "landlord0"
DUNNING_DEMO_PLAN = "essentiel"
DUNNING_DEMO_PAYER = "+2290196000001"  # Mathieu Adjovi, known to the sandbox


def _seed_dunning(ctx) -> None:
    org = (ctx.get("organizations") or {}).get(DUNNING_DEMO_ORG)
    if org is None:
        return
    from .contracts import InvoiceStatus, PaymentMethodKind
    from .models import Invoice, PlanVersion
    from .services import dunning, subscriptions
    from .services.invoices import customer_for

    version = (
        PlanVersion.objects.filter(plan__code=DUNNING_DEMO_PLAN, status="published")
        .order_by("-number")
        .first()
    )
    if version is None:
        return
    today = timezone.localdate()
    customer = customer_for(org.pk)
    if not customer.payer_phone:
        customer.method = PaymentMethodKind.MOBILE_MONEY
        customer.payer_phone = DUNNING_DEMO_PAYER
        customer.provider = "sandbox"
        customer.save(update_fields=["method", "payer_phone", "provider", "updated_at"])
    sub = subscriptions.subscribe(
        actor=None,  # the system: the demo
        organization_id=org.pk,
        version=version,
        idempotency_key=f"demo:billing:dunning:{org.pk}",
        today=today - timedelta(days=15),
    )
    invoice = Invoice.objects.filter(subscription=sub, status=InvoiceStatus.OPEN).order_by("due_on").first()
    if invoice is None or invoice.due_on is None:
        return
    # the daily runs of the days gone by (each idempotent for its day)
    for day in sorted({invoice.due_on + timedelta(days=d) for d in (1, 3, 7)} | {today}):
        if day <= today:
            dunning.dunning_run(today=day)
    log.info("billing demo: %s's invoice %s walks the dunning ladder", org.name, invoice.number)


# --- metering: the demo agency's SMS (the rent notices and reminders it sent), metered from
# `notifications.MessageSent` as the outbox delivers them: they show on its billing page as
# the usage so far and are billed, in arrears, on the invoice that closes the period ---

DEMO_SMS = 42


def _seed_usage(ctx) -> None:
    agency = (ctx.get("organizations") or {}).get("agency")
    if agency is None:
        return
    from .services import metering

    now = timezone.now()
    for i in range(DEMO_SMS):
        metering.record_event(
            "notifications.MessageSent",
            {
                "message": f"demo-sms-{i}",
                "channel": "sms",
                "segments": 1 + i % 2,
                "template_key": "estate.rent_notice",
                "organization": str(agency.public_id),
            },
            f"demo:billing:sms:{i}",  # a second seed counts nothing
            now - timedelta(minutes=DEMO_SMS - i),
        )
