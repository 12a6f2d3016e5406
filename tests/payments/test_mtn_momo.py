"""MTN MoMo Open API (providers/mtn_momo.py) against a local server speaking it
(fakes/mtn_momo.py): tokens per product, requesttopay and its status, transfers, account
holders, error shapes, the 409 of a reference id already used, and unsigned callbacks that
change nothing until the status call confirms them — alone and through payments' services."""

from __future__ import annotations

import json
import uuid

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from apps.identity.models import Membership
from apps.ledger import api as ledger
from apps.payments import conf as payments_conf
from apps.payments import services
from apps.payments.errors import CurrencyNotSupported, InvalidPayment, ProviderDown
from apps.payments.models import PaymentAttempt, Payout, PayoutAccount, WebhookEvent
from apps.payments.providers import get as provider_named
from apps.payments.providers import mtn_momo
from apps.payments.providers.base import (
    CheckoutRequest,
    PayoutDestination,
    ProviderRejected,
    ProviderUnavailable,
    TxStatus,
    WebhookRejected,
)
from apps.payments.providers.http import ProviderCallInTransaction
from apps.payments.services import ledgering
from tests.identity.factories import OrganizationFactory

from .conftest import balance, kyb_approved, make_intent, member, on_commit
from .fakes import mtn_momo as fake

pytestmark = pytest.mark.django_db

URL = "/api/v1/payments/webhooks/mtn_momo"
CALLBACK = "https://hokwe.test/api/v1/payments/webhooks/mtn_momo"
PAYER = "+2290197000111"
PAYEE = "+2290196000123"


def configure(settings, httpserver, currency: str) -> None:
    settings.PAYMENT_PROVIDERS = ["mtn_momo", "sandbox"]
    settings.PAYMENT_ROUTES = "mobile_money:*=mtn_momo"
    settings.PAYMENT_PAYOUT_PROVIDER = "mtn_momo"
    settings.MTN_MOMO_BASE_URL = httpserver.url_for("").rstrip("/")
    settings.MTN_MOMO_API_USER = fake.API_USER
    settings.MTN_MOMO_API_KEY = fake.API_KEY
    settings.MTN_MOMO_SUBSCRIPTION_KEY = ""
    settings.MTN_MOMO_DISBURSEMENT_SUBSCRIPTION_KEY = fake.DISBURSEMENT_KEY
    settings.MTN_MOMO_COLLECTION_SUBSCRIPTION_KEY = fake.COLLECTION_KEY
    settings.MTN_MOMO_COLLECTION_API_USER = ""
    settings.MTN_MOMO_COLLECTION_API_KEY = ""
    settings.MTN_MOMO_TARGET_ENVIRONMENT = fake.TARGET
    settings.MTN_MOMO_CALLBACK_URL = CALLBACK
    settings.MTN_MOMO_CURRENCY = currency
    settings.PAYMENT_HTTP_TIMEOUT_SECONDS = 0.5


@pytest.fixture
def momo(httpserver, settings):
    """MTN in Benin: XOF (the organizations of these tests take XOF)."""
    server = fake.FakeMtnMomo(currency="XOF")
    server.install(httpserver)
    configure(settings, httpserver, "XOF")
    mtn_momo.clear_tokens()
    yield server
    mtn_momo.clear_tokens()


@pytest.fixture
def momo_sandbox(httpserver, settings):
    """MTN's own sandbox: EUR only."""
    server = fake.FakeMtnMomo(currency="EUR")
    server.install(httpserver)
    configure(settings, httpserver, "EUR")
    mtn_momo.clear_tokens()
    yield server
    mtn_momo.clear_tokens()


def request(token="attempt-token-1", amount=25_000, currency="XOF", description="Loyer d'avril 2026"):
    return CheckoutRequest(attempt_token=token, amount=amount, currency=currency, description=description)


def destination(phone=PAYEE, operator="mtn"):
    return PayoutDestination(
        kind="mobile_money", phone=phone, operator=operator, holder_name="Famille Adjovi"
    )


def tokens_asked(server, product):
    return [c for c in server.calls if c[1] == f"/{product}/token/"]


def send_callback(body: bytes, method="PUT"):
    with on_commit():
        return APIClient().generic(method, URL, body, content_type="application/json")


# --- the client alone ---------------------------------------------------------------------------


def test_requesttopay_speaks_the_open_api(momo):
    checkout = mtn_momo.MtnMomoProvider().push(request(), phone=PAYER)
    reference = mtn_momo.reference_id("collection", "attempt-token-1")
    assert checkout.kind == "push" and checkout.provider_reference == reference
    assert uuid.UUID(reference).version == 4
    method, path, headers = momo.calls[-1]
    assert (method, path) == ("POST", "/collection/v1_0/requesttopay")
    assert headers["X-Reference-Id"] == reference
    assert headers["X-Target-Environment"] == "sandbox"
    assert headers["X-Callback-Url"] == CALLBACK
    assert headers["Ocp-Apim-Subscription-Key"] == fake.COLLECTION_KEY
    assert headers["Authorization"].startswith("Bearer ")
    [body] = momo.posts("/collection/v1_0/requesttopay")
    assert body == {
        "amount": "25000",
        "currency": "XOF",
        "externalId": "attempt-token-1",
        "payer": {"partyIdType": "MSISDN", "partyId": "2290197000111"},
        "payerMessage": "Loyer d avril 2026",  # MTN's gateway refuses apostrophes
        "payeeNote": "attempt-token-1",
    }
    info = mtn_momo.MtnMomoProvider().verify(reference)
    assert (info.status, info.amount, info.currency, info.partner_reference) == (
        TxStatus.PENDING,
        25_000,
        "XOF",
        "attempt-token-1",
    )


def test_the_status_call_maps_statuses_and_reasons(momo):
    client = mtn_momo.MtnMomoProvider()
    refs = {}
    for token in ("paid", "poor", "refused", "late"):
        refs[token] = client.push(request(token=token), phone=PAYER).provider_reference
    momo.settle(refs["paid"])
    momo.settle(refs["poor"], "FAILED", "NOT_ENOUGH_FUNDS")
    momo.settle(refs["refused"], "FAILED", "APPROVAL_REJECTED")
    momo.settle(refs["late"], "FAILED", "EXPIRED")
    paid = client.verify(refs["paid"])
    assert paid.status == TxStatus.SUCCEEDED and paid.amount == 25_000
    assert paid.raw["financialTransactionId"]
    assert client.verify(refs["poor"]).status == TxStatus.FAILED
    assert client.verify(refs["poor"]).reason.startswith("NOT_ENOUGH_FUNDS")
    assert client.verify(refs["refused"]).reason.startswith("APPROVAL_REJECTED")
    assert client.verify(refs["late"]).reason.startswith("EXPIRED")
    assert client.verify(str(uuid.uuid4())).status == TxStatus.NOT_FOUND  # 404 RESOURCE_NOT_FOUND
    assert client.verify("not-a-reference").status == TxStatus.NOT_FOUND  # never asked


def test_a_repeated_request_is_refused_409_and_read_never_debited_twice(momo):
    client = mtn_momo.MtnMomoProvider()
    first = client.push(request(), phone=PAYER)
    again = client.push(request(), phone=PAYER)  # a retry: same attempt, same reference id
    assert again.provider_reference == first.provider_reference
    assert len(momo.transactions) == 1 and len(momo.posts("/collection/v1_0/requesttopay")) == 2
    assert [c[1] for c in momo.calls[-2:]] == [
        "/collection/v1_0/requesttopay",
        f"/collection/v1_0/requesttopay/{first.provider_reference}",
    ]
    # the answer was lost after MTN took the request: unavailable, then the retry reads it
    momo.lose_answer.add(("POST", "/collection/v1_0/requesttopay"))
    with pytest.raises(ProviderUnavailable):
        client.push(request(token="lost"), phone=PAYER)
    momo.lose_answer.clear()
    assert client.push(request(token="lost"), phone=PAYER).provider_reference
    assert len(momo.transactions) == 2


def test_error_shapes(momo):
    client = mtn_momo.MtnMomoProvider()
    momo.refuse["2290197000404"] = (404, "PAYER_NOT_FOUND")
    with pytest.raises(ProviderRejected) as refused:
        client.push(request(token="t-404"), phone="+2290197000404")
    assert refused.value.status == 404 and refused.value.reason == "PAYER_NOT_FOUND"
    assert refused.value.body == {"code": "PAYER_NOT_FOUND", "message": "Payer not found."}
    momo.refuse["2290196000500"] = (400, "NOT_ENOUGH_FUNDS")  # our disbursement account is short
    with pytest.raises(ProviderRejected) as short:
        client.payout(
            reference="p-short", amount=5_000, currency="XOF", destination=destination("+2290196000500")
        )
    assert str(short.value).startswith("NOT_ENOUGH_FUNDS")
    momo.down = True  # 500 INTERNAL_PROCESSING_ERROR
    with pytest.raises(ProviderUnavailable):
        client.push(request(token="t-500"), phone=PAYER)
    with pytest.raises(ProviderUnavailable):
        client.verify(str(uuid.uuid4()))
    momo.down = False
    assert not momo.transactions


def test_tokens_per_product_kept_and_renewed_once_on_401(momo):
    client = mtn_momo.MtnMomoProvider()
    client.push(request(token="a"), phone=PAYER)
    client.push(request(token="b"), phone=PAYER)
    client.payout(reference="p1", amount=1_000, currency="XOF", destination=destination())
    [collection] = tokens_asked(momo, "collection")
    [disbursement] = tokens_asked(momo, "disbursement")
    assert collection[2]["Ocp-Apim-Subscription-Key"] == fake.COLLECTION_KEY
    assert disbursement[2]["Ocp-Apim-Subscription-Key"] == fake.DISBURSEMENT_KEY
    assert collection[2]["Authorization"].startswith("Basic ")
    momo.expire_tokens()  # MTN forgot them: 401, one new token, the call goes through
    assert client.verify(mtn_momo.reference_id("collection", "a")).status == TxStatus.PENDING
    assert len(tokens_asked(momo, "collection")) == 2
    assert client.payout_status(mtn_momo.reference_id("disbursement", "p1")).status == "processing"
    assert len(tokens_asked(momo, "disbursement")) == 2


def test_wrong_keys_are_refused_not_retried(momo, settings):
    settings.MTN_MOMO_API_KEY = "wrong"
    with pytest.raises(ProviderRejected) as refused:
        mtn_momo.MtnMomoProvider().push(request(), phone=PAYER)
    assert refused.value.status == 401 and len(tokens_asked(momo, "collection")) == 1
    assert not momo.transactions


def test_transfer_status_and_find_payout(momo):
    client = mtn_momo.MtnMomoProvider()
    assert client.find_payout("payout-1") is None  # 404: never received, may be sent
    sent = client.payout(reference="payout-1", amount=40_000, currency="XOF", destination=destination())
    assert sent.status == "processing" and sent.reference == mtn_momo.reference_id("disbursement", "payout-1")
    [body] = momo.posts("/disbursement/v1_0/transfer")
    assert body["payee"] == {"partyIdType": "MSISDN", "partyId": "2290196000123"}
    assert (body["amount"], body["currency"], body["externalId"]) == ("40000", "XOF", "payout-1")
    assert client.find_payout("payout-1").reference == sent.reference
    assert (
        client.payout(reference="payout-1", amount=40_000, currency="XOF", destination=destination()) == sent
    )
    assert len(momo.transactions) == 1  # 409 read, not sent again
    momo.settle(sent.reference)
    assert client.payout_status(sent.reference).status == "paid"
    other = client.payout(reference="payout-2", amount=1_000, currency="XOF", destination=destination())
    momo.settle(other.reference, "FAILED", "PAYEE_NOT_FOUND")
    failed = client.payout_status(other.reference)
    assert failed.status == "failed" and failed.reason.startswith("PAYEE_NOT_FOUND")
    with pytest.raises(ProviderRejected):  # a Moov number: not MTN's to pay
        client.payout(
            reference="p-moov", amount=1_000, currency="XOF", destination=destination(operator="moov")
        )


def test_account_holders(momo):
    momo.add(PAYEE, "Mathieu", "Adjovi")
    client = mtn_momo.MtnMomoProvider()
    assert client.account_holder(PAYEE).full_name == "Mathieu Adjovi"
    assert client.account_holder("+2290196000999") is None
    assert client.account_active(PAYEE) is True
    assert client.account_active("+2290196000999") is False
    assert client.account_active(PAYEE, product="collection") is True
    assert momo.calls[-1][1] == "/collection/v1_0/accountholder/msisdn/2290196000123/active"


def test_only_the_configured_currency_moves(momo_sandbox, org):
    """MTN's sandbox takes EUR only; a XOF request is refused here, before any call."""
    client = mtn_momo.MtnMomoProvider()
    with pytest.raises(ProviderRejected) as refused:
        client.push(request(currency="XOF"), phone=PAYER)
    assert "INVALID_CURRENCY" in str(refused.value)
    with pytest.raises(ProviderRejected):
        client.payout(reference="p", amount=1_000, currency="XOF", destination=destination())
    assert not [c for c in momo_sandbox.calls if "token" not in c[1]]
    eur = client.push(request(amount=1_250, currency="EUR"), phone=PAYER)
    assert momo_sandbox.posts("/collection/v1_0/requesttopay")[0]["amount"] == "12.50"
    momo_sandbox.settle(eur.provider_reference)
    assert client.verify(eur.provider_reference).amount == 1_250
    assert mtn_momo.MtnMomoProvider.currencies == frozenset({"EUR"})
    # an organization that lacks EUR never gets an EUR intent (payments refuses the currency)
    with pytest.raises(CurrencyNotSupported):
        make_intent(org, amount=1_250, currency="EUR")


def test_never_called_inside_a_transaction(momo):
    with pytest.raises(ProviderCallInTransaction), transaction.atomic():
        mtn_momo.MtnMomoProvider().push(request(), phone=PAYER)
    assert not momo.calls


def test_callbacks_only_name_the_transaction(momo):
    client = mtn_momo.MtnMomoProvider()
    reference = client.push(request(token="tok-9"), phone=PAYER).provider_reference
    client.verify_webhook(headers={}, body=b"anything")  # unsigned: nothing to check, nothing believed
    message = client.parse_webhook(momo.callback_body(reference, status="SUCCESSFUL"))
    assert (message.reference, message.kind, message.partner_reference) == (reference, "transaction", "")
    given = client.parse_webhook(json.dumps({"referenceId": reference.upper(), "status": "FAILED"}).encode())
    assert given.reference == reference and given.event_id != message.event_id
    transfer = client.parse_webhook(
        json.dumps({"externalId": "payout-7", "payee": {"partyId": "1"}, "status": "SUCCESSFUL"}).encode()
    )
    assert transfer.kind == "payout" and transfer.reference == mtn_momo.reference_id(
        "disbursement", "payout-7"
    )
    for bad in (b"not json", b"[]", b"{}", json.dumps({"status": "SUCCESSFUL"}).encode()):
        with pytest.raises(WebhookRejected):
            client.parse_webhook(bad)


def test_production_refuses_sandbox_values():
    sandboxish = {
        "PAYMENT_PROVIDERS": ["mtn_momo"],
        "PAYMENT_PAYOUT_PROVIDER": "mtn_momo",
        "MTN_MOMO_BASE_URL": "https://sandbox.momodeveloper.mtn.com",
        "MTN_MOMO_TARGET_ENVIRONMENT": "sandbox",
        "MTN_MOMO_CURRENCY": "EUR",
        "MTN_MOMO_API_USER": "",
        "MTN_MOMO_CALLBACK_URL": "http://hokwe.test/cb",
    }
    problems = payments_conf.production_problems(sandboxish)
    assert len(problems) == 7 and any("MTN_MOMO_TARGET_ENVIRONMENT" in p for p in problems)
    live = {
        "PAYMENT_PROVIDERS": ["mtn_momo", "fedapay"],
        "PAYMENT_PAYOUT_PROVIDER": "mtn_momo",
        "MTN_MOMO_BASE_URL": "https://proxy.momoapi.mtn.com",
        "MTN_MOMO_TARGET_ENVIRONMENT": "mtnbenin",
        "MTN_MOMO_CURRENCY": "XOF",
        "MTN_MOMO_API_USER": "u",
        "MTN_MOMO_API_KEY": "k",
        "MTN_MOMO_COLLECTION_SUBSCRIPTION_KEY": "c",
        "MTN_MOMO_SUBSCRIPTION_KEY": "d",
        "MTN_MOMO_CALLBACK_URL": "https://hokwe.bj/api/v1/payments/webhooks/mtn_momo",
    }
    assert payments_conf.production_problems(live) == []
    assert (
        payments_conf.production_problems(
            {"PAYMENT_PROVIDERS": ["fedapay"], "PAYMENT_PAYOUT_PROVIDER": "fedapay"}
        )
        == []
    )


# --- through payments' services -----------------------------------------------------------------


def test_an_intent_paid_by_momo_push_is_paid_once_and_only_on_the_status_call(org, momo):
    assert provider_named("mtn_momo").name == "mtn_momo"
    intent = make_intent(org, amount=30_000)
    attempt, checkout = services.attempt_push(intent=intent, phone=PAYER)
    reference = mtn_momo.reference_id("collection", attempt.token)
    assert (
        checkout.kind == "push" and attempt.provider == "mtn_momo" and attempt.provider_reference == reference
    )
    clearing = ledgering.clearing("mtn_momo", "XOF")

    # forged: claims SUCCESSFUL while MTN still says PENDING — stored, asked, nothing moves
    forged = momo.callback_body(reference, status="SUCCESSFUL", financialTransactionId="666")
    assert send_callback(forged).status_code == 200
    intent.refresh_from_db()
    assert intent.status == "pending" and balance(intent.credit_account) == 0
    assert WebhookEvent.objects.get().status == "processed"
    # forged for a transaction MTN never had: asked, 404, ignored
    assert (
        send_callback(json.dumps({"externalId": "nobody", "status": "SUCCESSFUL"}).encode()).status_code
        == 200
    )
    assert WebhookEvent.objects.filter(status="ignored").count() == 1

    # the payer approves; MTN's real callback (POST this time) → status call → paid, once
    momo.settle(reference)
    real = momo.callback_body(reference)
    assert send_callback(real, method="POST").status_code == 200
    intent.refresh_from_db()
    assert intent.status == "succeeded" and balance(intent.credit_account) == 30_000
    assert ledger.balance(account=clearing).posted == 30_000  # MTN owes us the money, once

    # replayed: the same body is a duplicate; a different one is asked again — nothing doubles
    again = send_callback(real)
    assert again.json()["duplicate"] is True
    send_callback(momo.callback_body(reference, status="FAILED", reason="APPROVAL_REJECTED"))
    intent.refresh_from_db()
    assert intent.status == "succeeded" and balance(intent.credit_account) == 30_000
    assert PaymentAttempt.objects.get(pk=attempt.pk).status == "succeeded"
    assert ledger.balance(account=clearing).posted == 30_000
    assert len(momo.posts("/collection/v1_0/requesttopay")) == 1


def test_a_declined_push_fails_the_attempt_with_mtns_reason(org, momo):
    intent = make_intent(org, amount=10_000)
    attempt, _checkout = services.attempt_push(intent=intent, phone=PAYER)
    momo.settle(attempt.provider_reference, "FAILED", "NOT_ENOUGH_FUNDS")
    send_callback(momo.callback_body(attempt.provider_reference))
    attempt.refresh_from_db()
    intent.refresh_from_db()
    assert attempt.status == "failed" and attempt.failure_message.startswith("NOT_ENOUGH_FUNDS")
    assert intent.status == "failed" and balance(intent.credit_account) == 0


def test_a_push_to_an_unknown_payer_is_refused_clearly(org, momo):
    momo.refuse["2290197000404"] = (404, "PAYER_NOT_FOUND")
    intent = make_intent(org, amount=10_000)
    with pytest.raises(InvalidPayment):
        services.attempt_push(intent=intent, phone="+2290197000404")
    attempt = PaymentAttempt.objects.get(intent=intent)
    assert attempt.status == "failed" and "PAYER_NOT_FOUND" in attempt.failure_message


def test_a_payout_by_disbursement_through_payments(org, momo, step_up):
    kyb_approved(org)
    owner = member(org, Membership.Role.OWNER)
    services.cash_record(
        actor=member(org, Membership.Role.COLLECTOR),
        intent=make_intent(org, amount=50_000, purpose_id="fund"),
    )
    payable = ledgering.owners_payable(org.public_id, "XOF")
    account = PayoutAccount.objects.create(
        organization=org,
        kind="mobile_money",
        phone=PAYEE,
        operator="mtn",
        holder_name="Famille Adjovi",
        verified_at=org.created_at,
    )
    token = step_up(owner, "payments.payout.create", org.public_id, amount=40_000, currency="XOF")
    with on_commit():
        payout = services.payout_request(
            actor=owner,
            organization_id=org.pk,
            account=account,
            amount=40_000,
            currency="XOF",
            step_up_token=token,
        )
    payout.refresh_from_db()
    transfer = mtn_momo.reference_id("disbursement", str(payout.public_id))
    assert payout.provider == "mtn_momo" and payout.status == "processing"
    assert payout.provider_reference == transfer
    assert ledger.hold_state(hold=payout.hold) == "pending"
    # a forged "SUCCESSFUL" transfer callback: asked, still PENDING at MTN, nothing posted
    forged = json.dumps(
        {"externalId": str(payout.public_id), "payee": {"partyId": "1"}, "status": "SUCCESSFUL"}
    )
    send_callback(forged.encode())
    payout.refresh_from_db()
    assert payout.status == "processing" and balance(payable) == 50_000
    # MTN pays: its callback → the status call → the hold is posted, once
    momo.settle(transfer)
    send_callback(momo.callback_body(transfer))
    send_callback(momo.callback_body(transfer, extra="replay"))
    payout.refresh_from_db()
    assert payout.status == "paid" and balance(payable) == 10_000
    assert ledger.hold_state(hold=payout.hold) == "posted"
    assert len(momo.posts("/disbursement/v1_0/transfer")) == 1 and len(momo.transactions) == 1


def test_a_failed_transfer_voids_the_hold(org, momo, step_up):
    kyb_approved(org)
    owner = member(org, Membership.Role.OWNER)
    services.cash_record(
        actor=member(org, Membership.Role.COLLECTOR),
        intent=make_intent(org, amount=20_000, purpose_id="fund"),
    )
    payable = ledgering.owners_payable(org.public_id, "XOF")
    momo.outcome["2290196000777"] = ("FAILED", "PAYEE_NOT_FOUND")
    account = PayoutAccount.objects.create(
        organization=org,
        kind="mobile_money",
        phone="+2290196000777",
        operator="mtn",
        holder_name="Famille Adjovi",
        verified_at=org.created_at,
    )
    token = step_up(owner, "payments.payout.create", org.public_id, amount=15_000, currency="XOF")
    with on_commit():
        payout = services.payout_request(
            actor=owner,
            organization_id=org.pk,
            account=account,
            amount=15_000,
            currency="XOF",
            step_up_token=token,
        )
    payout.refresh_from_db()
    assert payout.status == "failed" and payout.failure_reason.startswith("PAYEE_NOT_FOUND")
    assert ledger.balance(account=payable).available == 20_000
    assert ledger.hold_state(hold=payout.hold) == "voided"


def test_an_organization_config_row_gives_the_api_user(org, momo):
    """A ProviderConfig row of the organization: its public key is the API user, its secret
    key the API key (the subscription keys stay the platform's)."""
    import base64

    from apps.payments import config
    from apps.payments.models import ProviderConfig

    row = ProviderConfig(provider="mtn_momo", organization=org, public_key="row-user")
    config.set_config_secrets(row, secret_key="row-key")
    row.save()
    config.clear_cache()
    adapter = config.provider_for("mtn_momo", organization_id=org.pk)
    assert (adapter.mtn.api_user, adapter.mtn.api_key) == ("row-user", "row-key")
    with pytest.raises(ProviderRejected):  # the local MTN does not know this API user
        adapter.push(request(token="row"), phone=PAYER)
    basic = "Basic " + base64.b64encode(b"row-user:row-key").decode()
    assert tokens_asked(momo, "collection")[-1][2]["Authorization"] == basic
    other = OrganizationFactory()
    assert config.provider_for("mtn_momo", organization_id=other.pk).mtn.api_user == fake.API_USER


def test_a_transfer_whose_answer_was_lost_is_found_not_sent_again(org, momo, step_up):
    """MTN took the transfer but its answer was lost (500): the payout stays `sending`; the
    sweeper asks MTN under the same reference (found), and nothing is sent twice."""
    kyb_approved(org)
    owner = member(org, Membership.Role.OWNER)
    services.cash_record(
        actor=member(org, Membership.Role.COLLECTOR),
        intent=make_intent(org, amount=20_000, purpose_id="fund"),
    )
    account = PayoutAccount.objects.create(
        organization=org,
        kind="mobile_money",
        phone=PAYEE,
        operator="mtn",
        holder_name="A",
        verified_at=org.created_at,
    )
    momo.lose_answer.add(("POST", "/disbursement/v1_0/transfer"))
    token = step_up(owner, "payments.payout.create", org.public_id, amount=10_000, currency="XOF")
    with on_commit():
        payout = services.payout_request(
            actor=owner,
            organization_id=org.pk,
            account=account,
            amount=10_000,
            currency="XOF",
            step_up_token=token,
        )
    payout.refresh_from_db()
    assert (payout.status, payout.provider_call) == ("requested", "sending") and len(momo.transactions) == 1
    momo.lose_answer.clear()
    services.provider_calls_recover(older_than_minutes=0)
    payout.refresh_from_db()
    assert payout.status == "processing" and payout.provider_reference == mtn_momo.reference_id(
        "disbursement", str(payout.public_id)
    )
    assert len(momo.posts("/disbursement/v1_0/transfer")) == 1 and len(momo.transactions) == 1
    momo.settle(payout.provider_reference)
    assert services.payout_sync(payout=Payout.objects.get(pk=payout.pk)) == "paid"


def test_a_success_with_an_unreadable_amount_credits_nothing(momo):
    client = mtn_momo.MtnMomoProvider()
    reference = client.push(request(token="odd"), phone=PAYER).provider_reference
    row = momo.settle(reference)
    row["amount"] = "25000.5"  # not a whole number of francs
    info = client.verify(reference)
    assert info.status == TxStatus.PENDING and info.reason == "UNREADABLE_AMOUNT"


def test_a_lost_callback_is_made_up_by_polling_the_status(org, momo):
    """MTN may send its callback once only: a pending push is settled by the status call of
    `settle_stale_pending` (beat), with no callback at all."""
    intent = make_intent(org, amount=12_000)
    attempt, _checkout = services.attempt_push(intent=intent, phone=PAYER)
    assert services.settle_stale_pending(provider="mtn_momo", older_than_minutes=0) == 0  # PENDING
    momo.settle(attempt.provider_reference)
    assert services.settle_stale_pending(provider="mtn_momo", older_than_minutes=0) == 1
    intent.refresh_from_db()
    assert intent.status == "succeeded" and balance(intent.credit_account) == 12_000


def test_a_push_whose_answer_was_lost_is_found_by_the_sweeper(org, momo):
    """MTN took the push, its answer was lost (500): the attempt stays `starting`; MTN cannot
    list, so the sweeper asks the reference id derived from the token — found, it is bound
    (still pending) and later paid once; one that MTN never received fails
    `start_interrupted` and the intent can be paid again."""
    intent = make_intent(org, amount=8_000)
    momo.lose_answer.add(("POST", "/collection/v1_0/requesttopay"))
    with pytest.raises(ProviderDown):
        services.attempt_push(intent=intent, phone=PAYER)
    momo.lose_answer.clear()
    starting = PaymentAttempt.objects.get(intent=intent)
    assert starting.provider_call == "starting" and not starting.provider_reference
    services.provider_calls_recover(older_than_minutes=0)
    starting.refresh_from_db()
    reference = mtn_momo.reference_id("collection", starting.token)
    assert (starting.status, starting.provider_call, starting.provider_reference) == (
        "pending",
        "",
        reference,
    )
    momo.settle(reference)  # the payer approves; MTN's callback arrives
    send_callback(momo.callback_body(reference))
    intent.refresh_from_db()
    assert intent.status == "succeeded" and balance(intent.credit_account) == 8_000
    assert len(momo.posts("/collection/v1_0/requesttopay")) == 1

    never = make_intent(org, amount=3_000, purpose_id="due-2")
    momo.down = True  # refused before MTN took anything
    with pytest.raises(ProviderDown):
        services.attempt_push(intent=never, phone=PAYER)
    momo.down = False
    services.provider_calls_recover(older_than_minutes=0)  # asked: 404, never received
    failed = PaymentAttempt.objects.get(intent=never)
    assert failed.status == "failed" and failed.failure_code == "start_interrupted"
    never.refresh_from_db()
    assert never.status == "failed" and balance(never.credit_account) == 8_000


def test_daily_reconciliation_verifies_each_push(org, momo):
    """MTN has no listing: reconciliation asks the status of each push of the day."""
    from django.utils import timezone

    from apps.payments.models import ReconciliationItem

    intent = make_intent(org, amount=9_000)
    attempt, _checkout = services.attempt_push(intent=intent, phone=PAYER)
    momo.settle(attempt.provider_reference)  # paid, and no callback ever came
    report = services.reconcile(provider="mtn_momo", day=timezone.localdate())
    intent.refresh_from_db()
    assert intent.status == "succeeded" and report.checked == 1
    item = ReconciliationItem.objects.get(provider="mtn_momo")
    assert item.kind == "paid_not_recorded" and item.provider_reference == attempt.provider_reference
    again = services.reconcile(provider="mtn_momo", day=timezone.localdate())
    assert again.matched == 1 and balance(intent.credit_account) == 9_000


@pytest.mark.parametrize(
    ("value", "currency", "minor"),
    [
        ("5000", "XOF", 5000),
        ("12.50", "EUR", 1250),
        ("12.505", "EUR", None),
        ("Infinity", "XOF", None),
        ("NaN", "EUR", None),
        ("abc", "XOF", None),
        (None, "XOF", None),
        (True, "XOF", None),
    ],
)
def test_amounts_are_read_exactly(value, currency, minor):
    assert mtn_momo.to_minor(value, currency) == minor
    if minor is not None:
        assert mtn_momo.to_major(minor, currency) == value
