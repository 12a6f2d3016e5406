"""The nightly delinquency run over the active loans (docs/lending.md, "Delinquency,
restructuring and write-off"), set-based: a handful of statements whatever the size of the
book, the money by `ledger.transfer_many`, the events by `publish_many`, the reminders by
`notifications.send_many`.

1. bill what falls due (services/accounting.py `bill_due`: interest and fees become
   receivable on the due date);
2. age: each active loan's days past due (its oldest unpaid instalment of the current
   schedule) and bucket (current, 1-30, 31-60, 61-90, 90+), one UPDATE;
3. late fees: one per instalment, by the loan's product (`late_fee_fixed` + `late_fee_bps`
   of the instalment), charged `late_fee_after_days` after the due date: Dr the loan's
   account, Cr `lending.penalty_income`;
4. InstalmentLate for each loan that became late or moved to a worse bucket, and a reminder
   (notifications, bulk) for the same loans;
5. handover: the loans that reached LENDING_RECOVERY_BUCKET are recorded once (LoanHandover)
   and a recovery case is opened for each (recovery.api.open_loan_cases, one batch);
6. provisions: the allowance for losses (`lending.provisions`) set to the rate of each
   bucket (LENDING_PROVISION_BPS) times what the bucket owes, the change posted against
   `lending.provision_expense`; the day's aging snapshot (the PAR trend).

Every step is idempotent for the day: a re-run bills, charges, tells and posts nothing twice.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from apps.core.bulk import collector_paused
from apps.core.outbox import publish_many
from apps.ledger import api as ledger
from apps.ledger.contracts import Leg, TransferRequest
from apps.recovery.contracts import LoanCaseRequest

from ..contracts import Bucket, LoanStatus
from ..events import InstalmentLate
from ..models import AgingSnapshot, Instalment, Loan, LoanHandover, LoanProduct
from . import accounts

__all__ = [
    "BUCKET_ORDER",
    "NightlyResult",
    "age",
    "bucket_for",
    "charge_late_fees",
    "hand_over",
    "nightly_run",
    "provision",
    "provision_rates",
]

BUCKET_ORDER = (Bucket.CURRENT, Bucket.B1_30, Bucket.B31_60, Bucket.B61_90, Bucket.B90_PLUS)
RANK = {b.value: k for k, b in enumerate(BUCKET_ORDER)}
UNPAID = ["pending", "partly_paid"]
LATE_TEMPLATE = "lending.instalment_late"


def bucket_for(days_past_due: int) -> Bucket:
    if days_past_due <= 0:
        return Bucket.CURRENT
    if days_past_due <= 30:
        return Bucket.B1_30
    if days_past_due <= 60:
        return Bucket.B31_60
    if days_past_due <= 90:
        return Bucket.B61_90
    return Bucket.B90_PLUS


_BUCKET_SQL = (
    "CASE WHEN {d} <= 0 THEN 'current' WHEN {d} <= 30 THEN '1-30' WHEN {d} <= 60 THEN '31-60' "
    "WHEN {d} <= 90 THEN '61-90' ELSE '90+' END"
)


def provision_rates() -> dict[str, int]:
    return {b.value: int(settings.LENDING_PROVISION_BPS.get(b.value, 0)) for b in BUCKET_ORDER}


@dataclass
class NightlyResult:
    today: date
    billed: object = None  # what bill_due returned
    aged: int = 0  # loans that became late or moved to a worse bucket tonight
    late_events: int = 0  # InstalmentLate published
    late_fees: int = 0  # instalments charged a late fee
    late_fees_amount: dict = field(default_factory=dict)  # per currency
    reminders: int = 0
    handed_over: int = 0
    provisions: dict = field(default_factory=dict)  # currency -> (before, after)
    snapshots: int = 0
    seconds: dict = field(default_factory=dict)  # per step, wall clock


def _tables():
    user_table = Loan._meta.get_field("borrower").related_model._meta.db_table
    return {
        "loan": Loan._meta.db_table,
        "inst": Instalment._meta.db_table,
        "product": LoanProduct._meta.db_table,
        "user": user_table,
    }


def nightly_run(*, today: date | None = None) -> NightlyResult:
    """The whole night, in order: the billing commits on its own, then the aging, the late
    fees, the events and the reminders together, then the handover, then the provisions (a
    failure leaves the steps before it done; the re-run finishes the rest)."""
    today = today or timezone.localdate()
    result = NightlyResult(today=today)
    from .accounting import bill_due

    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.seconds[step] = round(now - clock, 3)
        clock = now

    result.billed = bill_due(today)
    lap("bill")
    with collector_paused():
        # one transaction from the aging to the reminders: a crash in between cannot leave a
        # loan aged (so never seen "changed" again) without its event and reminder
        with transaction.atomic():
            changed = age(today=today)
            result.aged = len(changed)
            lap("age")
            fees = charge_late_fees(today=today)
            result.late_fees = fees["count"]
            result.late_fees_amount = fees["amount"]
            lap("late_fees")
            result.late_events, result.reminders = notify_late(changed, today=today)
            lap("events_reminders")
        result.handed_over = hand_over(today=today)
        lap("handover")
        result.provisions, result.snapshots = provision(today=today)
        lap("provisions")
    return result


# --- 2. aging -----------------------------------------------------------------------------


def age(*, today: date) -> list[tuple[int, str, str, int, int]]:
    """Set each active loan's days past due and bucket; returns the loans that became late or
    moved to a worse bucket: (loan id, old bucket, new bucket, old dpd, new dpd)."""
    t = _tables()
    sql = f"""
        WITH oldest AS (
            SELECT i.loan_id, MIN(i.due_date) AS d
            FROM {t["inst"]} i JOIN {t["loan"]} l ON l.id = i.loan_id
            WHERE l.status = %(active)s AND NOT i.superseded AND i.status = ANY(%(unpaid)s)
              AND i.due_date < %(today)s
            GROUP BY i.loan_id
        ), target AS (
            SELECT l.id, l.bucket AS old_bucket, l.days_past_due AS old_dpd,
                   COALESCE(%(today)s - o.d, 0) AS dpd
            FROM {t["loan"]} l LEFT JOIN oldest o ON o.loan_id = l.id
            WHERE l.status = %(active)s
        )
        UPDATE {t["loan"]} l
        SET days_past_due = target.dpd, bucket = {_BUCKET_SQL.format(d="target.dpd")}
        FROM target
        WHERE l.id = target.id AND (l.days_past_due <> target.dpd
              OR l.bucket <> {_BUCKET_SQL.format(d="target.dpd")})
        RETURNING l.id, target.old_bucket, l.bucket, target.old_dpd, l.days_past_due
    """  # noqa: S608 -- table names from the models' meta, values as parameters
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, {"active": LoanStatus.ACTIVE.value, "unpaid": UNPAID, "today": today})
        rows = cursor.fetchall()
    return [r for r in rows if (r[3] == 0 and r[4] > 0) or RANK.get(r[2], 0) > RANK.get(r[1], 0)]


# --- 3. late fees -------------------------------------------------------------------------


def charge_late_fees(*, today: date) -> dict:
    """One late fee per unpaid instalment, `late_fee_after_days` after its due date, by the
    product: posted (Dr the loan, Cr penalty income) and added to the instalment's penalty
    and the loan's fees owed, in one transaction."""
    t = _tables()
    sql = f"""
        SELECT i.id, i.public_id, l.id, l.account, l.currency,
               p.late_fee_fixed + ((i.principal + i.interest + i.fee) * p.late_fee_bps) / 10000
        FROM {t["inst"]} i
        JOIN {t["loan"]} l ON l.id = i.loan_id
        JOIN {t["product"]} p ON p.id = l.product_id
        WHERE l.status = %(active)s AND l.account IS NOT NULL
          AND NOT i.superseded AND i.status = ANY(%(unpaid)s) AND i.penalty = 0
          AND (p.late_fee_fixed > 0 OR p.late_fee_bps > 0)
          AND i.due_date + p.late_fee_after_days <= %(today)s
        ORDER BY i.id
        FOR UPDATE OF i, l
    """  # noqa: S608
    count = 0
    amounts: dict[str, int] = defaultdict(int)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, {"active": LoanStatus.ACTIVE.value, "unpaid": UNPAID, "today": today})
            rows = [r for r in cursor.fetchall() if r[5] > 0]
        if not rows:
            return {"count": 0, "amount": {}}
        income = {cur: accounts.system("lending.penalty_income", cur) for cur in {r[4] for r in rows}}
        ledger.transfer_many(
            TransferRequest(
                idempotency_key=f"lending.late_fee:{pid}",
                code="lending_late_fee",
                legs=(Leg.debit(account, fee, cur), Leg.credit(income[cur], fee, cur)),
                reference=f"lending.Instalment:{pid}",
            )
            for _id, pid, _loan, account, cur, fee in rows
        )
        per_loan: dict[int, int] = defaultdict(int)
        for _id, _pid, loan_id, _account, cur, fee in rows:
            per_loan[loan_id] += fee
            amounts[cur] += fee
            count += 1
        with connection.cursor() as cursor:
            cursor.execute(
                f"""UPDATE {t["inst"]} i SET penalty = v.fee
                    FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, fee) WHERE i.id = v.id""",  # noqa: S608
                [[r[0] for r in rows], [r[5] for r in rows]],
            )
            cursor.execute(
                f"""UPDATE {t["loan"]} l SET fees_outstanding = l.fees_outstanding + v.fee
                    FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, fee) WHERE l.id = v.id""",  # noqa: S608
                [list(per_loan), list(per_loan.values())],
            )
    return {"count": count, "amount": dict(amounts)}


# --- 4. events and reminders --------------------------------------------------------------


def notify_late(changed, *, today: date) -> tuple[int, int]:
    """InstalmentLate (bulk, through the outbox) and a reminder per loan that became late or
    moved to a worse bucket today; the reminder's key (loan, instalment, bucket) sends it
    once even when the night is run again."""
    if not changed:
        return 0, 0
    from apps.notifications import api as notifications
    from apps.notifications.contracts import SendRequest

    t = _tables()
    ids = [r[0] for r in changed]
    sql = f"""
        SELECT DISTINCT ON (i.loan_id) i.loan_id, i.public_id, i.number, i.due_date,
               l.public_id, l.number, u.public_id, l.currency, l.bucket, l.days_past_due,
               SUM(i.principal + i.interest + i.fee + i.penalty
                   - i.paid_principal - i.paid_interest - i.paid_fee) OVER (PARTITION BY i.loan_id)
        FROM {t["inst"]} i
        JOIN {t["loan"]} l ON l.id = i.loan_id
        JOIN {t["user"]} u ON u.id = l.borrower_id
        WHERE i.loan_id = ANY(%(ids)s) AND NOT i.superseded AND i.status = ANY(%(unpaid)s)
          AND i.due_date < %(today)s
        ORDER BY i.loan_id, i.due_date, i.number
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": ids, "unpaid": UNPAID, "today": today})
        rows = cursor.fetchall()
    events = []
    notices = []
    for _loan_id, inst_pid, number, due_date, loan_pid, loan_number, borrower, cur, bucket, dpd, owed in rows:
        events.append(
            InstalmentLate(
                loan=str(loan_pid),
                borrower=str(borrower),
                number=number,
                due_date=due_date.isoformat(),
                days_late=dpd,
                bucket=bucket,
                amount_due=int(owed),
                currency=cur,
            )
        )
        notices.append(
            SendRequest(
                recipient=str(borrower),
                template_key=LATE_TEMPLATE,
                context={
                    "loan_number": loan_number,
                    "amount": {"amount": int(owed), "currency": cur},
                    "days_late": dpd,
                    "due_date": due_date.isoformat(),
                },
                idempotency_key=f"lending.late:{inst_pid}:{bucket}",
            )
        )
    with transaction.atomic():
        publish_many(events)
    sent = notifications.send_many(notices)
    return len(events), len(sent)


# --- 5. handover to recovery --------------------------------------------------------------


def hand_over(*, today: date) -> int:
    """The active loans at LENDING_RECOVERY_BUCKET or worse without a live recovery case:
    recorded once per loan (`LoanHandover`, what was owed, the bucket; the credit staff's
    worklist in the admin) and a loan case opened in recovery (`recovery.open_loan_cases`,
    one batch, idempotent per loan), its public id kept on the handover. A handful of
    queries for the night, whatever the size of the book; the loans not handed over are
    never read one by one. A loan restructured after its handover (its case closed, the
    handover's `case` emptied) is handed over again if it reaches the bucket again."""
    from apps.recovery import api as recovery

    threshold = RANK.get(settings.LENDING_RECOVERY_BUCKET, RANK[Bucket.B61_90.value])
    buckets = [b.value for b in BUCKET_ORDER if RANK[b.value] >= max(threshold, 1)]
    loans = list(
        Loan.objects.filter(status=LoanStatus.ACTIVE, bucket__in=buckets)
        .filter(Q(handover__isnull=True) | Q(handover__case__isnull=True))
        .select_related("borrower")
        .only(
            "id",
            "public_id",
            "number",
            "currency",
            "borrower_kind",
            "bucket",
            "principal_outstanding",
            "interest_outstanding",
            "fees_outstanding",
            "borrower__public_id",
            "borrower__full_name",
            "borrower__phone",
        )
    )
    if not loans:
        return 0
    from .repayments import lender_organization, repayment_page_url

    oldest = dict(
        Instalment.objects.filter(
            loan_id__in=[loan.pk for loan in loans], superseded=False, status__in=UNPAID
        )
        .values("loan_id")
        .annotate(oldest=Min("due_date"))
        .values_list("loan_id", "oldest")
    )
    lender = lender_organization().public_id
    requests = [
        LoanCaseRequest(
            organization=lender,
            loan=loan.public_id,
            loan_reference=loan.number,
            borrower=loan.borrower.public_id,
            borrower_name=loan.borrower.full_name,
            borrower_phone=str(loan.borrower.phone or ""),
            outstanding=loan.outstanding,
            currency=loan.currency,
            oldest_due_date=oldest.get(loan.pk),
            pay_url=repayment_page_url(loan),
        )
        for loan in loans
        if loan.outstanding > 0
    ]
    with transaction.atomic():
        LoanHandover.objects.bulk_create(
            [
                LoanHandover(loan=loan, bucket=loan.bucket, amount=loan.outstanding, handed_over_on=today)
                for loan in loans
            ],
            ignore_conflicts=True,
            batch_size=2000,
        )
        cases = recovery.open_loan_cases(requests, today=today)
        by_loan = {loan.pk: loan for loan in loans}
        handovers = list(LoanHandover.objects.filter(loan_id__in=list(by_loan), case__isnull=True))
        for row in handovers:
            loan = by_loan[row.loan_id]
            info = cases.get(loan.public_id)
            if info is None:
                continue
            row.case = info.public_id
            if row.handed_over_on != today:  # handed over again after a restructuring
                row.bucket, row.amount, row.handed_over_on = loan.bucket, loan.outstanding, today
        LoanHandover.objects.bulk_update(
            handovers, ["case", "bucket", "amount", "handed_over_on", "updated_at"], batch_size=2000
        )
    return len(loans)


# --- 6. provisions and the aging snapshot -------------------------------------------------


def book_by_bucket() -> dict[str, dict[str, tuple[int, int, int]]]:
    """{currency: {bucket: (loans, principal owed, owed)}} over the active loans: one query."""
    t = _tables()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT currency, bucket, COUNT(*), COALESCE(SUM(principal_outstanding), 0),
                       COALESCE(SUM(principal_outstanding + interest_outstanding + fees_outstanding), 0)
                FROM {t["loan"]} WHERE status = %s GROUP BY currency, bucket""",  # noqa: S608
            [LoanStatus.ACTIVE.value],
        )
        rows = cursor.fetchall()
    out: dict[str, dict[str, tuple[int, int, int]]] = defaultdict(dict)
    for cur, bucket, n, principal, owed in rows:
        out[cur][bucket] = (int(n), int(principal), int(owed))
    return dict(out)


def provision(*, today: date) -> tuple[dict, int]:
    """Set the allowance for losses to what each bucket's rate asks of what it owes (per
    currency, one transfer of the change), and keep the day's aging snapshot."""
    rates = provision_rates()
    book = book_by_bucket()
    changes: dict[str, tuple[int, int]] = {}
    snapshots: list[AgingSnapshot] = []
    currencies = set(book) | set(
        AgingSnapshot.objects.filter(day__lt=today).values_list("currency", flat=True).distinct()
    )
    with transaction.atomic():
        for cur in sorted(currencies):
            buckets = book.get(cur, {})
            target = 0
            for bucket in BUCKET_ORDER:
                n, principal, owed = buckets.get(bucket.value, (0, 0, 0))
                amount = owed * rates[bucket.value] // 10_000
                target += amount
                snapshots.append(
                    AgingSnapshot(
                        day=today,
                        currency=cur,
                        bucket=bucket.value,
                        loans=n,
                        principal=principal,
                        outstanding=owed,
                        provision=amount,
                    )
                )
            provisions = accounts.system("lending.provisions", cur)
            before = ledger.balance(account=provisions).posted
            changes[cur] = (before, target)
            delta = target - before
            if delta:
                expense = accounts.system("lending.provision_expense", cur)
                legs = (
                    (Leg.debit(expense, delta, cur), Leg.credit(provisions, delta, cur))
                    if delta > 0
                    else (Leg.debit(provisions, -delta, cur), Leg.credit(expense, -delta, cur))
                )
                ledger.transfer(
                    idempotency_key=f"lending.provisions:{cur}:{today.isoformat()}:{before}:{target}",
                    code="lending_provision",
                    legs=legs,
                    description=f"Allowance for loan losses on {today.isoformat()}",
                    reference=f"lending.provisions:{cur}",
                )
        AgingSnapshot.objects.filter(day=today).delete()
        AgingSnapshot.objects.bulk_create(snapshots)
    return changes, len(snapshots)
