"""ai's part of the isolation suite (tests/isolation/cases.py merges it): A's owner has a
conversation with the assistant (a question naming a marker, the answer) and an action the
assistant prepared; B's owner, the outsider and anonymous callers never read them, rate
them, hand them off, erase them, nor confirm or cancel the action."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.isolation.framework import GraphQLCase, RestCase, World

SEEDERS: list = []
REST_CASES: dict = {}
GRAPHQL_CASES: dict = {}
PUBLIC_ROUTES: dict = {}
PUBLIC_GRAPHQL: dict = {}
SELF_SCOPED_GRAPHQL: dict = {}

MARKER = "Zanzibar-81734"  # in A's question: never in anyone else's answer
ACTION_AMOUNT = 93_517


def _conversation(world: World) -> None:
    from apps.ai.models import Message, PreparedAction, Thread

    thread = Thread.objects.create(user=world.user_a, title=f"question {MARKER}", language="fr")
    Message.objects.create(thread=thread, role="user", text=f"Où en est {MARKER} ?")
    answer = Message.objects.create(
        thread=thread, role="assistant", text=f"Réponse sur {MARKER}", engine="offline"
    )
    action = PreparedAction.objects.create(
        user=world.user_a,
        thread=thread,
        kind="pay_due_from_wallet",
        params={},
        summary=f"Payer {ACTION_AMOUNT} FCFA",
        amount=ACTION_AMOUNT,
        currency="XOF",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    world.provide("thread_id", thread.public_id, MARKER)
    world.provide("message_id", answer.public_id)
    world.provide("action_id", action.public_id, str(ACTION_AMOUNT))
    world.ai_thread, world.ai_answer, world.ai_action = thread, answer, action


SEEDERS.append(_conversation)


def _thread_state(world: World):
    from apps.ai.models import Message, Thread

    row = Thread.objects.filter(pk=world.ai_thread.pk).values_list("support_ticket", "title").first()
    return row, Message.objects.filter(thread_id=world.ai_thread.pk).count()


def _answer_state(world: World):
    world.ai_answer.refresh_from_db()
    return world.ai_answer.rating


def _action_state(world: World):
    world.ai_action.refresh_from_db()
    return world.ai_action.status


def _path(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"version": "v1", **kwargs})


REST_CASES["ai-threads"] = lambda world: RestCase(
    path=_path("ai-threads"), body={"text": "bonjour"}, owned=False
)
REST_CASES["ai-thread"] = lambda world: RestCase(
    path=_path("ai-thread", thread_id=world.ids["thread_id"]), check_unchanged=lambda: _thread_state(world)
)
REST_CASES["ai-thread-messages"] = lambda world: RestCase(
    path=_path("ai-thread-messages", thread_id=world.ids["thread_id"]), body={"text": "et alors ?"}
)
REST_CASES["ai-thread-handoff"] = lambda world: RestCase(
    path=_path("ai-thread-handoff", thread_id=world.ids["thread_id"])
)
REST_CASES["ai-message-rating"] = lambda world: RestCase(
    path=_path("ai-message-rating", message_id=world.ids["message_id"]), body={"rating": -1}
)
REST_CASES["ai-action"] = lambda world: RestCase(path=_path("ai-action", action_id=world.ids["action_id"]))
for _name in ("ai-action-confirm", "ai-action-cancel"):
    REST_CASES[_name] = lambda world, _name=_name: RestCase(
        path=_path(_name, action_id=world.ids["action_id"]), body={}
    )
# a recording of one's own: no object of A is named (without a speech server: 503, nothing done)
REST_CASES["ai-voice"] = lambda world: RestCase(path=_path("ai-voice"), owned=False)

GRAPHQL_CASES["query.aiThread"] = lambda world: GraphQLCase(
    query=f'{{ aiThread(threadId: "{world.ids["thread_id"]}") {{ id title messages {{ text }} }} }}'
)
GRAPHQL_CASES["query.aiAction"] = lambda world: GraphQLCase(
    query=f'{{ aiAction(actionId: "{world.ids["action_id"]}") {{ id summary amount {{ amount }} }} }}'
)
GRAPHQL_CASES["query.aiThreads"] = lambda world: GraphQLCase(query="{ aiThreads { id title } }", owned=False)
GRAPHQL_CASES["mutation.aiAsk"] = lambda world: GraphQLCase(
    query=f'mutation {{ aiAsk(text: "et alors ?", threadId: "{world.ids["thread_id"]}") '
    "{ ok errors { code } answer { text } thread { title } } }"
)
GRAPHQL_CASES["mutation.aiRateMessage"] = lambda world: GraphQLCase(
    query=f'mutation {{ aiRateMessage(messageId: "{world.ids["message_id"]}", rating: -1) '
    "{ ok errors { code } message { text rating } } }"
)
GRAPHQL_CASES["mutation.aiHandoff"] = lambda world: GraphQLCase(
    query=f'mutation {{ aiHandoff(threadId: "{world.ids["thread_id"]}") {{ ok errors {{ code }} thread {{ title }} }} }}'
)
GRAPHQL_CASES["mutation.aiEraseThread"] = lambda world: GraphQLCase(
    query=f'mutation {{ aiEraseThread(threadId: "{world.ids["thread_id"]}") {{ ok errors {{ code }} }} }}'
)
for _field in ("aiConfirmAction", "aiCancelAction"):
    GRAPHQL_CASES[f"mutation.{_field}"] = lambda world, _field=_field: GraphQLCase(
        query=f'mutation {{ {_field}(actionId: "{world.ids["action_id"]}") '
        "{ ok errors { code } action { summary status } } }"
    )
