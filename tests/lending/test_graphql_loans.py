"""GraphQL of the borrower's loans (lending<Thing>): the same services as REST — products,
simulation, apply, accept with the step-up, repay from the wallet, my loans and one loan;
another borrower's loan is null or a typed refusal."""

from __future__ import annotations

import pytest

from tests.helpers import bearer_client, gql
from tests.identity.factories import UserFactory
from tests.lending.loans_factories import make_loan

pytestmark = pytest.mark.django_db

LOAN = "id number status principal { amount currency } outstanding { amount } schedule { number total { amount } }"


def test_products_and_simulation(lending_world):
    client = bearer_client(lending_world.tenant)
    data = gql(client, "{ lendingProducts { id code name minAmount { amount } } }")
    codes = {p["code"] for p in data["lendingProducts"]}
    assert {"avance-loyer-test", "pret-urgence-test"} <= codes
    sim = gql(
        client,
        "query($p: UUID!) { lendingProductSimulation(productId: $p, amount: 50000, term: 4) "
        "{ tegBps totalCost { amount } lines { number principal { amount } } } }",
        {"p": str(lending_world.emergency.public_id)},
    )["lendingProductSimulation"]
    assert len(sim["lines"]) == 4
    assert sum(line["principal"]["amount"] for line in sim["lines"]) == 50_000


def test_apply_accept_and_repay(lending_world, lending_otp, fund_topup):
    from apps.lending.models import Loan

    tenant = lending_world.tenant
    client = bearer_client(tenant)
    applied = gql(
        client,
        'mutation($p: UUID!) { lendingApplyForLoan(productId: $p, amount: 50000, term: 4, idempotencyKey: "g1") '
        f"{{ ok errors {{ code message }} loan {{ {LOAN} keyFacts }} }} }}",
        {"p": str(lending_world.emergency.public_id)},
    )["lendingApplyForLoan"]
    assert applied["ok"], applied["errors"]
    assert applied["loan"]["status"] == "approved"
    loan = Loan.objects.get(public_id=applied["loan"]["id"])

    wrong = gql(
        client,
        'mutation($l: UUID!) { lendingAcceptLoanOffer(loanId: $l, stepUpToken: "x") { ok errors { code } } }',
        {"l": str(loan.public_id)},
    )["lendingAcceptLoanOffer"]
    assert wrong["ok"] is False

    accepted = gql(
        client,
        f"mutation($l: UUID!, $t: String!) {{ lendingAcceptLoanOffer(loanId: $l, stepUpToken: $t) "
        f"{{ ok errors {{ code message }} loan {{ {LOAN} }} }} }}",
        {"l": str(loan.public_id), "t": lending_otp(tenant, loan)},
    )["lendingAcceptLoanOffer"]
    assert accepted["ok"], accepted["errors"]
    assert accepted["loan"]["status"] == "active"
    first = accepted["loan"]["schedule"][0]["total"]["amount"]

    fund_topup(tenant, 1)  # the wallet holds the principal paid out (and a franc more)
    repaid = gql(
        client,
        f'mutation($l: UUID!, $a: Amount!) {{ lendingRepayLoan(loanId: $l, amount: $a, idempotencyKey: "r1") '
        f"{{ ok errors {{ code message }} loan {{ {LOAN} repayments {{ amount {{ amount }} channel }} }} }} }}",
        {"l": str(loan.public_id), "a": first},
    )["lendingRepayLoan"]
    assert repaid["ok"], repaid["errors"]
    assert repaid["loan"]["repayments"][0]["amount"]["amount"] == first

    listed = gql(client, "{ lendingLoans { id status } }")["lendingLoans"]
    assert [row["id"] for row in listed] == [str(loan.public_id)]
    quote = gql(
        client,
        "query($l: UUID!) { lendingLoanPrepayment(loanId: $l) { allowed total { amount } principal { amount } } }",
        {"l": str(loan.public_id)},
    )["lendingLoanPrepayment"]
    assert quote["allowed"] is True and quote["total"]["amount"] >= quote["principal"]["amount"] > 0


def test_another_borrowers_loan_is_null_and_refused():
    loan = make_loan(UserFactory(), status="approved", purpose="Loyer secret")
    client = bearer_client(UserFactory())
    data = gql(
        client, "query($l: UUID!) { lendingLoan(loanId: $l) { id purpose } }", {"l": str(loan.public_id)}
    )
    assert data["lendingLoan"] is None
    withdrawn = gql(
        client,
        "mutation($l: UUID!) { lendingWithdrawLoan(loanId: $l) { ok errors { code } loan { id } } }",
        {"l": str(loan.public_id)},
    )["lendingWithdrawLoan"]
    assert withdrawn["ok"] is False
    assert withdrawn["errors"][0]["code"] == "lending_loan_not_found"
    loan.refresh_from_db()
    assert loan.status == "approved"
    assert gql(client, "{ lendingLoans { id } }")["lendingLoans"] == []
