"""Property (hypothesis): any sequence of payments, late or early, from the wallet or from a
collector's cash, with the nightly billing and late fees in between, keeps

- the allocation order: inside one payment, money reaches an instalment only when every
  earlier due instalment is paid in full, and a component of an instalment only when the
  components before it (the product's order) are paid in full;
- the loan's balances equal to its ledger account (and never below zero);
- the money: the loan's account is the principal, plus what was billed and the late fees,
  less what the repayments credited;
- a closed loan owes nothing, and nothing is billed on it afterwards."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.errors import DomainError
from apps.ledger import api as ledger
from apps.ledger import verify
from apps.lending.contracts import Component
from apps.lending.models import Instalment, InstalmentBilling, Repayment
from apps.lending.services import accounting, delinquency, repayments
from tests.identity.factories import UserFactory

from .repayment_helpers import active_loan, loan_balance, top_up, verified

pytestmark = pytest.mark.django_db

ORDERS = [
    ["fees", "interest", "principal"],
    ["interest", "principal", "fees"],
    ["principal", "fees", "interest"],
]

steps = st.lists(
    st.tuples(
        st.sampled_from(["wallet", "cash", "bill", "night"]),
        st.integers(0, 45),  # days after the previous step
        st.integers(1, 70_000),
    ),
    min_size=1,
    max_size=8,
)


def _owed(line: Instalment, component: str) -> int:
    if component == "fees":
        return line.fee + line.penalty - line.paid_fee
    if component == "interest":
        return line.interest - line.paid_interest
    return line.principal - line.paid_principal


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=steps,
    order=st.sampled_from(ORDERS),
    term=st.integers(1, 4),
    method=st.sampled_from(["flat", "declining"]),
    fee=st.sampled_from([0, 750]),
    prepayment=st.booleans(),
)
def test_any_payments_keep_the_order_and_the_ledger(steps, order, term, method, fee, prepayment):
    borrower = verified(UserFactory())
    loan = active_loan(
        borrower,
        principal=100_000,
        term=term,
        fee_per_instalment=fee,
        interest_method=method,
        allocation_order=order,
        prepayment_allowed=prepayment,
        late_fee_fixed=400,
        late_fee_after_days=3,
    )
    top_up(borrower, 200_000)
    cash = ledger.system_account(code="provider_clearing.sandbox", currency="XOF").public_id
    day = loan.disbursed_on
    taken = 0
    for kind, days, amount in steps:
        day += timedelta(days=days)
        if kind == "bill":
            accounting.bill_due(day)
        elif kind == "night":  # the nightly run's money steps: billing, then late fees
            accounting.bill_due(day)
            delinquency.charge_late_fees(today=day)
        else:
            before = {line.pk: line for line in Instalment.objects.filter(loan=loan, superseded=False)}
            try:
                repayment = repayments.repay(
                    loan=loan,
                    amount=amount,
                    channel=kind,
                    source_account=cash if kind == "cash" else None,
                    idempotency_key=uuid.uuid4().hex,
                    today=day,
                )
            except DomainError as refused:
                assert refused.code in {
                    "lending_nothing_to_repay",
                    "lending_invalid_state",
                    "insufficient_funds",
                    "kyc_limit_exceeded",
                }, refused.code
                repayment = None
            if repayment is not None:
                taken += repayment.amount
                assert repayment.allocated + repayment.excess == repayment.amount
                touched = [a for a in repayment.allocation if any(a[c.value] for c in Component)]
                lines = sorted(before.values(), key=lambda line: (line.version, line.number))
                due = [line for line in lines if line.due_date <= day and line.status != "paid"]
                # every due instalment before the last one touched was paid in full by this payment
                numbers = [a["number"] for a in touched]
                for line in due:
                    if line.number >= max(numbers, default=0):
                        break
                    if line.number in numbers:
                        got = next(a for a in touched if a["number"] == line.number)
                        assert sum(got[c] for c in ("fees", "interest", "principal")) == line.owed
                # inside an instalment that was due: a component only after the ones before it
                for got in touched:
                    line = before[Instalment.objects.get(public_id=got["instalment"]).pk]
                    if line.due_date > day:
                        continue
                    for k, component in enumerate(order):
                        if got[component]:
                            for earlier in order[:k]:
                                assert got[earlier] == _owed(line, earlier)
        loan.refresh_from_db()
        assert min(loan.principal_outstanding, loan.interest_outstanding, loan.fees_outstanding) >= 0
        assert loan.outstanding == loan_balance(loan)
        if loan.status == "closed":
            assert loan.outstanding == 0
            assert not Instalment.objects.filter(loan=loan, superseded=False).exclude(status="paid").exists()
    rows = Repayment.objects.filter(loan=loan)
    assert taken == sum(r.amount for r in rows)
    credited = sum(r.allocated for r in rows)
    billed = sum(b.interest + b.fee for b in InstalmentBilling.objects.filter(loan=loan))
    penalties = sum(line.penalty for line in Instalment.objects.filter(loan=loan))
    assert loan.principal + billed + penalties - credited == loan_balance(loan)
    report = verify.run()
    assert report.ok
