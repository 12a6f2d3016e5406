"""The pay link, the sandbox page, the receipt, the checkout and the point of sale, through
Django's test client (the browser test drives a real Chromium over the same pages)."""

import pytest

from apps.identity.models import Membership
from apps.payments.models import PaymentIntent, SandboxTransaction

from .conftest import balance, make_intent, member, on_commit

pytestmark = pytest.mark.django_db


def test_pay_link_with_the_sandbox_end_to_end(org, client, providers):
    intent = make_intent(org, amount=75_000)
    page = client.get(f"/pay/{intent.pay_token}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "75\u202f000\u00a0FCFA" in text and org.name in text and "Loyer mars 2026" in text
    assert "Payer par mobile money" in text and "Paiement à" in text  # French first
    start = client.post(f"/pay/{intent.pay_token}/start", {"method": "mobile_money"})
    assert start.status_code == 302 and "/pay/sandbox/" in start["Location"]
    sandbox = client.get(start["Location"])
    assert b'data-testid="sandbox-label"' in sandbox.content
    with on_commit():
        approved = client.post(
            start["Location"], {"decision": "approve", "next": f"/pay/{intent.pay_token}/callback"}
        )
    assert approved.status_code == 302
    result = client.get(client.get(approved["Location"])["Location"])
    assert b'data-testid="status-paid"' in result.content
    intent.refresh_from_db()
    assert intent.status == "succeeded" and balance(intent.credit_account) == 75_000
    receipt = client.get(f"/r/{intent.receipt_code}")
    assert receipt.status_code == 200 and intent.receipt_number.encode() in receipt.content


def test_the_public_receipt_masks_the_payer_as_the_quittance_check_does(org, client, providers):
    """/r/<code> is public (its code is on the paper): the payer's surname shows as an
    initial, the same rule as /r/q/<code> (apps.core.privacy.mask_name)."""
    intent = make_intent(org, amount=20_000)
    start = client.post(f"/pay/{intent.pay_token}/start", {"method": "mobile_money"})
    with on_commit():
        client.post(start["Location"], {"decision": "approve"})
    intent.refresh_from_db()
    intent.payer_name = "Prisca Amoussou Dossou"
    intent.save(update_fields=["payer_name"])
    page = client.get(f"/r/{intent.receipt_code}").content.decode()
    assert 'data-testid="receipt-payer">Prisca A. D.</dd>' in page
    assert "Amoussou" not in page


def test_declined_then_paid(org, client, providers):
    intent = make_intent(org)
    start = client.post(f"/pay/{intent.pay_token}/start", {"method": "mobile_money"})
    with on_commit():
        client.post(start["Location"], {"decision": "decline"})
    intent.refresh_from_db()
    assert intent.status == "failed"
    assert b'data-testid="status-failed"' in client.get(f"/pay/{intent.pay_token}").content
    start = client.post(f"/pay/{intent.pay_token}/start", {"method": "mobile_money"})
    with on_commit():
        client.post(start["Location"], {"decision": "approve"})
    intent.refresh_from_db()
    assert intent.status == "succeeded"
    assert intent.attempts.count() == 2


def test_unknown_token_and_unpaid_receipt_are_404(org, client, providers):
    intent = make_intent(org)
    assert client.get("/pay/not-a-token").status_code == 404
    assert client.get("/r/NOPE").status_code == 404
    assert client.get("/pay/sandbox/sbx_nope").status_code == 404
    assert client.get(f"/r/{intent.receipt_code}").status_code == 404


def test_sandbox_page_is_refused_when_the_sandbox_is_off(org, client, settings, providers):
    intent = make_intent(org)
    start = client.post(f"/pay/{intent.pay_token}/start", {"method": "mobile_money"})
    settings.PAYMENT_PROVIDERS = ["kkiapay"]
    assert client.get(start["Location"]).status_code == 404


def test_checkout_is_embeddable_only_by_configured_hosts(org, client, settings, providers):
    settings.CHECKOUT_EMBED_ORIGINS = ["https://partner.example"]
    intent = make_intent(org)
    response = client.get(f"/checkout/{intent.pay_token}")
    assert response.status_code == 200
    assert "frame-ancestors 'self' https://partner.example" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    assert b"hokwe.checkout" in response.content
    assert client.get(f"/pay/{intent.pay_token}")["X-Frame-Options"] == "DENY"


def test_expired_link_says_so(org, client, providers, time_machine):
    intent = make_intent(org)
    time_machine.move_to(intent.expires_at, tick=False)
    page = client.get(f"/pay/{intent.pay_token}")
    assert b'data-testid="status-closed"' in page.content
    assert client.post(f"/pay/{intent.pay_token}/start", {"method": "mobile_money"}).status_code == 409


def test_merchant_point_of_sale(org, client, providers):
    agent = member(org, Membership.Role.COLLECTOR)
    assert client.get("/merchant/").status_code == 302  # login first
    client.force_login(agent)
    assert client.get("/merchant/").status_code == 200
    response = client.post(
        "/merchant/",
        {
            "organization": str(org.public_id),
            "amount": 15000,
            "description": "Loyer avril",
            "payer_name": "Prisca",
            "action": "cash",
            "form_key": "f1",
        },
    )
    assert response.status_code == 302
    intent = PaymentIntent.objects.get()
    assert intent.status == "succeeded" and intent.receipt_number
    double = client.post(
        "/merchant/",
        {
            "organization": str(org.public_id),
            "amount": 15000,
            "description": "Loyer avril",
            "payer_name": "Prisca",
            "action": "cash",
            "form_key": "f1",
        },
    )
    assert double["Location"] == response["Location"] and PaymentIntent.objects.count() == 1  # a double tap
    detail = client.get(response["Location"])
    assert intent.receipt_number.encode() in detail.content
    # a QR pay link
    response = client.post(
        "/merchant/",
        {
            "organization": str(org.public_id),
            "amount": 9000,
            "description": "Eau",
            "action": "qr",
            "form_key": "f2",
        },
    )
    detail = client.get(response["Location"])
    assert b"<svg" in detail.content and b"/pay/" in detail.content
    # a push to the payer's phone (the sandbox simulates the phone)
    response = client.post(
        "/merchant/",
        {
            "organization": str(org.public_id),
            "amount": 5000,
            "description": "Charges",
            "payer_phone": "+2290161000009",
            "action": "push",
            "form_key": "f3",
        },
    )
    assert response.status_code == 302
    assert SandboxTransaction.objects.filter(phone="+2290161000009").exists()
    report = client.get("/merchant/cash-report")
    assert report.status_code == 200 and intent.receipt_number.encode() in report.content


def test_merchant_pages_refuse_people_without_a_collecting_role(org, client, providers):
    viewer = member(org, Membership.Role.VIEWER)
    client.force_login(viewer)
    assert client.get("/merchant/").status_code == 404


def test_merchant_detail_of_another_organization_is_404(org, other_org, client, providers):
    intent = make_intent(org)
    client.force_login(member(other_org, Membership.Role.COLLECTOR))
    assert client.get(f"/merchant/payments/{intent.public_id}").status_code == 404


def test_manager_pages(org, manager, other_org, client, providers):
    client.force_login(manager)
    response = client.post(
        "/manager/payments/new",
        {"organization": str(org.public_id), "amount": 12000, "description": "Caution"},
    )
    assert response.status_code == 302
    intent = PaymentIntent.objects.get()
    assert client.get(response["Location"]).status_code == 200
    assert b"Caution" in client.get("/manager/payments/").content
    assert client.get("/manager/payments/payouts").status_code == 200
    client.force_login(member(other_org))
    assert client.get(f"/manager/payments/{intent.public_id}").status_code == 404
    assert b"Caution" not in client.get("/manager/payments/").content
