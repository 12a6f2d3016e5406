"""Confirming what the assistant prepared (apps/ai/services/actions.py): always with the step-up
bound to the action; paid once; never another user's action; an expired one refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.ai.models import PreparedAction
from apps.ai.services import actions
from apps.ai.services.tools import call_tool
from apps.core.errors import NotFound
from apps.estate import api as estate
from apps.identity import api as identity
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
def prepared():
    """A tenant with 100 000 FCFA and their first due (80 000) prepared for payment."""
    world = w.tenant_world(funds=100_000)
    world.action = call_tool(world.tenant, "pay_due_from_wallet", {}).action
    assert world.action is not None
    return world


def test_without_a_step_up_nothing_is_paid(prepared):
    with pytest.raises(identity.StepUpRequired):
        actions.confirm_action(actor=prepared.tenant, action=prepared.action.public_id, step_up_token=None)
    prepared.action.refresh_from_db()
    assert prepared.action.status == "pending"
    assert w.balance(prepared.tenant) == 100_000
    assert estate.rent_due(prepared.due.public_id).paid == 0


def test_a_step_up_of_another_operation_is_refused(prepared, inbox):
    other = call_tool(prepared.tenant, "pay_due_from_wallet", {}).action
    token = w.step_up_token(inbox, prepared.tenant, other)
    with pytest.raises(identity.StepUpRequired):
        actions.confirm_action(actor=prepared.tenant, action=prepared.action.public_id, step_up_token=token)
    assert w.balance(prepared.tenant) == 100_000


def test_with_the_step_up_it_pays_once(prepared, inbox, django_capture_on_commit_callbacks):
    token = w.step_up_token(inbox, prepared.tenant, prepared.action)
    with django_capture_on_commit_callbacks(execute=True):
        done = actions.confirm_action(
            actor=prepared.tenant, action=prepared.action.public_id, step_up_token=token
        )
    assert done.status == "done" and done.done_at is not None
    assert done.result["paid"] == {"amount": w.RENT_DUE, "currency": "XOF"}
    assert w.balance(prepared.tenant) == 100_000 - w.RENT_DUE
    due = estate.rent_due(prepared.due.public_id)
    assert (due.status, due.paid) == ("paid", w.RENT_DUE)

    # confirmed again (the same proof, or none): the same action, nothing paid again
    for again in (token, None):
        with django_capture_on_commit_callbacks(execute=True):
            same = actions.confirm_action(
                actor=prepared.tenant, action=prepared.action.public_id, step_up_token=again
            )
        assert same.pk == done.pk and same.status == "done"
    assert w.balance(prepared.tenant) == 100_000 - w.RENT_DUE


def test_another_users_action_is_not_found(prepared, inbox):
    intruder = w.someone(funds=500_000)
    with pytest.raises(NotFound):
        actions.confirm_action(actor=intruder, action=prepared.action.public_id, step_up_token="x")
    with pytest.raises(NotFound):
        actions.cancel_action(actor=intruder, action=prepared.action.public_id)
    prepared.action.refresh_from_db()
    assert prepared.action.status == "pending"
    assert w.balance(prepared.tenant) == 100_000 and w.balance(intruder) == 500_000


def test_an_expired_action_is_refused(prepared, inbox):
    token = w.step_up_token(inbox, prepared.tenant, prepared.action)
    PreparedAction.objects.filter(pk=prepared.action.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(actions.ActionExpired):
        actions.confirm_action(actor=prepared.tenant, action=prepared.action.public_id, step_up_token=token)
    prepared.action.refresh_from_db()
    assert prepared.action.status == "expired"
    assert w.balance(prepared.tenant) == 100_000


def test_a_due_paid_meanwhile_fails_the_action_and_pays_nothing(prepared, inbox, estate_pay):
    estate_pay(prepared.manager, prepared.lease, w.RENT_DUE)
    token = w.step_up_token(inbox, prepared.tenant, prepared.action)
    failed = actions.confirm_action(
        actor=prepared.tenant, action=prepared.action.public_id, step_up_token=token
    )
    assert failed.status == "failed" and failed.result["refused"]
    assert w.balance(prepared.tenant) == 100_000


def test_cancel_and_expire(prepared):
    cancelled = actions.cancel_action(actor=prepared.tenant, action=prepared.action.public_id)
    assert cancelled.status == "cancelled"
    with pytest.raises(actions.ActionNotPending):
        actions.confirm_action(actor=prepared.tenant, action=prepared.action.public_id, step_up_token=None)
    later = call_tool(prepared.tenant, "pay_due_from_wallet", {}).action
    assert actions.expire_actions(timezone.now()) == 0
    assert actions.expire_actions(later.expires_at + timedelta(seconds=1)) == 1
    later.refresh_from_db()
    assert later.status == "expired"
