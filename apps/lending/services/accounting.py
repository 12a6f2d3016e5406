"""What falls due becomes receivable (docs/lending.md, "Accounting").

The loan's account (services/accounts.py) is debited with the whole principal at
disbursement. Interest and the per-instalment fee are not owed until their instalment falls
due: then they are billed — one ledger transfer per instalment,

    Dr lending.loan.<loan>          interest + fee
    Cr lending.interest_income      interest
    Cr lending.fee_income           fee

under the key `lending:bill:<instalment public id>`, with an `InstalmentBilling` row and
the loan's `interest_outstanding` / `fees_outstanding` raised by the same amounts, in one
database transaction. The row makes it idempotent: a billed instalment is never billed
again, whoever bills it (the nightly `bill_due`, a repayment that bills what is due before
it allocates, or a payoff that bills the current period accrued to the day).

    bill_due(today)              the nightly run, set-based: every due, unbilled instalment of
                                 the active loans, in chunks (one `transfer_many`, one
                                 `bulk_create`, one UPDATE of the loans per chunk)
    bill_loan(loan, today)       the same for one loan (the caller holds the loan's lock)
    bill_accrued(loan, line, …)  a payoff: the current period's interest and fee, to the day

Late fees (penalties), provisions and write-offs are posted by the delinquency services
through the same chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from apps.ledger import api as ledger
from apps.ledger.contracts import Leg, TransferRequest

from ..contracts import LoanStatus
from ..models import Instalment, InstalmentBilling, Loan
from .accounts import system

__all__ = ["CODE_BILL", "BillResult", "bill_accrued", "bill_due", "bill_loan", "billing_key", "billed"]

CODE_BILL = "lending_instalment_due"
OPEN = (Instalment.Status.PENDING, Instalment.Status.PARTLY_PAID)
BATCH = 5_000


@dataclass(frozen=True)
class BillResult:
    instalments: int  # billed now (rows created)
    loans: int
    interest: int  # summed over currencies: a count for the logs, not money to show
    fees: int


def billing_key(instalment_public_id) -> str:
    return f"lending:bill:{instalment_public_id}"


def billed():
    """An `Exists` to annotate instalments with: True once the instalment is billed."""
    return Exists(InstalmentBilling.objects.filter(instalment_id=OuterRef("pk")))


def _due_unbilled(today: date):
    return Instalment.objects.filter(
        superseded=False, due_date__lte=today, status__in=OPEN, loan__status=LoanStatus.ACTIVE
    ).filter(~billed())


def _income_accounts(currencies, cache: dict) -> dict:
    for currency in currencies:
        if currency not in cache:
            cache[currency] = (
                system("lending.interest_income", currency),
                system("lending.fee_income", currency),
            )
    return cache


def _bill_rows(
    rows: list[dict], today: date, *, accrued: bool = False, cache: dict | None = None
) -> BillResult:
    """Bill `rows` (dicts: id, public_id, loan_id, account, currency, number, interest, fee),
    whose loans the caller has locked. One transfer per row with something to bill."""
    if not rows:
        return BillResult(0, 0, 0, 0)
    accounts = _income_accounts({r["currency"] for r in rows}, cache if cache is not None else {})
    requests, billings, per_loan = [], [], {}
    for r in rows:
        interest, fee = r["interest"], r["fee"]
        key = billing_key(r["public_id"])
        if interest or fee:
            interest_income, fee_income = accounts[r["currency"]]
            legs = [Leg.debit(r["account"], interest + fee, r["currency"])]
            if interest:
                legs.append(Leg.credit(interest_income, interest, r["currency"]))
            if fee:
                legs.append(Leg.credit(fee_income, fee, r["currency"]))
            requests.append(
                TransferRequest(
                    idempotency_key=key,
                    code=CODE_BILL,
                    legs=tuple(legs),
                    description=f"Instalment {r['number']} due, loan {r['loan_number']}",
                    reference=f"lending.Instalment:{r['public_id']}",
                )
            )
            got = per_loan.setdefault(r["loan_id"], [0, 0])
            got[0] += interest
            got[1] += fee
        billings.append(
            InstalmentBilling(
                instalment_id=r["id"],
                loan_id=r["loan_id"],
                interest=interest,
                fee=fee,
                billed_on=today,
                accrued=accrued,
                transfer_key=key,
            )
        )
    with transaction.atomic():
        InstalmentBilling.objects.bulk_create(billings)
        if requests:
            ledger.transfer_many(requests)
        if per_loan:
            ids = list(per_loan)
            with connection.cursor() as cursor:
                cursor.execute(
                    """UPDATE lending_loan AS l
                        SET interest_outstanding = l.interest_outstanding + v.i,
                            fees_outstanding = l.fees_outstanding + v.f,
                            updated_at = %s
                        FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[]) AS v(id, i, f)
                        WHERE l.id = v.id""",
                    [
                        timezone.now(),
                        ids,
                        [per_loan[i][0] for i in ids],
                        [per_loan[i][1] for i in ids],
                    ],
                )
    return BillResult(
        instalments=len(billings),
        loans=len({r["loan_id"] for r in rows}),
        interest=sum(v[0] for v in per_loan.values()),
        fees=sum(v[1] for v in per_loan.values()),
    )


ROW_FIELDS = {
    "id": "id",
    "public_id": "public_id",
    "loan_id": "loan_id",
    "account": "loan__account",
    "currency": "loan__currency",
    "loan_number": "loan__number",
    "number": "number",
    "interest": "interest",
    "fee": "fee",
}


def _rows(qs) -> list[dict]:
    return [
        {name: values[i] for i, name in enumerate(ROW_FIELDS)}
        for values in qs.values_list(*ROW_FIELDS.values()).order_by("loan_id", "version", "number")
    ]


def bill_due(today: date | None = None, *, batch_size: int = BATCH) -> BillResult:
    """Bill every instalment of an active loan due on or before `today` and not billed yet
    (the nightly run, before aging). Set-based, in chunks of loans; each chunk locks its
    loans (ordered), so a repayment running at the same time waits or has billed first.
    Idempotent: run it twice, the second bills nothing."""
    today = today or timezone.localdate()
    cache: dict = {}
    total = [0, 0, 0, 0]
    after = 0
    while True:
        loan_ids = list(
            _due_unbilled(today)
            .filter(loan_id__gt=after)
            .order_by("loan_id")
            .values_list("loan_id", flat=True)
            .distinct()[:batch_size]
        )
        if not loan_ids:
            break
        with transaction.atomic():
            list(Loan.objects.select_for_update().filter(pk__in=loan_ids).order_by("pk").values_list("pk"))
            result = _bill_rows(_rows(_due_unbilled(today).filter(loan_id__in=loan_ids)), today, cache=cache)
        for i, value in enumerate((result.instalments, result.loans, result.interest, result.fees)):
            total[i] += value
        after = loan_ids[-1]
    return BillResult(*total)


def bill_loan(loan: Loan, today: date) -> BillResult:
    """What is due on this one loan, billed (the caller holds the loan's lock)."""
    return _bill_rows(_rows(_due_unbilled(today).filter(loan_id=loan.pk)), today)


def bill_accrued(loan: Loan, line: Instalment, *, interest: int, fee: int, today: date) -> BillResult:
    """A payoff before `line`'s due date: its interest and fee accrued to `today` are billed
    now (the rest of the line is never charged). The caller holds the loan's lock."""
    row = {
        "id": line.pk,
        "public_id": line.public_id,
        "loan_id": loan.pk,
        "account": loan.account,
        "currency": loan.currency,
        "loan_number": loan.number,
        "number": line.number,
        "interest": interest,
        "fee": fee,
    }
    return _bill_rows([row], today, accrued=True)
