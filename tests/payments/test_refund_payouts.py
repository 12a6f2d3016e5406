"""Refunds the collecting provider cannot make — a part of a Kkiapay payment (Kkiapay only
reverts whole transactions), any FedaPay payment (no refunds in our adapter) — are paid to
the payer's mobile money number by a payout: same hold, statuses, step-up; the payout is sent
after the commit by the payout provider; its answer is applied once."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from apps.core.models import OutboxEvent
from apps.identity.models import Membership
from apps.ledger import api as ledger
from apps.payments import services
from apps.payments.errors import NotRefundable, RefundDestinationUnknown, RefundExceedsPaid
from apps.payments.models import Payout, Refund
from apps.payments.services import ledgering

from .conftest import make_intent, member, on_commit

pytestmark = pytest.mark.django_db

PAYER = "+2290196000321"


def paid_by_kkiapay(org, kkiapay, *, amount=10_000, fee_bp=0, payer_phone=PAYER, purpose_id="due-1"):
    intent = make_intent(org, amount=amount, fee_bp=fee_bp, payer_phone=payer_phone, purpose_id=purpose_id)
    attempt, _checkout = services.attempt_start(intent=intent, method="mobile_money")
    reference = kkiapay.add(amount=amount, partner=attempt.token)
    assert services.callback_confirm(intent=intent, provider="kkiapay", reference=reference) == "succeeded"
    intent.refresh_from_db()
    return intent


def paid_by_fedapay(org, fedapay, *, amount=10_000, payer_phone=PAYER):
    intent = make_intent(org, amount=amount, payer_phone=payer_phone)
    attempt, _checkout = services.attempt_start(
        intent=intent, method="mobile_money", return_url="https://x/cb"
    )
    fedapay.transactions[int(attempt.provider_reference)]["status"] = "approved"
    assert (
        services.callback_confirm(intent=intent, provider="fedapay", reference=attempt.provider_reference)
        == "succeeded"
    )
    intent.refresh_from_db()
    return intent


def refund(manager, intent, amount, step_up, *, key="", commit=True):
    token = step_up(manager, "payments.intent.refund", intent.public_id, amount=amount, currency="XOF")
    if not commit:
        return services.intent_refund(
            actor=manager, intent=intent, amount=amount, step_up_token=token, idempotency_key=key
        )
    with on_commit():
        made = services.intent_refund(
            actor=manager, intent=intent, amount=amount, step_up_token=token, idempotency_key=key
        )
    made.refresh_from_db()
    return made


def refunded_events(intent) -> int:
    return OutboxEvent.objects.filter(
        name="payments.PaymentRefunded", payload__intent_id=str(intent.public_id)
    ).count()


@pytest.fixture(autouse=True)
def _english():
    """The reasons are read in English here (French: test_the_reasons_are_in_french)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def manager(org):
    return member(org, Membership.Role.MANAGER)


def test_a_partial_refund_at_kkiapay_becomes_a_payout_to_the_payer(org, kkiapay, manager, step_up, settings):
    settings.PAYMENT_PAYOUT_PROVIDER = "sandbox"
    intent = paid_by_kkiapay(org, kkiapay, amount=10_000, fee_bp=100)
    made = refund(manager, intent, 4_000, step_up)
    assert made.via == "payout" and made.status == "succeeded"
    payout = Payout.objects.get(refund=made)
    assert (payout.purpose, payout.payee_phone, payout.payee_operator, payout.amount) == (
        "refund",
        PAYER,
        "mtn",
        4_000,
    )
    assert payout.status == "paid" and payout.payout_account is None and payout.destination == "MTN ****0321"
    assert payout.hold == made.hold and ledger.hold_state(hold=made.hold) == "posted"
    assert not [path for path, _body in kkiapay.calls if path.endswith("/revert")]  # Kkiapay not asked
    intent.refresh_from_db()
    assert intent.status == "partially_refunded" and intent.amount_refunded == 4_000
    # the ledger: 4 000 left the sandbox payout provider's balance; the caller's account and
    # the fee (pro rata: 40 of the 100) paid for it
    assert ledger.balance(account=ledgering.clearing("sandbox", "XOF")).posted == -4_000
    assert ledger.balance(account=intent.credit_account).posted == 9_900 - 3_960
    assert refunded_events(intent) == 1
    # the rest, whole remaining but not the whole payment: a payout too
    rest = refund(manager, intent, 6_000, step_up)
    assert rest.via == "payout" and rest.status == "succeeded"
    intent.refresh_from_db()
    assert intent.status == "refunded" and intent.fee_refunded == 100
    assert ledger.balance(account=intent.credit_account).posted == 0


def test_a_whole_refund_at_kkiapay_is_still_reverted_by_kkiapay(org, kkiapay, manager, step_up):
    intent = paid_by_kkiapay(org, kkiapay)
    made = refund(manager, intent, 10_000, step_up)
    assert made.via == "provider" and made.status == "succeeded" and not made.payouts.exists()


def test_a_fedapay_refund_becomes_a_payout_sent_by_fedapay(org, fedapay, manager, step_up, settings):
    settings.PAYMENT_PAYOUT_PROVIDER = "fedapay"
    intent = paid_by_fedapay(org, fedapay, amount=12_000)
    made = refund(manager, intent, 12_000, step_up)
    assert made.via == "payout" and made.status == "requested"  # FedaPay: started, not yet sent
    payout = made.payouts.get()
    sent = fedapay.payouts[int(payout.provider_reference)]
    assert sent["custom_metadata"] == {"payout": str(payout.public_id)} and sent["status"] == "started"
    assert ledger.balance(account=intent.credit_account).available == 0  # held
    sent["status"] = "sent"
    assert services.payout_sync(payout=payout) == "paid"
    services.payout_sync(payout=Payout.objects.get(pk=payout.pk))  # applied once
    made.refresh_from_db()
    intent.refresh_from_db()
    assert made.status == "succeeded" and intent.status == "refunded"
    assert ledger.balance(account=ledgering.clearing("fedapay", "XOF")).posted == 0  # 12 000 in, 12 000 out
    assert refunded_events(intent) == 1


def test_a_payer_without_a_mobile_money_number_is_refused_clearly(org, kkiapay, manager, step_up):
    intent = paid_by_kkiapay(org, kkiapay, payer_phone="")
    token = step_up(manager, "payments.intent.refund", intent.public_id, amount=1_000, currency="XOF")
    with pytest.raises(RefundDestinationUnknown) as refused:
        services.intent_refund(actor=manager, intent=intent, amount=1_000, step_up_token=token)
    assert refused.value.code == "refund_destination_unknown" and "unknown" in str(refused.value.message)
    landline = paid_by_kkiapay(org, kkiapay, payer_phone="+2290121300000", purpose_id="due-2")
    token = step_up(manager, "payments.intent.refund", landline.public_id, amount=1_000, currency="XOF")
    with pytest.raises(RefundDestinationUnknown) as refused:
        services.intent_refund(actor=manager, intent=landline, amount=1_000, step_up_token=token)
    assert "not a mobile money number" in str(refused.value.message)
    assert Refund.objects.count() == 0 and Payout.objects.count() == 0
    assert ledger.balance(account=intent.credit_account).available == 20_000  # both payments, untouched


def test_a_failed_payout_releases_the_hold_and_a_retry_is_possible(org, kkiapay, manager, step_up, settings):
    settings.PAYMENT_PAYOUT_PROVIDER = "sandbox"
    intent = paid_by_kkiapay(org, kkiapay, payer_phone="+2290196000000")  # the sandbox fails ...0000
    failed = refund(manager, intent, 3_000, step_up)
    assert failed.status == "failed" and failed.via == "payout" and "0000" in failed.failure_reason
    assert ledger.hold_state(hold=failed.hold) == "voided"
    intent.refresh_from_db()
    assert intent.status == "succeeded" and ledger.balance(account=intent.credit_account).available == 10_000
    assert refunded_events(intent) == 0
    failed_event = OutboxEvent.objects.get(name="payments.PaymentRefundFailed")
    assert failed_event.payload["refund_id"] == str(failed.public_id)
    assert failed_event.payload["via"] == "payout" and "0000" in failed_event.payload["reason"]
    intent.payer_phone = PAYER  # staff corrected the payer's number
    intent.save(update_fields=["payer_phone"])
    retried = refund(manager, intent, 3_000, step_up)
    assert retried.status == "succeeded" and Payout.objects.get(refund=retried).payee_phone == PAYER
    intent.refresh_from_db()
    assert intent.amount_refunded == 3_000


def test_a_replayed_refund_moves_the_money_once(org, kkiapay, manager, step_up, settings):
    settings.PAYMENT_PAYOUT_PROVIDER = "sandbox"
    intent = paid_by_kkiapay(org, kkiapay)
    first = refund(manager, intent, 2_500, step_up, key="refund-1")
    again = refund(manager, intent, 2_500, step_up, key="refund-1")
    assert again.pk == first.pk and Payout.objects.count() == 1
    # the send task and the sweeper asking again change nothing
    services.refund_send(refund_pk=first.pk)
    services.payout_send(payout_pk=first.payouts.get().pk, stale_after_minutes=0)
    assert services.provider_calls_recover(older_than_minutes=0)["refunds"] == 0
    intent.refresh_from_db()
    assert intent.amount_refunded == 2_500 and refunded_events(intent) == 1
    assert ledger.balance(account=ledgering.clearing("sandbox", "XOF")).posted == -2_500


def test_a_refund_payout_cannot_be_canceled_as_a_payout(org, kkiapay, manager, step_up, settings):
    from apps.payments.errors import InvalidTransition

    settings.PAYMENT_PAYOUT_PROVIDER = "sandbox"
    intent = paid_by_kkiapay(org, kkiapay)
    made = refund(manager, intent, 1_000, step_up, commit=False)  # recorded, not sent yet
    payout = made.payouts.get()
    with pytest.raises(InvalidTransition):
        services.payout_cancel(actor=member(org, Membership.Role.OWNER), payout=payout)


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amount=st.integers(min_value=1_000, max_value=200_000),
    asks=st.lists(st.integers(min_value=1, max_value=250_000), min_size=1, max_size=5),
    fee_bp=st.sampled_from([0, 100, 250]),
)
def test_a_refund_turned_payout_never_pays_more_than_was_received(
    org, kkiapay, manager, step_up, settings, amount, asks, fee_bp
):
    settings.PAYMENT_PAYOUT_PROVIDER = "sandbox"
    clearing = ledgering.clearing("sandbox", "XOF")
    paid_out_before = -ledger.balance(account=clearing).posted
    intent = paid_by_kkiapay(
        org, kkiapay, amount=amount, fee_bp=fee_bp, purpose_id=f"p-{Refund.objects.count()}"
    )
    for ask in asks:
        if ask == amount:
            ask -= 1  # keep to parts: the whole payment would go back through Kkiapay itself
        if ask <= 0:
            continue
        remaining = intent.amount - intent.amount_refunded
        if ask > remaining:
            token = step_up(manager, "payments.intent.refund", intent.public_id, amount=ask, currency="XOF")
            # more than is left: refused (a payment refunded in full is no longer refundable at all)
            with pytest.raises(RefundExceedsPaid if remaining else NotRefundable):
                services.intent_refund(actor=manager, intent=intent, amount=ask, step_up_token=token)
        else:
            assert refund(manager, intent, ask, step_up).status == "succeeded"
        intent.refresh_from_db()
    paid_out = -ledger.balance(account=clearing).posted - paid_out_before
    assert paid_out == intent.amount_refunded <= intent.amount
    assert (
        sum(Payout.objects.filter(refund__intent=intent, status="paid").values_list("amount", flat=True))
        == paid_out
    )
    assert ledger.balance(account=intent.credit_account).posted >= 0
    assert intent.fee_refunded <= intent.fee_amount


def test_rest_and_graphql_say_the_refund_goes_by_a_payout(
    org, other_org, kkiapay, manager, step_up, settings, client_for
):
    from tests.helpers import gql

    settings.PAYMENT_PAYOUT_PROVIDER = "sandbox"
    intent = paid_by_kkiapay(org, kkiapay, amount=10_000)
    token = step_up(manager, "payments.intent.refund", intent.public_id, amount=3_000, currency="XOF")
    with on_commit():
        response = client_for(manager).post(
            f"/api/v1/payments/intents/{intent.public_id}/refunds",
            {"amount": 3_000, "reason": "trop perçu", "step_up_token": token},
            format="json",
        )
    assert response.status_code == 201, response.content
    assert response.json()["via"] == "payout" and response.json()["failure_reason"] == ""
    token = step_up(manager, "payments.intent.refund", intent.public_id, amount=2_000, currency="XOF")
    with on_commit():
        data = gql(
            client_for(manager),
            "mutation($id: UUID!, $token: String) { paymentsRefund(intentId: $id, amount: 2000, stepUpToken: $token)"
            " { ok errors { code } refund { via status failureReason } } }",
            {"id": str(intent.public_id), "token": token},
        )["paymentsRefund"]
    assert data["ok"], data
    assert data["refund"]["via"] == "payout"
    intent.refresh_from_db()
    assert (
        intent.amount_refunded == 5_000
        and Payout.objects.filter(refund__intent=intent, status="paid").count() == 2
    )
    # another organization's manager cannot refund it (not found), on both transports
    outsider = member(other_org, Membership.Role.MANAGER)
    refused = client_for(outsider).post(
        f"/api/v1/payments/intents/{intent.public_id}/refunds", {"amount": 1}, format="json"
    )
    assert refused.status_code == 404


def test_the_payment_page_shows_a_refund_paid_to_the_payers_number(
    org, other_org, kkiapay, manager, step_up, settings, client
):
    from django.utils import translation

    settings.PAYMENT_PAYOUT_PROVIDER = "sandbox"
    intent = paid_by_kkiapay(org, kkiapay, payer_phone="+2290196000000")  # the sandbox fails it
    failed = refund(manager, intent, 3_000, step_up)
    assert failed.status == "failed"
    client.force_login(manager)
    with translation.override("fr"):
        page = client.get(f"/manager/payments/{intent.public_id}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "versé au numéro mobile money du payeur" in page and failed.failure_reason in page
    client.force_login(member(other_org, Membership.Role.MANAGER))
    assert client.get(f"/manager/payments/{intent.public_id}").status_code == 404
    assert client.get("/manager/payments/payouts").status_code == 200
    assert "****0000" not in client.get("/manager/payments/payouts").content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_same_refund_sent_eight_times_at_once_pays_the_payer_once(org, kkiapay, step_up, settings):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    settings.PAYMENT_PAYOUT_PROVIDER = "sandbox"
    manager = member(org, Membership.Role.MANAGER)
    intent = paid_by_kkiapay(org, kkiapay, amount=10_000)
    token = step_up(manager, "payments.intent.refund", intent.public_id, amount=4_000, currency="XOF")
    barrier = threading.Barrier(8)

    def send(_index):
        try:
            barrier.wait()
            made = services.intent_refund(
                actor=manager, intent=intent, amount=4_000, step_up_token=token, idempotency_key="double-tap"
            )
            return made.pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        refunds = set(pool.map(send, range(8)))
    assert len(refunds) == 1 and Refund.objects.filter(intent=intent).count() == 1
    made = Refund.objects.get()
    assert made.via == "payout" and made.status == "succeeded"  # sent after its commit (no lock held)
    assert Payout.objects.filter(refund=made).count() == 1
    intent.refresh_from_db()
    assert intent.amount_refunded == 4_000 and refunded_events(intent) == 1
    assert ledger.balance(account=ledgering.clearing("sandbox", "XOF")).posted == -4_000


def test_the_confirmation_page_says_the_refund_goes_to_the_payers_number(
    org, kkiapay, manager, client, settings
):
    import html

    from django.core.cache import cache
    from django.urls import reverse

    from tests.helpers import enrol_totp, totp_code

    settings.PAYMENT_PAYOUT_PROVIDER = "sandbox"
    cache.clear()
    intent = paid_by_kkiapay(org, kkiapay, amount=10_000)
    client.force_login(manager)
    device = enrol_totp(manager)
    url = reverse("manager:payments-refund", kwargs={"intent_id": intent.public_id})
    body = {"amount": "4000", "reason": "Trop-perçu"}
    asked = client.post(url, body, HTTP_ACCEPT_LANGUAGE="fr")
    page = html.unescape(asked.content.decode())
    assert asked.status_code == 200 and f"par un versement au numéro mobile money {PAYER}" in page
    assert Refund.objects.count() == 0  # asked first, nothing moved
    client.post(url, {**body, "confirm_step": "confirm"})
    with on_commit():
        done = client.post(url, {**body, "confirm_step": "code", "code": totp_code(device)})
    assert done.status_code == 302
    made = Refund.objects.get()
    assert made.via == "payout" and made.status == "succeeded"
    # a payer without a number: the page says so at once, before any code is asked
    unknown = paid_by_kkiapay(org, kkiapay, amount=10_000, payer_phone="", purpose_id="due-9")
    refused = client.post(
        reverse("manager:payments-refund", kwargs={"intent_id": unknown.public_id}),
        body,
        follow=True,
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    said = html.unescape(refused.content.decode())
    assert refused.status_code == 200 and "remboursez le payeur autrement" in said
    assert Refund.objects.count() == 1
