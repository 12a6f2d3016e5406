"""Rows for the borrower's surfaces' tests: a tenant product and a loan in any status, with
its schedule written as the disbursement writes it (no service of the lifecycle needed)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.utils import timezone

_seq = itertools.count(1)


def make_product(**overrides):
    from apps.lending.models import LoanProduct

    n = next(_seq)
    fields = {
        "code": f"avance-test-{n}-{timezone.now().strftime('%H%M%S%f')}",
        "name": "Prêt d'urgence test",
        "name_en": "Emergency loan test",
        "summary": "Un prêt versé sur votre portefeuille.",
        "summary_en": "A loan paid to your wallet.",
        "borrower_kind": "tenant",
        "destination": "wallet",
        "currency": "XOF",
        "min_amount": 10_000,
        "max_amount": 300_000,
        "min_term": 1,
        "max_term": 6,
        "frequency": "monthly",
        "align_to_rent_date": False,
        "interest_method": "declining",
        "amortization": "equal_instalments",
        "annual_rate_bps": 2_400,
        "upfront_fee_bps": 100,
        "disclosures": "Le coût total est indiqué avant l'acceptation.",
        "disclosures_en": "The total cost is shown before acceptance.",
    }
    fields.update(overrides)
    return LoanProduct.objects.create(**fields)


def make_loan(
    user,
    product=None,
    *,
    status: str = "active",
    principal: int = 120_000,
    term: int = 3,
    purpose: str = "",
    start: date | None = None,
    paid: int = 0,
):
    """A loan of `user`; `active`/`closed` ones carry their schedule and their balances as the
    disbursement leaves them (the first `paid` instalments paid)."""
    from apps.lending.models import Instalment, Loan
    from apps.lending.services import schedule as schedules

    product = product or make_product()
    start = start or timezone.localdate()
    sched = schedules.build(
        principal=principal,
        currency=product.currency,
        annual_rate_bps=product.annual_rate_bps,
        term=term,
        frequency=product.frequency,
        interest_method=product.interest_method,
        amortization=product.amortization,
        first_due_date=start + timedelta(days=30),
    )
    n = next(_seq)
    disbursed = status in ("active", "closed", "written_off")
    loan = Loan.objects.create(
        number=f"PRT-T{timezone.now().strftime('%H%M%S%f')}-{n:05d}",
        product=product,
        borrower=user,
        borrower_kind=product.borrower_kind,
        status=status,
        single_open=False,
        currency=product.currency,
        principal=principal,
        term=term,
        frequency=product.frequency,
        interest_method=product.interest_method,
        amortization=product.amortization,
        annual_rate_bps=product.annual_rate_bps,
        upfront_fee=principal * product.upfront_fee_bps // 10_000,
        total_interest=sched.total_interest,
        teg_bps=2_650,
        first_due_date=sched.lines[0].due_date,
        destination=product.destination,
        purpose=purpose,
        offer_expires_at=timezone.now() + timedelta(days=7) if status == "approved" else None,
        disbursed_on=start if disbursed else None,
        principal_outstanding=principal if status == "active" else 0,
        decision_reasons=[{"code": "score_good", "text": "Votre score locatif est bon."}],
    )
    if disbursed:
        rows = []
        for line in sched.lines:
            done = line.number <= paid or status == "closed"
            rows.append(
                Instalment(
                    loan=loan,
                    number=line.number,
                    due_date=line.due_date,
                    principal=line.principal,
                    interest=line.interest,
                    fee=line.fee,
                    paid_principal=line.principal if done else 0,
                    paid_interest=line.interest if done else 0,
                    paid_fee=line.fee if done else 0,
                    status="paid" if done else "pending",
                    paid_on=start if done else None,
                )
            )
        Instalment.objects.bulk_create(rows)
        if status == "active" and paid:
            loan.principal_outstanding = principal - sum(r.principal for r in rows[:paid])
            loan.save(update_fields=["principal_outstanding"])
    return loan
