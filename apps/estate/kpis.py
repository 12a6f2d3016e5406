"""Estate's business figures (apps/core/kpis.py; analytics keeps them, docs/analytics.md).

Events -> facts, a batch at a time (one query per batch for the dues', payments' and leases'
places: property and owner):

    RentDuesIssued      rent.expected        rent + charges of each rent due, on its due date
    RentPaymentApplied  rent.collected       the payment, on the day received, by method
                        rent.commission      the agency's share of what it paid
    RentDuePaid         rent.paid_on_time    the due, paid by the end of its grace days
                        rent.paid_within_30  paid within 30 days of its due date
                        rent.days_to_pay     days from the avis (the due's issue) to payment
    LeaseSigned / LeaseEnded  leases.signed / leases.ended

Nightly snapshots of a day: units.total_days and units.occupied_days (unit-days: a month's
occupancy rate and its vacancy days), arrears.balance by age (gauge), deposits.held (gauge).
DERIVE re-computes a day's rent.expected and rent.collected from the rows (the drift check).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.kpis import Fact, Metric, Source
from apps.ledger import api as ledger

from .contracts import DueKind, DueStatus, LeaseStatus, UnitStatus
from .events import LeaseEnded, LeaseSigned, RentDuePaid, RentDuesIssued, RentPaymentApplied
from .models import Lease, PaymentAllocation, RentDue, RentPayment, Unit

EXPECTED_KINDS = (DueKind.RENT, DueKind.OPENING)
OPEN = (DueStatus.DUE, DueStatus.PARTIALLY_PAID, DueStatus.OVERDUE)
AGE_BUCKETS = ((30, "0-30"), (60, "31-60"), (90, "61-90"))

METRICS = [
    Metric("rent.expected", _("Rent expected"), help=_("Rent and charges of the dues, on their due date.")),
    Metric("rent.collected", _("Rent collected"), help=_("Payments received, by method.")),
    Metric("rent.commission", _("Commission earned"), help=_("The agency's share of the rent collected.")),
    Metric(
        "rent.paid_on_time",
        _("Rent paid on time"),
        help=_("Dues paid in full by the end of their grace days."),
    ),
    Metric(
        "rent.paid_within_30",
        _("Rent paid within 30 days"),
        help=_("Dues paid within 30 days of their due date."),
    ),
    Metric("rent.days_to_pay", _("Days to pay after the notice"), unit="days"),
    Metric("leases.signed", _("Leases signed"), unit="count"),
    Metric("leases.ended", _("Leases ended"), unit="count"),
    Metric("units.total_days", _("Unit-days"), unit="days"),
    Metric("units.occupied_days", _("Occupied unit-days"), unit="days"),
    Metric("arrears.balance", _("Arrears by age"), kind="gauge"),
    Metric("deposits.held", _("Deposits held"), kind="gauge"),
    Metric(
        "dues.receivable",
        _("Owed by tenants"),
        kind="gauge",
        help=_("What the tenants owe, net of their credit: the ledger's rent receivable."),
    ),
]


def _places_of_leases(lease_ids) -> dict[str, tuple[str, str, str]]:
    """lease public id -> (organization, property, owner) public ids: one query."""
    rows = Lease.objects.filter(public_id__in=list(lease_ids)).values_list(
        "public_id",
        "organization__public_id",
        "unit__property__public_id",
        "unit__property__owner__public_id",
    )
    return {str(lease): (str(org), str(prop), str(owner)) for lease, org, prop, owner in rows}


def _expected(events: list[RentDuesIssued]):
    ids = {d for e in events for d in (*e.due_ids, *e.past_due_ids)}
    dues = {
        str(row["public_id"]): row
        for row in RentDue.objects.filter(public_id__in=list(ids), kind__in=EXPECTED_KINDS).values(
            "public_id",
            "rent",
            "charges",
            "currency",
            "due_date",
            "organization__public_id",
            "lease__unit__property__public_id",
            "lease__unit__property__owner__public_id",
        )
    }
    for event in events:
        yield [
            Fact(
                "rent.expected",
                organization=str(row["organization__public_id"]),
                day=row["due_date"],
                value=row["rent"] + row["charges"],
                currency=row["currency"],
                property=str(row["lease__unit__property__public_id"]),
                owner=str(row["lease__unit__property__owner__public_id"]),
            )
            for row in (dues.get(d) for d in (*event.due_ids, *event.past_due_ids))
            if row is not None
        ]


def _collected(events: list[RentPaymentApplied]):
    places = _places_of_leases({e.lease_id for e in events})
    commission = dict(
        PaymentAllocation.objects.filter(payment__public_id__in=[e.payment_id for e in events])
        .values("payment__public_id")
        .annotate(c=Sum("commission"))
        .values_list("payment__public_id", "c")
    )
    for event in events:
        place = places.get(event.lease_id)
        if place is None:
            yield []
            continue
        org, prop, owner = place
        day = date.fromisoformat(event.received_on)
        common = {
            "organization": org,
            "day": day,
            "currency": event.currency,
            "property": prop,
            "owner": owner,
        }
        facts = [Fact("rent.collected", value=event.amount, dimension=event.method, **common)]
        share = commission.get(_uuid(event.payment_id)) or 0
        if share:
            facts.append(Fact("rent.commission", value=int(share), **common))
        yield facts


def _uuid(value):
    from uuid import UUID

    return UUID(str(value))


def _paid(events: list[RentDuePaid]):
    ids = [e.due_id for e in events]
    rows = {
        str(row["public_id"]): row
        for row in RentDue.objects.filter(public_id__in=ids).values(
            "public_id",
            "kind",
            "total",
            "currency",
            "due_date",
            "grace_until",
            "created_at",
            "organization__public_id",
            "lease__unit__property__public_id",
            "lease__unit__property__owner__public_id",
        )
    }
    # paid on: the day the money that settled it was received (a back-dated payment counts
    # on its own day, not on the day it was recorded)
    paid_on = dict(
        PaymentAllocation.objects.filter(due__public_id__in=ids, amount__gt=0)
        .values("due__public_id")
        .annotate(day=Max("applied_on"))
        .values_list("due__public_id", "day")
    )
    for event in events:
        row = rows.get(event.due_id)
        day = paid_on.get(_uuid(event.due_id))
        if row is None or row["kind"] not in EXPECTED_KINDS or day is None:
            yield []
            continue
        common = {
            "organization": str(row["organization__public_id"]),
            "day": day,
            "property": str(row["lease__unit__property__public_id"]),
            "owner": str(row["lease__unit__property__owner__public_id"]),
        }
        money = {"value": row["total"], "currency": row["currency"]}
        facts = []
        if day <= row["grace_until"]:
            facts.append(Fact("rent.paid_on_time", **money, **common))
        if day <= row["due_date"] + timedelta(days=30):
            facts.append(Fact("rent.paid_within_30", **money, **common))
        issued = timezone.localdate(row["created_at"])
        facts.append(Fact("rent.days_to_pay", value=max(0, (day - issued).days), **common))
        yield facts


def _lease_facts(metric: str):
    def facts(events):
        places = _places_of_leases({e.lease_id for e in events})
        days = dict(
            Lease.objects.filter(public_id__in=[e.lease_id for e in events]).values_list(
                "public_id", "start_date"
            )
        )
        for event in events:
            place = places.get(event.lease_id)
            if place is None:
                yield []
                continue
            org, prop, owner = place
            day = (
                date.fromisoformat(event.end_date)
                if metric == "leases.ended"
                else days[_uuid(event.lease_id)]
            )
            yield [Fact(metric, organization=org, day=day, property=prop, owner=owner)]

    return facts


SOURCES = [
    Source(RentDuesIssued, _expected),
    Source(RentPaymentApplied, _collected),
    Source(RentDuePaid, _paid),
    Source(LeaseSigned, _lease_facts("leases.signed")),
    Source(LeaseEnded, _lease_facts("leases.ended")),
]


# --- nightly snapshots ---------------------------------------------------------------------


def occupancy_snapshot(day: date):
    """Each property's units that day (one row per property): unit-days, occupied unit-days."""
    rows = (
        Unit.objects.filter(property__is_active=True)
        .values("organization__public_id", "property__public_id", "property__owner__public_id")
        .annotate(total=Count("id"), occupied=Count("id", filter=Q(status=UnitStatus.OCCUPIED)))
    )
    for row in rows.iterator(chunk_size=2000):
        place = {
            "organization": str(row["organization__public_id"]),
            "day": day,
            "property": str(row["property__public_id"]),
            "owner": str(row["property__owner__public_id"]),
        }
        yield Fact("units.total_days", value=row["total"], count=0, **place)
        yield Fact("units.occupied_days", value=row["occupied"], count=0, **place)


def _bucket(days_late: int) -> str:
    for limit, label in AGE_BUCKETS:
        if days_late <= limit:
            return label
    return "90+"


def arrears_snapshot(day: date):
    """What is overdue that day, by age of the due (past its due date), per property; and the
    deposits held on live leases."""
    late: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    rows = RentDue.objects.filter(status__in=OPEN, due_date__lt=day).values_list(
        "organization__public_id",
        "lease__unit__property__public_id",
        "lease__unit__property__owner__public_id",
        "currency",
        "due_date",
        "total",
        "paid",
    )
    for org, prop, owner, currency, due_date, total, paid in rows.iterator(chunk_size=5000):
        if total - paid <= 0:
            continue
        cell = late[(str(org), str(prop), str(owner), currency, _bucket((day - due_date).days))]
        cell[0] += total - paid
        cell[1] += 1
    for (org, prop, owner, currency, bucket), (value, count) in late.items():
        yield Fact(
            "arrears.balance",
            organization=org,
            day=day,
            value=value,
            count=count,
            currency=currency,
            property=prop,
            owner=owner,
            dimension=bucket,
        )
    deposits = (
        Lease.objects.filter(status=LeaseStatus.ACTIVE, deposit_paid__gt=0)
        .values(
            "organization__public_id",
            "unit__property__public_id",
            "unit__property__owner__public_id",
            "currency",
        )
        .annotate(held=Sum("deposit_paid"), n=Count("id"))
    )
    for row in deposits.iterator(chunk_size=2000):
        yield Fact(
            "deposits.held",
            organization=str(row["organization__public_id"]),
            day=day,
            value=int(row["held"]),
            count=row["n"],
            currency=row["currency"],
            property=str(row["unit__property__public_id"]),
            owner=str(row["unit__property__owner__public_id"]),
        )


def receivable_snapshot(day: date):
    """What each organization's tenants owe that night, net of their credit (every due not
    written off): the figure the ledger's rent_receivable must hold (RECONCILE)."""
    owed = (
        RentDue.objects.exclude(status=DueStatus.WRITTEN_OFF)
        .values("organization__public_id", "currency")
        .annotate(t=Sum("total"), p=Sum("paid"))
    )
    credit = {
        (str(org), cur): int(c or 0)
        for org, cur, c in Lease.objects.filter(credit__gt=0)
        .values("organization__public_id", "currency")
        .annotate(c=Sum("credit"))
        .values_list("organization__public_id", "currency", "c")
    }
    for row in owed.iterator(chunk_size=2000):
        org, cur = str(row["organization__public_id"]), row["currency"]
        yield Fact(
            "dues.receivable",
            organization=org,
            day=day,
            value=int(row["t"] or 0) - int(row["p"] or 0) - credit.get((org, cur), 0),
            count=0,
            currency=cur,
        )


SNAPSHOTS = [occupancy_snapshot, arrears_snapshot, receivable_snapshot]


def ledger_receivable(day: date, organizations):
    """The ledger's side of dues.receivable: each organization's rent_receivable balance (the
    stored totals, one read an account). Compared with the snapshot by analytics each night."""
    for organization in organizations:
        for account in ledger.organization_accounts(organization=_uuid(organization)):
            if account.code == "rent_receivable":
                yield Fact(
                    "dues.receivable",
                    organization=str(organization),
                    day=day,
                    value=ledger.balance(account=account.public_id).posted,
                    count=0,
                    currency=account.currency,
                )


RECONCILE = ledger_receivable


# --- the drift check -----------------------------------------------------------------------


def derive_day(day: date):
    """The day's rent.expected and rent.collected again, from the rows (organization level)."""
    expected = (
        RentDue.objects.filter(due_date=day, kind__in=EXPECTED_KINDS)
        .values("organization__public_id", "currency")
        .annotate(v=Sum("rent"), c2=Sum("charges"), n=Count("id"))
    )
    for row in expected:
        yield Fact(
            "rent.expected",
            organization=str(row["organization__public_id"]),
            day=day,
            value=int(row["v"] or 0) + int(row["c2"] or 0),
            count=row["n"],
            currency=row["currency"],
        )
    collected = (
        RentPayment.objects.filter(received_on=day)
        .values("organization__public_id", "currency", "method")
        .annotate(v=Sum("amount"), n=Count("id"))
    )
    for row in collected:
        yield Fact(
            "rent.collected",
            organization=str(row["organization__public_id"]),
            day=day,
            value=int(row["v"] or 0),
            count=row["n"],
            currency=row["currency"],
            dimension=row["method"],
        )


DERIVE = derive_day
