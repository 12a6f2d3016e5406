"""P2P transfers by phone number (issue 19, point 1): preview with the receiver's masked name,
confirm with an Idempotency-Key (and the step-up above the threshold), every refusal, money
held for a number with no account (invitation, claim at sign-up, return by the beat, cancel),
messages and history on both sides — over the services, REST and GraphQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.identity import api as identity
from apps.identity.services.users import user_get_or_create_by_phone
from apps.kyc.errors import KycLimitExceeded
from apps.ledger import api as ledger
from apps.notifications.models import Message
from apps.wallet import errors
from apps.wallet.models import P2pTransfer, Wallet
from apps.wallet.services import p2p, wallets
from tests.helpers import bearer_client, gql
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(db):
    return UserFactory(full_name="Brice Zinsou", phone="+2290197110001")


@pytest.fixture
def receiver(db):
    return UserFactory(full_name="Koffi Adjovi", phone="+2290197110002")


@pytest.fixture
def funded(sender, fund):
    wallet = wallets.wallet_for(sender)
    fund(wallet, 80_000)
    return wallet


def balance(user, currency="XOF") -> int:
    return ledger.balance(account=wallets.wallet_for(user, currency).account).posted


def held_balance(currency="XOF") -> int:
    return ledger.balance(account=p2p.held_account(currency)).posted


def send(actor, phone, amount, *, key=None, step_up=None, note=""):
    preview = p2p.p2p_preview(actor=actor, phone=phone, amount=amount, currency="XOF", note=note)
    token = step_up(actor, preview) if step_up and preview.step_up_required else None
    return p2p.p2p_confirm(
        actor=actor, preview_token=preview.token, idempotency_key=key or uuid.uuid4().hex, step_up_token=token
    )


def test_mask_name():
    assert p2p.mask_name("Koffi Adjovi") == "Ko*** A."
    assert p2p.mask_name("  koffi   jean adjovi ") == "ko*** A."
    assert p2p.mask_name("Koffi") == "Ko***"
    assert p2p.mask_name("") == ""


# --- the flow ---------------------------------------------------------------------------------


def test_preview_shows_the_masked_name_for_a_number_written_any_way(sender, receiver, funded):
    for written in ("+229 01 97 11 00 02", "0197110002", "97 11 00 02", "00229 0197110002"):
        preview = p2p.p2p_preview(actor=sender, phone=written, amount=5_000, currency="XOF")
        assert preview.receiver_phone == "+2290197110002"
        assert preview.receiver_name == "Ko*** A."
        assert preview.receiver_has_account
        assert (preview.amount, preview.fee, preview.total, preview.currency) == (5_000, 0, 5_000, "XOF")
        assert not preview.step_up_required
    assert not P2pTransfer.objects.exists() and balance(sender) == 80_000  # a preview writes nothing


def test_confirm_moves_the_money_and_tells_the_receiver(
    sender, receiver, funded, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the notice goes out once it commits
        transfer = send(sender, "97 11 00 02", 5_000, note="Loyer de mars")
    assert transfer.status == P2pTransfer.Status.COMPLETED
    assert (balance(sender), balance(receiver)) == (75_000, 5_000)
    assert transfer.receiver == receiver and transfer.note == "Loyer de mars"
    assert wallets.usage(sender, "XOF").outflow_today == 5_000
    assert wallets.usage(receiver, "XOF").inflow_this_month == 5_000
    sms = Message.objects.get(template_key="wallet.p2p_received", channel="sms")
    assert sms.user_id == receiver.pk and "Brice Zinsou" in sms.body and "5" in sms.body
    assert Message.objects.filter(template_key="wallet.p2p_received", channel="inapp", user=receiver).exists()
    # both see it in their history, each from their side
    mine = p2p.p2p_view(transfer, sender)
    theirs = p2p.p2p_view(transfer, receiver)
    assert (mine.direction, mine.counterpart_name, mine.counterpart_phone) == (
        "sent",
        "Ko*** A.",
        "+2290197110002",
    )
    assert (theirs.direction, theirs.counterpart_name) == ("received", "Br*** Z.")
    assert theirs.counterpart_phone.endswith("01") and "97110001" not in theirs.counterpart_phone


def test_a_retry_with_the_same_key_returns_the_first_transfer(sender, receiver, funded):
    preview = p2p.p2p_preview(actor=sender, phone="0197110002", amount=5_000, currency="XOF")
    first = p2p.p2p_confirm(actor=sender, preview_token=preview.token, idempotency_key="k-1")
    again = p2p.p2p_confirm(actor=sender, preview_token=preview.token, idempotency_key="k-1")
    assert again.pk == first.pk and balance(receiver) == 5_000
    with pytest.raises(errors.P2pPreviewUsed):  # the same preview under another key
        p2p.p2p_confirm(actor=sender, preview_token=preview.token, idempotency_key="k-2")
    other = p2p.p2p_preview(actor=sender, phone="0197110002", amount=5_000, currency="XOF")
    with pytest.raises(identity_conflict()):  # the same key for another preview
        p2p.p2p_confirm(actor=sender, preview_token=other.token, idempotency_key="k-1")
    assert balance(receiver) == 5_000


def identity_conflict():
    from apps.core.errors import IdempotencyConflict

    return IdempotencyConflict


# --- step-up --------------------------------------------------------------------------------------


def test_above_the_threshold_a_step_up_is_needed_and_used_once(
    sender, receiver, funded, p2p_step_up, settings
):
    settings.WALLET_P2P_STEP_UP_ABOVE = 10_000
    preview = p2p.p2p_preview(actor=sender, phone="0197110002", amount=15_000, currency="XOF")
    assert preview.step_up_required and preview.step_up_action == "wallet.transfer.send"
    assert preview.step_up_target == str(preview.preview_id)
    with pytest.raises(identity.StepUpRequired):
        p2p.p2p_confirm(actor=sender, preview_token=preview.token, idempotency_key="a")
    token = p2p_step_up(sender, preview)
    transfer = p2p.p2p_confirm(
        actor=sender, preview_token=preview.token, idempotency_key="b", step_up_token=token
    )
    assert transfer.status == "completed" and balance(receiver) == 15_000
    # a reused proof releases nothing else
    second = p2p.p2p_preview(actor=sender, phone="0197110002", amount=15_000, currency="XOF")
    with pytest.raises(identity.StepUpRequired):
        p2p.p2p_confirm(actor=sender, preview_token=second.token, idempotency_key="c", step_up_token=token)


def test_a_stale_step_up_or_one_for_another_transfer_is_refused(
    sender, receiver, funded, p2p_step_up, settings, time_machine
):
    settings.WALLET_P2P_STEP_UP_ABOVE = 1_000
    first = p2p.p2p_preview(actor=sender, phone="0197110002", amount=2_000, currency="XOF")
    other = p2p.p2p_preview(actor=sender, phone="0197110002", amount=2_000, currency="XOF")
    token = p2p_step_up(sender, first)
    with pytest.raises(identity.StepUpRequired):  # bound to the first preview
        p2p.p2p_confirm(actor=sender, preview_token=other.token, idempotency_key="x", step_up_token=token)
    assert settings.STEP_UP_TTL_SECONDS < settings.WALLET_P2P_PREVIEW_TTL_SECONDS
    time_machine.move_to(timezone.now() + timedelta(seconds=settings.STEP_UP_TTL_SECONDS + 5), tick=False)
    with pytest.raises(identity.StepUpRequired):  # stale: the preview is still valid, the proof is not
        p2p.p2p_confirm(actor=sender, preview_token=first.token, idempotency_key="y", step_up_token=token)
    assert balance(receiver) == 0 and not P2pTransfer.objects.exists()


def test_an_sms_code_does_not_release_a_large_transfer(sender, receiver, funded, settings):
    """The action is a strong one: without an authenticator app or a passkey it is refused."""
    settings.WALLET_P2P_STEP_UP_ABOVE = 1_000
    preview = p2p.p2p_preview(actor=sender, phone="0197110002", amount=2_000, currency="XOF")
    with pytest.raises(identity.SecondFactorRequired):
        identity.step_up_start(
            actor=sender,
            action=preview.step_up_action,
            target=preview.step_up_target,
            amount=2_000,
            currency="XOF",
        )


# --- refusals --------------------------------------------------------------------------------------


def test_refusals_are_clear(sender, receiver, funded, fund):
    with pytest.raises(errors.P2pToSelf):
        p2p.p2p_preview(actor=sender, phone="97 11 00 01", amount=1_000, currency="XOF")
    for amount in (0, -5):
        with pytest.raises(errors.InvalidAmount):
            p2p.p2p_preview(actor=sender, phone="0197110002", amount=amount, currency="XOF")
    for amount in (10.0, "1000", True):
        with pytest.raises(errors.InvalidAmount):
            p2p.p2p_preview(actor=sender, phone="0197110002", amount=amount, currency="XOF")
    with pytest.raises(identity.InvalidPhone):
        p2p.p2p_preview(actor=sender, phone="12", amount=1_000, currency="XOF")
    with pytest.raises(errors.P2pCurrencyNotInWallet):
        p2p.p2p_preview(actor=sender, phone="0197110002", amount=1_000, currency="XAF")
    with pytest.raises(errors.P2pInsufficientBalance):
        p2p.p2p_preview(actor=sender, phone="0197110002", amount=80_001, currency="XOF")


def test_frozen_or_closed_wallets_are_refused_at_preview_and_confirm(sender, receiver, funded):
    receiving = wallets.wallet_for(receiver)
    preview = p2p.p2p_preview(actor=sender, phone="0197110002", amount=1_000, currency="XOF")
    Wallet.objects.filter(pk=receiving.pk).update(status=Wallet.Status.FROZEN)
    with pytest.raises(errors.P2pReceiverWalletFrozen):
        p2p.p2p_preview(actor=sender, phone="0197110002", amount=1_000, currency="XOF")
    with pytest.raises(errors.P2pReceiverWalletFrozen):
        p2p.p2p_confirm(actor=sender, preview_token=preview.token, idempotency_key="f")
    Wallet.objects.filter(pk=receiving.pk).update(status=Wallet.Status.CLOSED)
    with pytest.raises(errors.P2pReceiverWalletClosed):
        p2p.p2p_preview(actor=sender, phone="0197110002", amount=1_000, currency="XOF")
    Wallet.objects.filter(pk=receiving.pk).update(status=Wallet.Status.ACTIVE)
    Wallet.objects.filter(pk=funded.pk).update(status=Wallet.Status.FROZEN)
    with pytest.raises(errors.WalletFrozen):
        p2p.p2p_preview(actor=sender, phone="0197110002", amount=1_000, currency="XOF")
    with pytest.raises(errors.WalletFrozen):  # frozen between the preview and the confirm
        p2p.p2p_confirm(actor=sender, preview_token=preview.token, idempotency_key="g")
    Wallet.objects.filter(pk=funded.pk).update(status=Wallet.Status.CLOSED)
    with pytest.raises(errors.WalletClosed):
        p2p.p2p_confirm(actor=sender, preview_token=preview.token, idempotency_key="h")
    assert balance(sender) == 80_000 and balance(receiver) == 0 and not P2pTransfer.objects.exists()


def test_kyc_limits_bind_for_the_sender_and_the_receiver(sender, receiver, fund):
    """Tier 0: single transaction and daily outflow 100 000, maximum balance 200 000."""
    fund(wallets.wallet_for(sender), 150_000)
    send(sender, "0197110002", 40_000)
    with pytest.raises(KycLimitExceeded) as out:  # 40 000 + 70 000 > the daily outflow
        p2p.p2p_preview(actor=sender, phone="0197110002", amount=70_000, currency="XOF")
    assert out.value.params["limit"] == "daily_outflow"
    # the receiver's maximum balance: 40 000 + 150 000 held, 20 000 more would pass 200 000
    other = UserFactory()
    fund(wallets.wallet_for(other), 50_000)
    fund(wallets.wallet_for(receiver), 150_000)
    with pytest.raises(KycLimitExceeded) as received:
        p2p.p2p_preview(actor=other, phone="0197110002", amount=20_000, currency="XOF")
    assert received.value.params["limit"] == "max_balance"
    fine = p2p.p2p_preview(actor=other, phone="0197110002", amount=10_000, currency="XOF")
    fund(wallets.wallet_for(receiver), 5_000)  # between the preview and the confirm
    with pytest.raises(KycLimitExceeded):  # checked again under the lock
        p2p.p2p_confirm(actor=other, preview_token=fine.token, idempotency_key="late")
    assert balance(other) == 50_000 and balance(receiver) == 195_000


def test_the_receiver_changing_after_the_preview_is_refused(sender, receiver, funded):
    preview = p2p.p2p_preview(actor=sender, phone="0197110002", amount=1_000, currency="XOF")
    receiver.phone = "+2290197110099"
    receiver.save(update_fields=["phone"])
    UserFactory(phone="+2290197110002", full_name="Quelqu'un d'autre")
    with pytest.raises(errors.P2pReceiverChanged):
        p2p.p2p_confirm(actor=sender, preview_token=preview.token, idempotency_key="z")


def test_a_preview_is_the_senders_only_and_expires(sender, receiver, funded, settings, time_machine):
    preview = p2p.p2p_preview(actor=sender, phone="0197110002", amount=1_000, currency="XOF")
    with pytest.raises(errors.P2pPreviewExpired):
        p2p.p2p_confirm(actor=receiver, preview_token=preview.token, idempotency_key="r")
    with pytest.raises(errors.P2pPreviewExpired):
        p2p.p2p_confirm(actor=sender, preview_token=preview.token[:-2] + "xx", idempotency_key="r")
    time_machine.move_to(timezone.now() + timedelta(seconds=settings.WALLET_P2P_PREVIEW_TTL_SECONDS + 1))
    with pytest.raises(errors.P2pPreviewExpired):
        p2p.p2p_confirm(actor=sender, preview_token=preview.token, idempotency_key="r")


# --- a number with no account ------------------------------------------------------------------------


def test_money_to_a_number_with_no_account_is_held_and_claimed_at_sign_up(
    sender, funded, django_capture_on_commit_callbacks
):
    preview = p2p.p2p_preview(actor=sender, phone="97 11 00 55", amount=7_000, currency="XOF")
    assert not preview.receiver_has_account and preview.receiver_name == ""
    with django_capture_on_commit_callbacks(execute=True):
        transfer = p2p.p2p_confirm(actor=sender, preview_token=preview.token, idempotency_key="h1")
    assert transfer.status == "held" and transfer.claim_until is not None
    assert balance(sender) == 73_000 and held_balance() == 7_000
    invitation = Message.objects.get(template_key="wallet.p2p_invitation")
    assert invitation.channel == "sms" and invitation.address == "+2290197110055"
    assert "Brice Zinsou" in invitation.body and "7" in invitation.body
    with django_capture_on_commit_callbacks(execute=True):
        newcomer, created = user_get_or_create_by_phone(phone="+2290197110055")
    assert created
    transfer.refresh_from_db()
    assert transfer.status == "claimed" and transfer.receiver == newcomer
    assert balance(newcomer) == 7_000 and held_balance() == 0
    assert Message.objects.filter(template_key="wallet.p2p_received", user=newcomer).exists()
    assert p2p.p2p_view(transfer, newcomer).direction == "received"


def test_unclaimed_money_goes_back_after_the_claim_days_once(sender, funded, settings):
    settings.WALLET_P2P_CLAIM_DAYS = 3
    transfer = send(sender, "0197110066", 4_000)
    assert p2p.p2p_settle_held() == {"claimed": 0, "returned": 0}
    later = timezone.now() + timedelta(days=3, minutes=1)
    assert p2p.p2p_settle_held(now=later) == {"claimed": 0, "returned": 1}
    assert p2p.p2p_settle_held(now=later) == {"claimed": 0, "returned": 0}  # idempotent
    transfer.refresh_from_db()
    assert transfer.status == "returned" and balance(sender) == 80_000 and held_balance() == 0
    returned = Message.objects.get(template_key="wallet.p2p_returned", channel="sms")
    assert returned.user_id == sender.pk and "0197110066" not in returned.body


def test_the_beat_task_is_scheduled_and_runs_the_settlement(sender, funded, settings):
    from apps.wallet.tasks import p2p_settle_held

    assert settings.CELERY_BEAT_SCHEDULE["wallet.p2p_settle_held"]["task"] == "wallet.p2p_settle_held"
    send(sender, "0197110067", 1_500)
    assert p2p_settle_held.delay().get() == {"claimed": 0, "returned": 0}  # not due yet
    assert held_balance() == 1_500


def test_the_beat_claims_for_a_number_that_got_an_account_another_way(sender, funded):
    """An account created without the sign-up event (a manager adding a tenant) is found by
    the beat before the money goes back."""
    transfer = send(sender, "0197110077", 3_000)
    tenant = UserFactory(phone="+2290197110077")
    assert p2p.p2p_settle_held() == {"claimed": 1, "returned": 0}
    transfer.refresh_from_db()
    assert transfer.status == "claimed" and balance(tenant) == 3_000


def test_the_sender_cancels_an_unclaimed_transfer(sender, receiver, funded):
    held = send(sender, "0197110088", 2_500)
    with pytest.raises(errors.P2pNotCancellable):
        p2p.p2p_cancel(actor=receiver, transfer=held)
    p2p.p2p_cancel(actor=sender, transfer=held)
    held.refresh_from_db()
    assert held.status == "cancelled" and balance(sender) == 80_000 and held_balance() == 0
    with pytest.raises(errors.P2pNotCancellable):  # once
        p2p.p2p_cancel(actor=sender, transfer=held)
    done = send(sender, "0197110002", 1_000)
    with pytest.raises(errors.P2pNotCancellable):  # a completed one cannot be taken back
        p2p.p2p_cancel(actor=sender, transfer=done)
    # a cancelled transfer is not claimed at sign-up
    newcomer = UserFactory(phone="+2290197110088")
    assert p2p.p2p_claim_for(newcomer) == [] and balance(newcomer) == 0


# --- REST ------------------------------------------------------------------------------------------


def test_rest_preview_confirm_history_and_cancel(sender, receiver, funded):
    client = bearer_client(sender)
    preview = client.post(
        "/api/v1/wallet/p2p/preview",
        {"phone": "97 11 00 02", "amount": 5_000, "currency": "XOF"},
        format="json",
    )
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["receiver_name"] == "Ko*** A." and body["amount"]["amount"] == 5_000
    assert body["step_up_required"] is False and body["fee"]["amount"] == 0
    confirm = client.post(
        "/api/v1/wallet/p2p/transfers",
        {"preview_token": body["preview_token"]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="rest-1",
    )
    assert confirm.status_code == 201, confirm.content
    again = client.post(
        "/api/v1/wallet/p2p/transfers",
        {"preview_token": body["preview_token"]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="rest-1",
    )
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == confirm.json()["id"] and balance(receiver) == 5_000
    mine = client.get("/api/v1/wallet/p2p/transfers").json()["results"]
    assert [(t["direction"], t["status"]) for t in mine] == [("sent", "completed")]
    theirs = bearer_client(receiver).get("/api/v1/wallet/p2p/transfers").json()["results"]
    assert [(t["direction"], t["counterpart_name"]) for t in theirs] == [("received", "Br*** Z.")]
    # a held one, cancelled over REST
    p = client.post(
        "/api/v1/wallet/p2p/preview",
        {"phone": "0197110091", "amount": 1_000, "currency": "XOF"},
        format="json",
    ).json()
    held = client.post(
        "/api/v1/wallet/p2p/transfers",
        {"preview_token": p["preview_token"]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="r2",
    ).json()
    assert held["status"] == "held" and held["can_cancel"] is True
    cancelled = client.post(f"/api/v1/wallet/p2p/transfers/{held['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    # another user's transfer is a 404
    assert bearer_client(UserFactory()).get(f"/api/v1/wallet/p2p/transfers/{held['id']}").status_code == 404
    assert (
        bearer_client(receiver).post(f"/api/v1/wallet/p2p/transfers/{held['id']}/cancel").status_code == 404
    )


def test_rest_large_transfer_with_the_step_up_of_identitys_routes(sender, receiver, funded, settings):
    """The preview's step_up_* fields are what identity's step-up routes take, as they are."""
    from tests.helpers import enrol_totp, totp_code

    settings.WALLET_P2P_STEP_UP_ABOVE = 10_000
    device = enrol_totp(sender)
    client = bearer_client(sender)
    preview = client.post(
        "/api/v1/wallet/p2p/preview",
        {"phone": "0197110002", "amount": 12_000, "currency": "XOF"},
        format="json",
    ).json()
    assert preview["step_up_required"] is True
    refused = client.post(
        "/api/v1/wallet/p2p/transfers",
        {"preview_token": preview["preview_token"]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="big-1",
    )
    assert refused.status_code == 403 and refused.json()["code"] == "step_up_required"
    challenge = client.post(
        "/api/v1/auth/step-up",
        {
            "action": preview["step_up_action"],
            "target": preview["step_up_target"],
            "amount": preview["amount"]["amount"],
            "currency": preview["amount"]["currency"],
        },
        format="json",
    )
    assert challenge.status_code in (200, 201), challenge.content
    assert challenge.json()["method"] == "totp"  # a strong action: never an SMS
    proof = client.post(
        "/api/v1/auth/step-up/verify",
        {"challenge_id": challenge.json()["challenge_id"], "code": totp_code(device)},
        format="json",
    )
    assert proof.status_code == 200, proof.content
    sent = client.post(
        "/api/v1/wallet/p2p/transfers",
        {"preview_token": preview["preview_token"], "step_up_token": proof.json()["step_up_token"]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="big-2",
    )
    assert sent.status_code == 201, sent.content
    assert balance(receiver) == 12_000


def test_rest_refusals_are_problem_details(sender, receiver, funded):
    client = bearer_client(sender)
    url = "/api/v1/wallet/p2p/preview"
    cases = [
        ({"phone": "0197110001", "amount": 1_000, "currency": "XOF"}, 400, "p2p_to_self"),
        ({"phone": "0197110002", "amount": 0, "currency": "XOF"}, 400, "invalid_amount"),
        ({"phone": "0197110002", "amount": 10.5, "currency": "XOF"}, 400, "validation_error"),
        ({"phone": "0197110002", "amount": "1000", "currency": "XOF"}, 400, "validation_error"),
        ({"phone": "0197110002", "amount": 1_000, "currency": "XOF", "pin": "1"}, 400, "validation_error"),
        ({"phone": "0197110002", "amount": 1_000, "currency": "XAF"}, 400, "p2p_currency_not_in_wallet"),
        ({"phone": "0197110002", "amount": 900_000, "currency": "XOF"}, 409, "insufficient_balance"),
    ]
    for body, code, problem in cases:
        answer = client.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="fr")
        assert answer.status_code == code, (body, answer.content)
        assert answer["Content-Type"] == "application/problem+json"
        assert answer.json()["code"] == problem, (body, answer.json())
    refused = client.post(url, cases[0][0], format="json", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert "vous-même" in refused["detail"]
    english = client.post(url, cases[0][0], format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert "yourself" in english["detail"]
    preview = client.post(
        url, {"phone": "0197110002", "amount": 1_000, "currency": "XOF"}, format="json"
    ).json()
    no_key = client.post(
        "/api/v1/wallet/p2p/transfers", {"preview_token": preview["preview_token"]}, format="json"
    )
    assert no_key.status_code == 400 and no_key.json()["code"] == "invalid_idempotency_key"
    assert balance(receiver) == 0


# --- GraphQL -------------------------------------------------------------------------------------


PREVIEW = """mutation($phone: String!, $amount: Amount!, $currency: String!) {
  walletP2pPreviewTransfer(phone: $phone, amount: $amount, currency: $currency) {
    ok errors { field code message }
    preview { previewToken receiverName receiverHasAccount stepUpRequired amount { amount } fee { amount } }
  }
}"""
CONFIRM = """mutation($token: String!, $key: String!) {
  walletP2pConfirmTransfer(previewToken: $token, idempotencyKey: $key) {
    ok errors { code } transfer { id status direction counterpartName amount { amount currency } }
  }
}"""


def test_graphql_preview_confirm_history_cancel(sender, receiver, funded):
    client = bearer_client(sender)
    data = gql(client, PREVIEW, {"phone": "97110002", "amount": 2_000, "currency": "XOF"})[
        "walletP2pPreviewTransfer"
    ]
    assert data["ok"] and data["preview"]["receiverName"] == "Ko*** A."
    done = gql(client, CONFIRM, {"token": data["preview"]["previewToken"], "key": "g1"})[
        "walletP2pConfirmTransfer"
    ]
    assert done["ok"] and done["transfer"]["status"] == "completed" and balance(receiver) == 2_000
    listed = gql(client, "{ walletP2pTransfers { id direction status } }")["walletP2pTransfers"]
    assert listed == [{"id": done["transfer"]["id"], "direction": "sent", "status": "completed"}]
    one = gql(
        bearer_client(receiver),
        "query($id: UUID!) { walletP2pTransfer(transferId: $id) { direction } }",
        {"id": done["transfer"]["id"]},
    )
    assert one["walletP2pTransfer"] == {"direction": "received"}
    hidden = gql(
        bearer_client(UserFactory()),
        "query($id: UUID!) { walletP2pTransfer(transferId: $id) { id } }",
        {"id": done["transfer"]["id"]},
    )
    assert hidden["walletP2pTransfer"] is None
    refused = gql(client, PREVIEW, {"phone": "0197110001", "amount": 2_000, "currency": "XOF"})
    assert refused["walletP2pPreviewTransfer"]["errors"][0]["code"] == "p2p_to_self"
    held = gql(client, PREVIEW, {"phone": "0197110093", "amount": 1_000, "currency": "XOF"})
    sent = gql(
        client, CONFIRM, {"token": held["walletP2pPreviewTransfer"]["preview"]["previewToken"], "key": "g2"}
    )
    transfer_id = sent["walletP2pConfirmTransfer"]["transfer"]["id"]
    cancel = gql(
        client,
        "mutation($id: UUID!) { walletP2pCancelTransfer(transferId: $id) { ok transfer { status } } }",
        {"id": transfer_id},
    )["walletP2pCancelTransfer"]
    assert cancel == {"ok": True, "transfer": {"status": "cancelled"}}


# --- admin (compliance) ------------------------------------------------------------------------------


def test_compliance_reads_transfers_in_the_admin_and_changes_nothing(sender, receiver, funded):
    from tests.wallet.test_safeguarding import admin_client

    transfer = send(sender, "0197110002", 3_000)
    client = admin_client(UserFactory(is_staff=True, staff_role="compliance"))
    listing = client.get("/admin/wallet/p2ptransfer/?q=0197110002")
    assert listing.status_code == 200 and str(transfer.public_id) in listing.content.decode()
    detail = client.get(f"/admin/wallet/p2ptransfer/{transfer.pk}/change/")
    assert detail.status_code == 200 and b'name="amount"' not in detail.content  # read-only
    assert client.post(f"/admin/wallet/p2ptransfer/{transfer.pk}/delete/").status_code == 403
    assert client.get("/admin/wallet/p2ptransfer/add/").status_code == 403


# --- the receiver's notice: after the commit, once ------------------------------------------------


def test_the_receivers_notice_waits_for_the_commit_and_a_replay_sends_nothing_twice(
    sender, receiver, funded, django_capture_on_commit_callbacks
):
    """The notice is sent by the outbox's handler of `wallet.P2pTransferSent` once the
    transfer committed (a transfer rolled back never told anyone); the event replayed, or the
    handler run again, sends no second message."""
    from apps.core.models import OutboxEvent
    from apps.core.outbox import dispatch

    with django_capture_on_commit_callbacks(execute=False) as pending:
        transfer = send(sender, "97 11 00 02", 3_000)
        assert not Message.objects.filter(template_key="wallet.p2p_received").exists()
    event = OutboxEvent.objects.get(name="wallet.P2pTransferSent")
    assert event.payload == {
        "transfer_id": str(transfer.public_id),
        "sender_id": str(sender.public_id),
        "receiver_id": str(receiver.public_id),
        "amount": 3_000,
        "currency": "XOF",
        "held": False,
    }
    for callback in pending:
        callback()
    sent = Message.objects.filter(template_key="wallet.p2p_received", user=receiver)
    assert sent.count() == 2  # SMS + in-app (the template's channels), once each
    p2p.p2p_tell_receiver(str(transfer.public_id))  # the handler again
    OutboxEvent.objects.filter(pk=event.pk).update(status="pending")
    dispatch(event.pk)  # the event replayed
    assert sent.count() == 2


def test_a_held_transfer_cancelled_before_its_invitation_went_out_invites_nobody(
    sender, funded, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        transfer = send(sender, "0197110077", 2_000)
    p2p.p2p_cancel(actor=sender, transfer=transfer)
    for callback in pending:
        callback()
    assert not Message.objects.filter(template_key="wallet.p2p_invitation").exists()
    assert balance(sender) == 80_000
