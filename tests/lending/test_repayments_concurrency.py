"""Repayments at the same instant on one loan (real PostgreSQL connections, one per thread):
the loan's row lock orders them — the same idempotency key applies once, different keys
apply one after the other, the nightly billing running at the same time bills each
instalment once, and the loan stays equal to its ledger account."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from apps.ledger import api as ledger
from apps.ledger import verify
from apps.lending.models import Instalment, InstalmentBilling, Loan, Repayment
from apps.lending.services import accounting, repayments
from tests.identity.factories import UserFactory

from .repayment_helpers import active_loan, top_up, verified

pytestmark = pytest.mark.django_db(transaction=True)


def run_concurrently(funcs) -> list:
    barrier = threading.Barrier(len(funcs))

    def worker(func):
        try:
            barrier.wait()
            return func()
        except Exception as exc:
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(funcs)) as pool:
        return list(pool.map(worker, funcs))


def test_payments_and_the_nightly_billing_at_the_same_instant():
    borrower = verified(UserFactory())
    loan = active_loan(borrower, principal=60_000, term=3, fee_per_instalment=300)
    top_up(borrower, 10_000)
    first = Instalment.objects.filter(loan=loan).order_by("number").first()
    day = first.due_date

    def pay(key, amount=5_000):
        return lambda: repayments.repay(
            loan=loan, amount=amount, channel="wallet", idempotency_key=key, today=day
        )

    funcs = [pay("same")] * 4 + [pay(f"k{i}") for i in range(4)] + [lambda: accounting.bill_due(day)] * 2
    results = run_concurrently(funcs)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    rows = Repayment.objects.filter(loan=loan)
    assert rows.count() == 5  # "same" once, k0..k3
    assert len({r.pk for r in results[:4]}) == 1
    assert InstalmentBilling.objects.filter(loan=loan).count() == 1
    loan = Loan.objects.get(pk=loan.pk)
    assert loan.outstanding == ledger.balance(account=loan.account).posted
    assert sum(r.allocated for r in rows) == 25_000
    assert verify.run().ok
