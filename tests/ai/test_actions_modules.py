"""Confirming the actions whose module checks the step-up (apps/ai/services/actions.py): a P2P
send prepared by the assistant is confirmed with the step-up of the wallet's own binding —
checked by the assistant below WALLET_P2P_STEP_UP_ABOVE, by the wallet above it, one code
either way, never none — and the money moves once whatever the replays; a payment plan is
accepted with recovery's own plan binding, consumed by recovery."""

from __future__ import annotations

from datetime import date

import pytest

from apps.ai.services import actions, present
from apps.ai.services.tools import call_tool
from apps.core.errors import NotFound
from apps.identity import api as identity
from apps.recovery.models import PaymentPlan
from apps.wallet.models import P2pTransfer
from tests.ai import tool_world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox():
    """identity's SMS codes, read from a test inbox."""
    from tests.identity.conftest import SmsInbox

    box = SmsInbox()
    identity.set_otp_sender(box)
    yield box
    identity.set_otp_sender(None)


@pytest.fixture
def p2p(db):
    """A sender with 100 000 FCFA, a receiver, and 20 000 FCFA to them prepared."""
    sender = w.someone(funds=100_000, name="Awa Envoyeuse")
    receiver = w.someone(name="Koffi Receveur")
    action = call_tool(sender, "send_money", {"phone": str(receiver.phone), "amount": 20_000}).action
    assert action is not None
    return sender, receiver, action


def _confirm(actor, action, token):
    return actions.confirm_action(actor=actor, action=action.public_id, step_up_token=token)


@pytest.mark.parametrize("threshold", [50_000, 1_000], ids=["below-the-wallets-threshold", "above-it"])
def test_a_p2p_send_needs_the_code_and_moves_the_money_once(p2p, settings, threshold):
    settings.WALLET_P2P_STEP_UP_ABOVE = threshold
    sender, receiver, action = p2p
    # no code: refused, the action waits, nothing moved
    with pytest.raises(identity.StepUpRequired):
        _confirm(sender, action, None)
    action.refresh_from_db()
    assert action.status == "pending" and w.balance(sender) == 100_000
    token = w.strong_step_up_token(sender, action)  # the authenticator app: a strong action
    # the one code of the wallet's binding confirms it
    done = _confirm(sender, action, token)
    assert done.status == "done", done.result
    assert done.result["sent"] == {"amount": 20_000, "currency": "XOF"}
    transfer = P2pTransfer.objects.get()
    assert transfer.idempotency_key == f"ai:action:{action.public_id}"
    assert (w.balance(sender), w.balance(receiver)) == (80_000, 20_000)
    # the proof was consumed (by the wallet above the threshold, by the assistant below)
    with pytest.raises(identity.StepUpRequired):
        identity.require_step_up(actor=sender, token=token, **actions.step_up_binding(action))
    # replayed (with the spent code, a new one, or none): the same action, the money moved once
    for again in (token, None, w.strong_step_up_token(sender, action)):
        same = _confirm(sender, action, again)
        assert same.pk == done.pk and same.status == "done"
    assert P2pTransfer.objects.count() == 1
    assert (w.balance(sender), w.balance(receiver)) == (80_000, 20_000)


@pytest.mark.parametrize("threshold", [50_000, 1_000], ids=["below-the-wallets-threshold", "above-it"])
def test_a_p2p_code_of_another_operation_is_refused(p2p, settings, threshold, inbox):
    settings.WALLET_P2P_STEP_UP_ABOVE = threshold
    sender, receiver, action = p2p
    # the assistant's own binding of this action (an SMS code): not the wallet's
    challenge = identity.step_up_start(
        actor=sender,
        action=actions.STEP_UP_ACTION,
        target=str(action.public_id),
        amount=20_000,
        currency="XOF",
    )
    proof = identity.step_up_verify(
        actor=sender, challenge_id=challenge.challenge_id, code=inbox.last_code(sender.phone)
    )
    with pytest.raises((identity.StepUpRequired, identity.SecondFactorRequired)):
        _confirm(sender, action, proof.token)
    action.refresh_from_db()
    assert action.status == "pending"
    assert not P2pTransfer.objects.exists() and w.balance(sender) == 100_000


def test_present_shows_the_wallets_binding(p2p):
    _sender, _receiver, action = p2p
    shown = present.action(action)
    assert shown["step_up_action"] == "wallet.transfer.send"
    assert shown["step_up_target"] == action.params["preview_id"]


def test_another_users_p2p_action_is_not_found(p2p):
    sender, _receiver, action = p2p
    intruder = w.someone(funds=10_000, name="Intrus")
    with pytest.raises(NotFound):
        _confirm(intruder, action, w.strong_step_up_token(intruder, action))
    assert not P2pTransfer.objects.exists() and w.balance(sender) == 100_000


# --- a payment plan ----------------------------------------------------------------------------


@pytest.fixture
def plan_world(estate_overdue_lease):
    world = estate_overdue_lease
    w.recovery_case(world, today=date.today())
    world.plan = w.proposed_plan(world, today=date.today())
    world.action = call_tool(world.tenant, "accept_recovery_plan", {}).action
    assert world.action is not None
    return world


def test_the_plan_is_accepted_only_with_the_code_of_recoverys_binding(plan_world, inbox):
    world = plan_world
    with pytest.raises(identity.StepUpRequired):
        _confirm(world.tenant, world.action, None)
    world.plan.refresh_from_db()
    assert world.plan.status == "proposed"
    token = w.step_up_token(
        inbox, world.tenant, world.action
    )  # an SMS code of (recovery.plan.accept, plan, total)
    done = _confirm(world.tenant, world.action, token)
    assert done.status == "done", done.result
    assert done.result["plan"] == str(world.plan.public_id) and done.result["installments"] == 2
    world.plan.refresh_from_db()
    assert world.plan.status == "active" and world.plan.accepted_at is not None
    assert w.open_case(world.tenant).status == "plan"
    again = _confirm(world.tenant, world.action, None)
    assert again.pk == done.pk and again.status == "done"
    assert PaymentPlan.objects.filter(status="active").count() == 1


def test_a_plan_cancelled_meanwhile_fails_the_action(plan_world, inbox):
    world = plan_world
    PaymentPlan.objects.filter(pk=world.plan.pk).update(status="canceled")
    token = w.step_up_token(inbox, world.tenant, world.action)
    failed = _confirm(world.tenant, world.action, token)
    assert failed.status == "failed" and failed.result["refused"] == "recovery_no_proposed_plan"


def test_another_users_plan_action_is_not_found(plan_world, inbox):
    world = plan_world
    intruder = w.someone()
    with pytest.raises(NotFound):
        _confirm(intruder, world.action, "x")
    world.plan.refresh_from_db()
    assert world.plan.status == "proposed"
