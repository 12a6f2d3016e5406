"""wallet.api.tontine_turns: each member sees their own turn (the fixed order's round, its
date, the pot), their next contribution, and nothing of a group they have no seat in — and
the assistant's « c'est quand mon tour » answers from it."""

import pytest

from apps.ai.services.assistant import ask
from apps.wallet import api as wallet
from apps.wallet.models import TontineRound
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_member_sees_their_own_turn_and_the_pot(tontine_group):
    world = tontine_group(n=4, order="fixed", contribution=10_000)
    for user in world.users:
        (turn,) = wallet.tontine_turns(user)
        expected = TontineRound.objects.get(group=world.group, beneficiary__user=user)
        assert (turn.group_name, turn.turn_round, turn.turn_date) == (
            "Tontine du quartier",
            expected.number,
            expected.due_date,
        )
        assert (turn.pot, turn.contribution, turn.currency, turn.turn_paid) == (40_000, 10_000, "XOF", False)
        assert turn.next_contribution_date is not None
    assert wallet.tontine_turns(UserFactory()) == []


def test_the_assistant_answers_my_turn(tontine_group):
    world = tontine_group(n=3, order="fixed", contribution=10_000)
    user = world.users[1]
    reply = ask(actor=user, text="c'est quand mon tour dans la tontine ?")
    assert reply.tool_calls == ["my_tontine_turn"]
    assert "Tontine du quartier" in reply.message.text and "30" in reply.message.text.replace("\u202f", "")
