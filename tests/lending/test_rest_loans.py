"""REST of the borrower's loans: products, my loans (list with a query ceiling, detail with
the schedule and repayments), the prepayment quote; another borrower's loan is 404."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import bearer_client
from tests.identity.factories import UserFactory
from tests.lending.loans_factories import make_loan, make_product

pytestmark = pytest.mark.django_db


def test_products_lists_the_offered_tenant_products_only():
    offered = make_product(name="Prêt d'urgence")
    make_product(name="Ancien prêt", active=False)
    make_product(name="Avance sur loyers", borrower_kind="landlord", destination="payout")
    body = bearer_client(UserFactory()).get("/api/v1/lending/products").json()
    ids = [row["id"] for row in body]
    assert ids == [str(offered.public_id)]
    assert body[0]["min_amount"] == {
        "amount": 10_000,
        "currency": "XOF",
        "formatted": body[0]["min_amount"]["formatted"],
    }


def test_products_speak_english_when_asked():
    make_product()
    body = bearer_client(UserFactory()).get("/api/v1/lending/products", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body[0]["name"] == "Emergency loan test"


def test_my_loans_are_mine_only_and_the_list_has_a_query_ceiling():
    me, other = UserFactory(), UserFactory()
    product = make_product()
    make_loan(other, product, purpose="Loyer secret")
    client = bearer_client(me)
    client.get("/api/v1/lending/loans")  # warm: the token's first use, sessions, …
    make_loan(me, product)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/lending/loans").json()) == 1
    for _ in range(6):
        make_loan(me, product)
    with CaptureQueriesContext(connection) as seven:
        body = client.get("/api/v1/lending/loans").json()
    assert len(body) == 7
    assert len(seven) == len(one), [q["sql"] for q in seven.captured_queries]
    assert "Loyer secret" not in str(body)


def test_loan_detail_has_the_schedule_and_balances():
    me = UserFactory()
    loan = make_loan(me, principal=120_000, term=3, paid=1)
    body = bearer_client(me).get(f"/api/v1/lending/loans/{loan.public_id}").json()
    assert body["number"] == loan.number
    assert body["status"] == "active"
    assert [line["number"] for line in body["schedule"]] == [1, 2, 3]
    assert [line["status"] for line in body["schedule"]] == ["paid", "pending", "pending"]
    assert sum(line["principal"]["amount"] for line in body["schedule"]) == 120_000
    assert body["principal_outstanding"]["amount"] == loan.principal_outstanding
    assert body["repayments"] == []
    assert body["decision_reasons"][0]["code"] == "score_good"


def test_another_borrowers_loan_is_not_found():
    loan = make_loan(UserFactory())
    client = bearer_client(UserFactory())
    response = client.get(f"/api/v1/lending/loans/{loan.public_id}")
    assert response.status_code == 404
    assert response.json()["code"] == "lending_loan_not_found"
    assert client.get(f"/api/v1/lending/loans/{loan.public_id}/prepayment").status_code == 404


def test_prepayment_quote_is_what_is_owed_now():
    me = UserFactory()
    loan = make_loan(me, principal=90_000, term=3)
    body = bearer_client(me).get(f"/api/v1/lending/loans/{loan.public_id}/prepayment").json()
    assert body["allowed"] is True
    assert body["principal"]["amount"] == 90_000
    assert body["total"]["amount"] == 90_000


def test_prepayment_is_not_allowed_on_a_closed_loan():
    me = UserFactory()
    loan = make_loan(me, status="closed")
    body = bearer_client(me).get(f"/api/v1/lending/loans/{loan.public_id}/prepayment").json()
    assert body["allowed"] is False
    assert body["total"]["amount"] == 0


def test_withdraw_refuses_a_loan_being_repaid():
    me = UserFactory()
    loan = make_loan(me)
    response = bearer_client(me).post(f"/api/v1/lending/loans/{loan.public_id}/withdraw")
    assert response.status_code == 409
    assert response.json()["code"] == "lending_invalid_state"


def test_repaying_a_loan_not_yet_disbursed_is_refused():
    me = UserFactory()
    loan = make_loan(me, status="approved")
    response = bearer_client(me).post(
        f"/api/v1/lending/loans/{loan.public_id}/repayments",
        {"amount": 1_000},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert response.status_code == 409
    loan.refresh_from_db()
    assert loan.status == "approved"


def test_the_key_facts_pdf_of_an_offer():
    me = UserFactory()
    loan = make_loan(me, status="approved", principal=75_000)
    response = bearer_client(me).get(f"/api/v1/lending/loans/{loan.public_id}/key-facts.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        bearer_client(UserFactory()).get(f"/api/v1/lending/loans/{loan.public_id}/key-facts.pdf").status_code
        == 404
    )


def test_the_offer_detail_carries_its_key_facts_before_acceptance():
    me = UserFactory()
    loan = make_loan(me, status="approved", principal=75_000, term=3)
    body = bearer_client(me).get(f"/api/v1/lending/loans/{loan.public_id}").json()
    assert body["key_facts"]["principal"] == 75_000
    assert len(body["key_facts"]["schedule"]) == 3
    assert body["schedule"] == []  # the instalments are written at the disbursement
