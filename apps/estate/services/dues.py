"""Rent dues: issuing them (one lease, or the month-end run in set-based batches), their
statuses and late fees (daily), adjustments, write-offs and the rent receipt (quittance).

Issuing a due posts its accrual on the ledger in the same transaction (ledgering.py):
    D rent_receivable T; C owner_payable[owner] T - commission; C commission commission
(a deposit due: D rent_receivable T; C deposits_held T — an agency fee due has commission
T: all of it is the agency's).

The first month of a lease signed in Hokwe that starts after the 1st follows the lease's
`first_period_rule` (pro rata by day, a full month, or nothing until the next month), and
its due date is never before the start date. Still set-based: everything it needs is in
LEASE_VALUES.
"""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.logging import get_logger
from apps.core.outbox import publish
from apps.ledger import api as ledger

from .. import domain, metrics
from ..contracts import (
    MOVE_IN_KINDS,
    OPEN_DUE_STATUSES,
    AdjustmentKind,
    DueKind,
    DueStatus,
    FirstPeriodRule,
    LateFeePolicy,
    LeaseStatus,
)
from ..errors import InvalidInput, InvalidState, NegativeAmount
from ..events import RentDuesIssued
from ..models import DueAdjustment, Lease, LeaseTerms, MonthEndRun, PaymentAllocation, Quittance, RentDue
from . import ledgering
from .common import require, token

logger = get_logger("hokwe.estate")

MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def period_label(period: date, language: str = "fr") -> str:
    names = MONTHS_EN if (language or "fr").startswith("en") else MONTHS_FR
    return f"{names[period.month - 1]} {period.year}"


# --- building dues ------------------------------------------------------------------------------

LEASE_VALUES = (
    "id",
    "public_id",
    "organization_id",
    "organization__public_id",
    "unit__property__owner__public_id",
    "unit__property__mandate__commission_bps",
    "currency",
    "due_day",
    "grace_days",
    "rent",
    "charges",
    "credit",
    "start_date",
    "end_date",
    "first_period_rule",
    "paid_up_to",
)


def prorata(amount: int, days: int, days_in_month: int) -> int:
    """`amount` x days / days in the month, rounded half up (minor units)."""
    return (amount * days * 2 + days_in_month) // (2 * days_in_month)


def occupied_days(period: date, start: date, end: date | None) -> tuple[int, int]:
    """(days the lease covers in `period`, days in `period`)."""
    last = domain.month_end(period)
    first_day = max(start, period)
    last_day = min(end, last) if end else last
    return max((last_day - first_day).days + 1, 0), last.day


def is_partial_first_period(values: dict, period: date) -> bool:
    """The first month of a lease signed in Hokwe that starts after the 1st (an imported
    lease's months before its paid-up date are not billed: no rule applies to them)."""
    start = values["start_date"]
    return values.get("paid_up_to") is None and start.day != 1 and period == domain.month_start(start)


def first_period_amounts(values: dict, period: date, rent: int, charges: int) -> tuple[int, int] | None:
    """(rent, charges) billed for `period` under the lease's first-period rule; None: no due
    (rule `next` on the partial first month)."""
    if not is_partial_first_period(values, period):
        return rent, charges
    rule = values.get("first_period_rule") or FirstPeriodRule.PRORATA
    if rule == FirstPeriodRule.NEXT:
        return None
    if rule == FirstPeriodRule.FULL:
        return rent, charges
    days, in_month = occupied_days(period, values["start_date"], values.get("end_date"))
    return prorata(rent, days, in_month), prorata(charges, days, in_month)


def first_billed_period(lease: Lease) -> date:
    """The first month a rent due is issued for (before any paid-up date of an import)."""
    start = domain.month_start(lease.start_date)
    if (
        lease.paid_up_to is None
        and lease.start_date.day != 1
        and lease.first_period_rule == FirstPeriodRule.NEXT
    ):
        return domain.add_months(start, 1)
    return start


def _terms_at(lease_ids: list[int], period: date) -> dict[int, tuple[int, int]]:
    """{lease id: (rent, charges)} in force during `period`, one query for the batch."""
    best: dict[int, tuple[date, int, int]] = {}
    rows = LeaseTerms.objects.filter(
        lease_id__in=lease_ids, effective_from__lte=domain.month_end(period)
    ).values_list("lease_id", "effective_from", "rent", "charges")
    for lease_id, effective_from, rent, charges in rows:
        current = best.get(lease_id)
        if current is None or effective_from > current[0]:
            best[lease_id] = (effective_from, rent, charges)
    return {lease_id: (rent, charges) for lease_id, (_d, rent, charges) in best.items()}


def advance_through(lease: Lease) -> date:
    """The last month billed at signing as rent paid in advance: the first billed month plus
    the advance months (a partial first month billed pro rata or in full for a lease
    starting after the 1st is not one of them; with rule `next` they start the next month)."""
    first = first_billed_period(lease)
    advance = max(lease.advance_months, 1) - 1
    if (
        first == domain.month_start(lease.start_date)
        and lease.start_date.day != 1
        and lease.paid_up_to is None
        and lease.advance_months > 0
    ):
        advance += 1
    return domain.add_months(first, advance)


def move_in_invoice(lease: Lease) -> list[RentDue]:
    """The move-in invoice of a lease signed in Hokwe: its deposit and agency fee dues and
    its first rent dues (the first month, pro rata or not, and the advance months). Empty
    for an imported lease, a renewal, or a running lease entered after the month it started
    (without deposit or fee due). Oldest due date first: the order the money pays."""
    if lease.paid_up_to is not None or lease.renewed_from_id:
        return []
    dues = list(
        RentDue.objects.filter(lease=lease)
        .filter(
            Q(kind__in=MOVE_IN_KINDS)
            | Q(
                kind=DueKind.RENT,
                period__gte=domain.month_start(lease.start_date),
                period__lte=advance_through(lease),
            )
        )
        .select_related("lease")
        .order_by("due_date", "id")
    )
    entered_late = lease.start_date < domain.month_start(timezone.localtime(lease.created_at).date())
    if entered_late and not any(d.kind in MOVE_IN_KINDS for d in dues):
        return []  # a running lease entered by hand: its move-in was settled before Hokwe
    return dues


def _build_due(values: dict, period: date, terms: tuple[int, int] | None) -> RentDue | None:
    """The rent due of `period` (None: the lease's first month is not billed, rule `next`).
    Its due date is never before the lease's start."""
    rent, charges = terms or (values["rent"], values["charges"])
    amounts = first_period_amounts(values, period, rent, charges)
    if amounts is None:
        return None
    rent, charges = amounts
    due_date = domain.due_date_of(period, values["due_day"])
    if values.get("start_date") and due_date < values["start_date"]:
        due_date = values["start_date"]
    return RentDue(
        organization_id=values["organization_id"],
        lease_id=values["id"],
        period=period,
        due_date=due_date,
        grace_until=date.fromordinal(due_date.toordinal() + values["grace_days"]),
        rent=rent,
        charges=charges,
        adjustments=0,
        total=rent + charges,
        commission_bps=values["unit__property__mandate__commission_bps"] or 0,
        currency=values["currency"],
        status=DueStatus.UPCOMING,
        reference=f"LOY-{period:%Y-%m}-{values['id']:06d}",
        pay_token=token(),
    )


def _accrual_request(accounts: ledgering.Accounts, due: RentDue, values: dict):
    return ledgering.due_accrual_request(
        accounts,
        kind=due.kind,
        key=f"estate:due:{due.public_id}",
        code=DUE_CODES.get(due.kind, "rent_due"),
        org=values["organization__public_id"],
        owner=values["unit__property__owner__public_id"],
        amount=due.total,
        commission=domain.commission_of(due.total, due.commission_bps),
        currency=due.currency,
        reference=f"estate.RentDue:{due.public_id}",
        description=due.reference,
    )


def _insert(
    values_list: list[dict], period: date, accounts: ledgering.Accounts, *, source: str
) -> list[RentDue]:
    """Create the dues of `period` the leases do not have yet, and their ledger accruals,
    in the caller's transaction. A constant number of queries whatever the batch size."""
    if not values_list:
        return []
    ids = [v["id"] for v in values_list]
    existing = set(
        RentDue.objects.filter(lease_id__in=ids, period=period, kind=DueKind.RENT).values_list(
            "lease_id", flat=True
        )
    )
    todo = [v for v in values_list if v["id"] not in existing]
    if not todo:
        return []
    terms = _terms_at([v["id"] for v in todo], period)
    built = [(_build_due(v, period, terms.get(v["id"])), v) for v in todo]
    built = [(due, v) for due, v in built if due is not None]
    if not built:
        return []
    dues = [due for due, _v in built]
    RentDue.objects.bulk_create(dues)
    requests = [r for due, v in built if (r := _accrual_request(accounts, due, v))]
    if requests:
        ledger.transfer_many(requests)
    metrics.DUES_CREATED.labels(source=source).inc(len(dues))
    return dues


DUE_CODES = {
    DueKind.RENT: "rent_due",
    DueKind.OPENING: "rent_due",
    DueKind.DEPOSIT: "estate_deposit_due",
    DueKind.FEE: "estate_fee_due",
}
MOVE_IN_PREFIX = {DueKind.DEPOSIT: "CAU", DueKind.FEE: "FRA"}


def move_in_dues_issue(lease: Lease, *, today: date) -> list[RentDue]:
    """The move-in invoice's deposit and agency fee of a lease signed in Hokwe: one due
    each (kind `deposit`, `fee`), due at the start (or today, when signed later), posted on
    the ledger (deposit: C deposits_held; fee: all commission). Amounts of 0 get no due."""
    values = Lease.objects.filter(pk=lease.pk).values(*LEASE_VALUES).get()
    period = domain.month_start(lease.start_date)
    due_date = max(lease.start_date, today)
    grace = date.fromordinal(due_date.toordinal() + lease.grace_days)
    existing = set(RentDue.objects.filter(lease=lease, kind__in=MOVE_IN_KINDS).values_list("kind", flat=True))
    dues = []
    for kind, amount, bps in (
        (DueKind.DEPOSIT, lease.deposit_amount, 0),
        (DueKind.FEE, lease.agency_fee, 10_000),
    ):
        if amount <= 0 or kind in existing:
            continue
        dues.append(
            RentDue(
                organization_id=lease.organization_id,
                lease=lease,
                kind=kind,
                period=period,
                due_date=due_date,
                grace_until=grace,
                rent=amount,
                charges=0,
                adjustments=0,
                total=amount,
                commission_bps=bps,
                currency=lease.currency,
                status=DueStatus.UPCOMING,
                reference=f"{MOVE_IN_PREFIX[kind]}-{period:%Y-%m}-{lease.pk:06d}",
                pay_token=token(),
            )
        )
    if not dues:
        return []
    RentDue.objects.bulk_create(dues)
    accounts = ledgering.Accounts()
    requests = [r for due in dues if (r := _accrual_request(accounts, due, values))]
    if requests:
        ledger.transfer_many(requests)
    metrics.DUES_CREATED.labels(source="move_in").inc(len(dues))
    refresh_statuses(dues, today)
    return dues


def refresh_statuses(dues: list[RentDue], today: date | None = None) -> None:
    today = today or timezone.localdate()
    changed = []
    for due in dues:
        if due.status == DueStatus.WRITTEN_OFF:
            continue
        status = domain.due_status(
            today=today, due_date=due.due_date, grace_until=due.grace_until, total=due.total, paid=due.paid
        )
        if status != due.status:
            domain.DUE_STATES.check(due.status, status, field="status")
            due.status = status
            changed.append(due)
    if changed:
        RentDue.objects.bulk_update(changed, ["status"])


def dues_issue_for_lease(lease: Lease, *, through: date, today: date | None = None) -> list[RentDue]:
    """The dues of `lease` from its first month through `through` (a period) that do not
    exist yet — a new lease, a back-dated one (onboarding), or its advance months."""
    today = today or timezone.localdate()
    end = lease.end_date or domain.month_end(through)
    periods = [p for p in domain.periods_between(lease.start_date, min(end, domain.month_end(through)))]
    periods = [p for p in periods if p >= first_billed_period(lease)]
    if lease.paid_up_to is not None:  # imported: the months paid before Hokwe get no due
        periods = [p for p in periods if p > lease.paid_up_to]
    values = Lease.objects.filter(pk=lease.pk).values(*LEASE_VALUES).get()
    accounts = ledgering.Accounts()
    created: list[RentDue] = []
    for period in periods:
        created += _insert([values], period, accounts, source="lease")
    refresh_statuses(created, today)
    upcoming = [d for d in created if d.due_date >= today]
    past = [d for d in created if d.due_date < today]
    if created:
        publish(
            RentDuesIssued(
                period=(upcoming or past)[0].period.isoformat(),
                due_ids=[str(d.public_id) for d in upcoming],
                past_due_ids=[str(d.public_id) for d in past],
            )
        )
    return created


# --- the month-end run ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthEndResult:
    period: date
    leases: int
    created: int
    batches: int
    seconds: float


def _month_end_sql() -> str:
    """The set-based month-end statement (PostgreSQL): the batch's leases without their
    rent due for the period, their terms in force, the first-month rule — the same rules
    as `_build_due`, kept equal by tests/estate/test_month_end_set_based.py — inserted in
    one INSERT … SELECT; returns what the ledger accruals need, in lease order."""
    org_table = Lease._meta.get_field("organization").related_model._meta.db_table
    unit = Lease._meta.get_field("unit").related_model
    prop = unit._meta.get_field("property").related_model
    mandate = prop._meta.get_field("mandate").related_model
    return f"""
WITH src AS (
    SELECT l.id, l.organization_id, l.currency, l.grace_days, o.public_id AS org_public_id,
           ow.public_id AS owner_public_id, COALESCE(m.commission_bps, 0) AS bps,
           COALESCE(t.rent, l.rent) AS full_rent, COALESCE(t.charges, l.charges) AS full_charges,
           l.start_date, l.end_date,
           CASE WHEN l.paid_up_to IS NULL AND EXTRACT(DAY FROM l.start_date) <> 1
                     AND date_trunc('month', l.start_date)::date = %(period)s
                THEN COALESCE(l.first_period_rule, '') END AS partial_rule,
           GREATEST(%(period)s::date + (GREATEST(1, LEAST(l.due_day, 28)) - 1), l.start_date) AS due_date
    FROM {Lease._meta.db_table} l
    JOIN {org_table} o ON o.id = l.organization_id
    JOIN {unit._meta.db_table} u ON u.id = l.unit_id
    JOIN {prop._meta.db_table} p ON p.id = u.property_id
    JOIN {org_table} ow ON ow.id = p.owner_id
    LEFT JOIN {mandate._meta.db_table} m ON m.id = p.mandate_id
    LEFT JOIN LATERAL (
        SELECT lt.rent, lt.charges FROM {LeaseTerms._meta.db_table} lt
        WHERE lt.lease_id = l.id AND lt.effective_from <= %(last)s
        ORDER BY lt.effective_from DESC LIMIT 1
    ) t ON TRUE
    WHERE l.id = ANY(%(ids)s)
      AND NOT EXISTS (
          SELECT 1 FROM {RentDue._meta.db_table} d
          WHERE d.lease_id = l.id AND d.period = %(period)s AND d.kind = %(kind)s
      )
),
billed AS (
    SELECT src.*,
           CASE WHEN partial_rule IS NULL OR partial_rule = %(full)s THEN full_rent
                ELSE floor((full_rent * days * 2 + %(in_month)s)::numeric / (2 * %(in_month)s))::bigint
           END AS rent,
           CASE WHEN partial_rule IS NULL OR partial_rule = %(full)s THEN full_charges
                ELSE floor((full_charges * days * 2 + %(in_month)s)::numeric / (2 * %(in_month)s))::bigint
           END AS charges
    FROM src, LATERAL (
        SELECT GREATEST(LEAST(COALESCE(src.end_date, %(last)s), %(last)s)
                        - GREATEST(src.start_date, %(period)s) + 1, 0) AS days
    ) d
    WHERE partial_rule IS DISTINCT FROM %(next)s
),
ins AS (
    INSERT INTO {RentDue._meta.db_table} (
        public_id, created_at, updated_at, organization_id, lease_id, period, due_date,
        grace_until, rent, charges, adjustments, total, paid, commission_bps, currency,
        status, reference, pay_token, paid_at, kind
    )
    SELECT gen_random_uuid(), %(now)s, %(now)s, organization_id, id, %(period)s, due_date,
           due_date + grace_days, rent, charges, 0, rent + charges, 0, bps, currency,
           %(status)s,
           %(prefix)s || CASE WHEN id < 1000000 THEN lpad(id::text, 6, '0') ELSE id::text END,
           left(translate(encode(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()),
                                 'base64'), '+/', '-_'), 22),
           NULL, %(kind)s
    FROM billed ORDER BY id
    RETURNING public_id, lease_id, total, commission_bps, currency, reference
)
SELECT ins.public_id, ins.total, ins.commission_bps, ins.currency, ins.reference,
       src.org_public_id, src.owner_public_id
FROM ins JOIN src ON src.id = ins.lease_id
ORDER BY ins.lease_id
"""  # noqa: S608 - the models' table names, no input


@functools.cache
def _month_end_sql_cached() -> str:
    return _month_end_sql()


def _month_end_batch_sql(lease_ids: list[int], period: date, accounts: ledgering.Accounts) -> list:
    """PostgreSQL: the batch's dues in one INSERT … SELECT, their accruals in one
    `transfer_many`. Returns the new dues' public ids, in lease order."""
    last = domain.month_end(period)
    params = {
        "ids": lease_ids,
        "period": period,
        "last": last,
        "in_month": last.day,
        "kind": DueKind.RENT.value,
        "full": FirstPeriodRule.FULL.value,
        "next": FirstPeriodRule.NEXT.value,
        "status": DueStatus.UPCOMING.value,
        "prefix": f"LOY-{period:%Y-%m}-",
        "now": timezone.now(),
    }
    with connection.cursor() as cursor:
        cursor.execute(_month_end_sql_cached(), params)
        rows = cursor.fetchall()
    if not rows:
        return []
    code = DUE_CODES[DueKind.RENT]
    requests = []
    for public_id, total, bps, currency, reference, org, owner in rows:
        request = ledgering.due_accrual_request(
            accounts,
            kind=DueKind.RENT,
            key=f"estate:due:{public_id}",
            code=code,
            org=org,
            owner=owner,
            amount=total,
            commission=domain.commission_of(total, bps),
            currency=currency,
            reference=f"estate.RentDue:{public_id}",
            description=reference,
        )
        if request is not None:
            requests.append(request)
    if requests:
        ledger.transfer_many(requests)
    metrics.DUES_CREATED.labels(source="month_end").inc(len(rows))
    return [row[0] for row in rows]


def month_end_run(
    *, period: date | None = None, batch_size: int | None = None, set_based: bool | None = None
) -> MonthEndResult:
    """Create `period`'s dues (default: next month) for every active lease, in batches of
    `batch_size` leases, each batch one transaction with a constant number of queries.
    Idempotent: a second run creates nothing; a crashed run resumes where it stopped.
    On PostgreSQL a batch's dues are one INSERT … SELECT (`set_based`, the default there);
    elsewhere (the embedded SQLite profile), or with `set_based=False`, they are built in
    Python from the batch's read (`_insert`, the path single leases use) — same dues."""
    from .collections import credit_apply

    if set_based is None:
        set_based = connection.vendor == "postgresql"

    today = timezone.localdate()
    period = domain.month_start(period or domain.add_months(today, 1))
    batch_size = batch_size or settings.ESTATE_MONTH_END_BATCH_SIZE
    started = time.perf_counter()
    run, _created = MonthEndRun.objects.get_or_create(period=period)
    MonthEndRun.objects.filter(pk=run.pk).update(started_at=timezone.now(), finished_at=None)
    active = (
        Lease.objects.filter(status=LeaseStatus.ACTIVE, start_date__lte=domain.month_end(period))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period))
        .filter(Q(paid_up_to__isnull=True) | Q(paid_up_to__lt=period))
        .order_by("id")
    )
    last_id, leases, created, batches = 0, 0, 0, 0
    accounts = ledgering.Accounts()
    while True:
        with transaction.atomic():
            # One run per period at a time: a concurrent run waits here, then finds the
            # batch's dues already there.
            MonthEndRun.objects.select_for_update().filter(pk=run.pk).first()
            if set_based:
                rows = list(active.filter(id__gt=last_id).values_list("id", "credit")[:batch_size])
                if not rows:
                    break
                issued = _month_end_batch_sql([r[0] for r in rows], period, accounts)
            else:
                rows = [
                    (v["id"], v["credit"], v)
                    for v in active.filter(id__gt=last_id).values(*LEASE_VALUES)[:batch_size]
                ]
                if not rows:
                    break
                dues = _insert([r[2] for r in rows], period, accounts, source="month_end")
                issued = [d.public_id for d in dues]
            if issued and settings.ESTATE_SEND_NOTICES:
                publish(RentDuesIssued(period=period.isoformat(), due_ids=[str(p) for p in issued]))
            with_credit = [r[0] for r in rows if r[1] > 0]
            for lease_id in with_credit:  # rare: tenants who paid ahead
                credit_apply(lease_id=lease_id)
        last_id = rows[-1][0]
        leases += len(rows)
        created += len(issued)
        batches += 1
        metrics.MONTH_END_BATCHES.inc()
        logger.info(
            "estate_month_end_progress",
            period=period.isoformat(),
            batch=batches,
            leases=leases,
            dues_created=created,
        )
    seconds = time.perf_counter() - started
    MonthEndRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(),
        leases_seen=leases,
        dues_created=F("dues_created") + created,
        batches=batches,
    )
    metrics.MONTH_END_SECONDS.observe(seconds)
    metrics.MONTH_END_LAST_LEASES.set(leases)
    logger.info(
        "estate_month_end_done",
        period=period.isoformat(),
        leases=leases,
        dues_created=created,
        seconds=round(seconds, 2),
    )
    return MonthEndResult(period=period, leases=leases, created=created, batches=batches, seconds=seconds)


# --- statuses and late fees (daily) --------------------------------------------------------------


def dues_refresh(*, today: date | None = None) -> dict:
    """Move statuses with the calendar (set-based) and add the late fees earned so far."""
    today = today or timezone.localdate()
    open_unpaid = Q(paid__lt=F("total"))
    became_overdue = RentDue.objects.filter(
        open_unpaid,
        status__in=[DueStatus.UPCOMING, DueStatus.DUE, DueStatus.PARTIALLY_PAID],
        grace_until__lt=today,
    ).update(status=DueStatus.OVERDUE)
    became_due = RentDue.objects.filter(status=DueStatus.UPCOMING, paid=0, due_date__lte=today).update(
        status=DueStatus.DUE
    )
    fees = 0
    overdue = (
        RentDue.objects.filter(status=DueStatus.OVERDUE)
        .exclude(lease__late_fee_policy=LateFeePolicy.NONE)
        .exclude(kind__in=MOVE_IN_KINDS)  # late fees are the rent's: never on a deposit or fee
        .values_list("id", flat=True)
    )
    for due_id in overdue.iterator(chunk_size=500):
        fees += late_fee_apply(due_id=due_id, today=today)
    return {"overdue": became_overdue, "due": became_due, "late_fees": fees}


def late_fee_apply(*, due_id: int, today: date) -> int:
    """Bring the due's late fee up to what its policy says today (never down; capped)."""
    with transaction.atomic():
        due = RentDue.objects.select_for_update().select_related("lease").get(pk=due_id)
        if due.status != DueStatus.OVERDUE or due.kind in MOVE_IN_KINDS:
            return 0
        lease = due.lease
        target = domain.late_fee(
            policy=lease.late_fee_policy,
            value=lease.late_fee_value,
            cap=lease.late_fee_cap,
            base=due.rent + due.charges,
            days_late=domain.days_after(today, due.grace_until),
        )
        charged = sum(a.amount for a in due.adjustment_rows.filter(kind=AdjustmentKind.LATE_FEE))
        if target <= charged:
            return 0
        _adjust(due, kind=AdjustmentKind.LATE_FEE, amount=target - charged, label=_("Late fee"), actor=None)
        return target - charged


# --- adjustments, write-offs ----------------------------------------------------------------------


def _owner_and_org(due: RentDue):
    lease = due.lease
    return lease.organization.public_id, lease.unit.property.owner.public_id


def _adjust(due: RentDue, *, kind: str, amount: int, label: str, actor) -> DueAdjustment:
    """Change the due's total (locked) and post the difference on the ledger."""
    from .collections import move_excess_to_credit

    signed = -amount if kind == AdjustmentKind.DISCOUNT else amount
    old_total = due.total
    new_total = old_total + signed
    if new_total < 0:
        raise InvalidInput(_("A discount cannot exceed the amount of the due."), field="amount")
    if new_total < due.paid:
        move_excess_to_credit(due, new_total=new_total)
    row = DueAdjustment.objects.create(due=due, kind=kind, amount=amount, label=label[:200], created_by=actor)
    org, owner = _owner_and_org(due)
    row.ledger_transfer = ledgering.post(
        ledgering.due_accrual_request(
            ledgering.Accounts(),
            kind=due.kind,
            key=f"estate:adjustment:{row.public_id}",
            code=f"rent_{kind}",
            org=org,
            owner=owner,
            amount=signed,
            commission=domain.commission_of(new_total, due.commission_bps)
            - domain.commission_of(old_total, due.commission_bps),
            currency=due.currency,
            reference=f"estate.RentDue:{due.public_id}",
            description=label,
        )
    )
    row.save(update_fields=["ledger_transfer"])
    due.adjustments += signed
    due.total = new_total
    due.save(update_fields=["adjustments", "total", "updated_at"])
    refresh_statuses([due])
    if due.status == DueStatus.PAID and not Quittance.objects.filter(due=due).exists():
        from .collections import quittance_issue

        quittance_issue(due)
    return row


def due_adjust(*, actor, due: RentDue, kind: str, amount: int, label: str = "") -> DueAdjustment:
    require(actor, "estate.finance.manage", due)
    if kind not in AdjustmentKind.__members__.values():
        raise InvalidInput(_("Unknown adjustment kind."), field="kind")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise NegativeAmount(field="amount")
    with transaction.atomic():
        due = (
            RentDue.objects.select_for_update()
            .select_related("lease__organization", "lease__unit__property__owner")
            .get(pk=due.pk)
        )
        if due.status not in OPEN_DUE_STATUSES and not (
            due.status == DueStatus.PAID and kind != AdjustmentKind.DISCOUNT
        ):
            raise InvalidState(_("A paid or written-off due cannot be discounted."), field="kind")
        return _adjust(due, kind=kind, amount=amount, label=label or str(kind), actor=actor)


def due_write_off(*, actor, due: RentDue, reason: str = "") -> RentDue:
    """Give up what is still owed on the due (the ledger accrual of that part is reversed)."""
    require(actor, "estate.finance.manage", due)
    with transaction.atomic():
        due = (
            RentDue.objects.select_for_update()
            .select_related("lease__organization", "lease__unit__property__owner")
            .get(pk=due.pk)
        )
        if due.status not in OPEN_DUE_STATUSES:
            raise InvalidState(_("Only an open due can be written off."))
        _write_off(due, reason=reason or _("Written off"))
        return due


def _write_off(due: RentDue, *, reason: str) -> None:
    left = due.outstanding
    if left:
        org, owner = _owner_and_org(due)
        ledgering.post(
            ledgering.due_accrual_request(
                ledgering.Accounts(),
                kind=due.kind,
                key=f"estate:writeoff:{due.public_id}",
                code="rent_write_off",
                org=org,
                owner=owner,
                amount=-left,
                commission=domain.commission_of(due.paid, due.commission_bps)
                - domain.commission_of(due.total, due.commission_bps),
                currency=due.currency,
                reference=f"estate.RentDue:{due.public_id}",
                description=reason,
            )
        )
    domain.DUE_STATES.check(due.status, DueStatus.WRITTEN_OFF, field="status")
    due.status = DueStatus.WRITTEN_OFF
    due.save(update_fields=["status", "updated_at"])


def dues_cancel_after(lease: Lease, *, end_date: date) -> int:
    """A lease ended: what is still owed on its dues of later periods is written off (the
    same write-off as `due_write_off`: the unpaid part's accrual is reversed on the ledger).
    A later month the tenant partly paid is written off for the rest, its paid part kept, as
    a fully paid later month is kept (the deposit settlement is where money goes back)."""
    later = (
        RentDue.objects.select_for_update()
        .filter(lease=lease, period__gt=end_date, status__in=OPEN_DUE_STATUSES)
        .select_related("lease__organization", "lease__unit__property__owner")
    )
    count = 0
    for due in later:
        _write_off(due, reason=_("Lease ended"))
        count += 1
    return count


def dues_cancel_from(lease: Lease, *, period: date) -> int:
    """A lease renewed from `period`: the renewal bills those months, so the old lease's
    dues of `period` and later are taken back entirely — what was paid on them becomes the
    tenant's credit on the old lease (never lost; lease_renew carries it to the new lease),
    their receipts are voided, and each due is written off (its accrual reversed)."""
    from .collections import _credit

    later = (
        RentDue.objects.select_for_update()
        .filter(lease=lease, period__gte=period)
        .exclude(status=DueStatus.WRITTEN_OFF)
        .exclude(kind__in=MOVE_IN_KINDS)
        .select_related("lease__organization", "lease__unit__property__owner")
        .order_by("period")
    )
    count = 0
    for due in later:
        if due.paid:
            paid = due.paid
            PaymentAllocation.objects.create(
                due=due,
                payment=None,
                amount=-paid,
                commission=-domain.commission_of(paid, due.commission_bps),
                from_credit=True,
                applied_on=timezone.localdate(),
            )
            due.paid, due.paid_at = 0, None
            due.save(update_fields=["paid", "paid_at", "updated_at"])
            refresh_statuses([due])
            from ..vault import withdraw_quittances_of_due

            withdraw_quittances_of_due(due)
            Quittance.objects.filter(due=due, voided_at__isnull=True).update(
                voided_at=timezone.now(), void_reason="lease renewed"
            )
            _credit(lease, paid, due=due, reason="renewal: paid for a month the renewal bills")
        _write_off(due, reason=_("Lease renewed"))
        from ..vault import withdraw_notices

        withdraw_notices([due.public_id])
        count += 1
    return count


def by_lease(dues) -> dict[int, list[RentDue]]:
    out: dict[int, list[RentDue]] = defaultdict(list)
    for due in dues:
        out[due.lease_id].append(due)
    return out
