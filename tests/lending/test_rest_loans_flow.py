"""The borrower's whole path over REST, on the real services: simulate, apply (an offer),
accept with the step-up (paid to the wallet), repay from the wallet, the prepayment quote and
paying off; the same idempotency key replays; a wrong step-up is refused."""

from __future__ import annotations

import pytest

from tests.helpers import bearer_client

pytestmark = pytest.mark.django_db


def _apply(client, product, *, amount=50_000, term=4, key="apply-1"):
    return client.post(
        "/api/v1/lending/loans",
        {"product": str(product.public_id), "amount": amount, "term": term, "purpose": "Frais médicaux"},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_simulation_gives_the_schedule_total_cost_and_teg(lending_world):
    client = bearer_client(lending_world.tenant)
    product = lending_world.emergency
    body = client.get(
        f"/api/v1/lending/products/{product.public_id}/simulation", {"amount": 50_000, "term": 4}
    ).json()
    assert body["amount"]["amount"] == 50_000
    assert len(body["lines"]) == 4
    assert sum(line["principal"]["amount"] for line in body["lines"]) == 50_000
    assert body["total_cost"]["amount"] == body["total_interest"]["amount"] + body["total_fees"]["amount"]
    assert body["total_repaid"]["amount"] == sum(line["total"]["amount"] for line in body["lines"])
    assert body["teg_bps"] >= product.annual_rate_bps


def test_a_simulation_out_of_range_is_refused(lending_world):
    client = bearer_client(lending_world.tenant)
    response = client.get(
        f"/api/v1/lending/products/{lending_world.emergency.public_id}/simulation", {"amount": 5, "term": 4}
    )
    assert response.status_code in (400, 409, 422)
    assert response.json()["errors"][0]["field"] == "amount"


def test_apply_accept_repay_and_pay_off(lending_world, lending_otp, fund_topup):
    tenant = lending_world.tenant
    client = bearer_client(tenant)
    created = _apply(client, lending_world.emergency)
    assert created.status_code == 201, created.content
    offer = created.json()
    assert offer["status"] == "approved"
    assert offer["key_facts"]["principal"] == 50_000  # the offer's statement, before accepting
    assert _apply(client, lending_world.emergency).json()["id"] == offer["id"]  # replayed

    from apps.lending.models import Loan

    loan = Loan.objects.get(public_id=offer["id"])
    refused = client.post(
        f"/api/v1/lending/loans/{loan.public_id}/accept", {"step_up_token": "not-a-proof"}, format="json"
    )
    assert refused.status_code in (401, 403, 409), refused.content
    loan.refresh_from_db()
    assert loan.status == "approved"

    accepted = client.post(
        f"/api/v1/lending/loans/{loan.public_id}/accept",
        {"step_up_token": lending_otp(tenant, loan)},
        format="json",
    )
    assert accepted.status_code == 200, accepted.content
    body = accepted.json()
    assert body["status"] == "active"
    assert len(body["schedule"]) == 4
    assert body["key_facts"]["principal"] == 50_000

    first = body["schedule"][0]["total"]["amount"]
    repaid = client.post(
        f"/api/v1/lending/loans/{loan.public_id}/repayments",
        {"amount": first},
        format="json",
        HTTP_IDEMPOTENCY_KEY="repay-1",
    )
    assert repaid.status_code == 201, repaid.content
    after = repaid.json()
    assert after["repayments"][0]["amount"]["amount"] == first
    assert after["repayments"][0]["channel"] == "wallet"
    assert after["principal_outstanding"]["amount"] < 50_000

    quote = client.get(f"/api/v1/lending/loans/{loan.public_id}/prepayment").json()
    assert quote["allowed"] is True
    assert (
        quote["total"]["amount"] >= quote["principal"]["amount"] == after["principal_outstanding"]["amount"]
    )
    fund_topup(tenant, quote["total"]["amount"])
    paid_off = client.post(
        f"/api/v1/lending/loans/{loan.public_id}/repayments",
        {"amount": quote["total"]["amount"]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="repay-2",
    )
    assert paid_off.status_code == 201, paid_off.content
    assert paid_off.json()["status"] == "closed"
    assert paid_off.json()["outstanding"]["amount"] == 0


def test_withdraw_an_offer(lending_world):
    client = bearer_client(lending_world.tenant)
    offer = _apply(client, lending_world.emergency).json()
    response = client.post(f"/api/v1/lending/loans/{offer['id']}/withdraw")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_a_pay_link_for_what_is_due(lending_world, lending_otp):
    from apps.lending.models import Loan

    tenant = lending_world.tenant
    client = bearer_client(tenant)
    offer = _apply(client, lending_world.emergency).json()
    loan = Loan.objects.get(public_id=offer["id"])
    client.post(
        f"/api/v1/lending/loans/{loan.public_id}/accept",
        {"step_up_token": lending_otp(tenant, loan)},
        format="json",
    )
    link = client.post(
        f"/api/v1/lending/loans/{loan.public_id}/pay-link",
        {"amount": 5_000},
        format="json",
        HTTP_IDEMPOTENCY_KEY="l1",
    )
    assert link.status_code == 201, link.content
    assert link.json()["amount"]["amount"] == 5_000
    assert link.json()["pay_url"]
