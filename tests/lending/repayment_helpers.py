"""Builders for the repayment tests: an active loan as a disbursement leaves it (its ledger
account debited with the principal, the principal in the borrower's wallet, the
instalments from the schedule), without going through the application and acceptance."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta

from apps.ledger import api as ledger
from apps.lending.models import Instalment, Loan, LoanProduct
from apps.lending.services import accounts, schedule
from apps.wallet import api as wallet
from tests.fixtures.wallet import kyc_tier, wallet_top_up

_numbers = itertools.count(1)


def product(**fields) -> LoanProduct:
    values = {
        "code": f"repay-test-{uuid.uuid4().hex[:8]}",
        "name": "Prêt d'urgence",
        "name_en": "Emergency loan",
        "borrower_kind": "tenant",
        "destination": "wallet",
        "currency": "XOF",
        "min_amount": 1_000,
        "max_amount": 1_000_000,
        "min_term": 1,
        "max_term": 12,
        "frequency": "monthly",
        "interest_method": "declining",
        "amortization": "equal_instalments",
        "annual_rate_bps": 2_400,
        "one_open_loan": False,
        **fields,
    }
    return LoanProduct.objects.create(**values)


def verified(user, tier: int = 2):
    """The user's KYC tier (tier 2: a daily outflow of 2 000 000 FCFA)."""
    return kyc_tier(user, tier)


def top_up(user, amount: int, currency: str = "XOF") -> None:
    """Money into the user's wallet as a top-up brings it (no kyc check)."""
    wallet_top_up(user, amount, currency)


def active_loan(
    borrower,
    *,
    principal: int = 120_000,
    term: int = 3,
    disbursed_on: date | None = None,
    first_due_date: date | None = None,
    fee_per_instalment: int = 0,
    to_wallet: bool = True,
    **product_fields,
) -> Loan:
    """An ACTIVE loan disbursed on `disbursed_on` (default: a month before the first due
    date, which defaults to 30 days from today)."""
    first_due_date = first_due_date or date.today() + timedelta(days=30)
    disbursed_on = disbursed_on or first_due_date - timedelta(days=30)
    prod = product(**product_fields)
    plan = schedule.build(
        principal=principal,
        currency=prod.currency,
        annual_rate_bps=prod.annual_rate_bps,
        term=term,
        frequency=prod.frequency,
        interest_method=prod.interest_method,
        amortization=prod.amortization,
        grace_periods=prod.grace_periods,
        first_due_date=first_due_date,
        fee_per_instalment=fee_per_instalment,
    )
    loan = Loan.objects.create(
        number=f"PRT-TEST-{next(_numbers):06d}-{uuid.uuid4().hex[:4]}",
        product=prod,
        borrower=borrower,
        borrower_kind=prod.borrower_kind,
        status="active",
        single_open=False,
        currency=prod.currency,
        principal=principal,
        term=term,
        frequency=prod.frequency,
        interest_method=prod.interest_method,
        amortization=prod.amortization,
        annual_rate_bps=prod.annual_rate_bps,
        grace_periods=prod.grace_periods,
        total_interest=plan.total_interest,
        first_due_date=first_due_date,
        destination=prod.destination,
        disbursed_on=disbursed_on,
        principal_outstanding=principal,
    )
    loan.account = accounts.loan_account(loan)
    loan.save(update_fields=["account"])
    if to_wallet:
        wallet.credit_wallet(
            user=borrower,
            amount=principal,
            currency=loan.currency,
            from_account=loan.account,
            idempotency_key=f"test:lending:disburse:{loan.public_id}",
            code="lending_disbursement",
            kyc_operation=None,
        )
    else:
        ledger.transfer(
            idempotency_key=f"test:lending:disburse:{loan.public_id}",
            code="lending_disbursement",
            legs=[
                _leg("debit", loan.account, principal, loan.currency),
                _leg("credit", accounts.system("lending.funding", loan.currency), principal, loan.currency),
            ],
        )
    Instalment.objects.bulk_create(
        [
            Instalment(
                loan=loan,
                number=line.number,
                due_date=line.due_date,
                principal=line.principal,
                interest=line.interest,
                fee=line.fee,
            )
            for line in plan.lines
        ]
    )
    return loan


def _leg(side, account, amount, currency):
    from apps.ledger.contracts import Leg

    return getattr(Leg, side)(account, amount, currency)


def loan_balance(loan: Loan) -> int:
    """The loan's ledger account balance (what the borrower owes, by the ledger)."""
    return ledger.balance(account=loan.account).posted


def wallet_balance(user, currency: str = "XOF") -> int:
    return wallet.wallet_info(user, currency).balance
