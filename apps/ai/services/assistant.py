"""The assistant's turn (docs/ai.md « How an answer is made »):

    reply = ask(actor=user, thread=thread_id_or_None, text="combien je dois ?")

1. The message is checked (empty, too long) and kept; a plain prompt-injection attempt is
   refused at once, by a reply that reveals nothing, with no model asked.
2. With an LLM configured and the user's daily token budget left: the OpenAI-compatible model
   answers with the tools (`tools.tool_specs()`), at most AI_LLM_MAX_TOOL_ROUNDS rounds; each
   tool runs with the caller's own permissions (`tools.call_tool`), its output marked as data.
   A model that times out, answers malformed tool calls or quotes its instructions is replaced
   by the offline assistant, which says so.
3. Otherwise, the offline assistant: the shipped intent classifier (nlu), the slots, the tool
   of that intent, a templated French or English reply; help questions from the help
   centre's search.
Money and commitments are only ever prepared: the reply carries the PreparedAction the user
confirms in the app with the step-up code (services/actions.py).

`turn(..., stream=True)` yields ("delta", text) while the answer is written (a ("reset", "")
when a model that failed mid-answer is replaced by the offline assistant) and ("message",
Reply) last; `ask` returns the Reply.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from .. import limits
from ..errors import InvalidArguments, ThreadNotFound, ToolUnavailable
from ..models import Message, PreparedAction, Thread
from ..nlu import classifier, replies, slots
from ..providers.base import LLMMalformed, LLMUnavailable
from ..providers.llm import llm_client
from . import safety
from .masking import mask
from .tools import REGISTRY, call_tool, tool_specs

log = logging.getLogger(__name__)

HISTORY = 12  # earlier messages of the thread sent to the model

# the offline assistant: intent -> the tool it calls (its arguments come from the slots)
INTENT_TOOLS = {
    "balance": "my_balance",
    "dues": "my_dues",
    "pay_link": "send_pay_link",
    "receipts": "my_receipts",
    "score": "my_score",
    "score_why": "my_score",
    "recovery_case": "my_recovery_case",
    "search_listings": "search_listings",
    "tontine_turn": "my_tontine_turn",
    "maintenance_ticket": "open_maintenance_ticket",
    "pay_from_wallet": "pay_due_from_wallet",
    "send_money": "send_money",
    "book_visit": "book_visit",
    "promise_to_pay": "propose_promise",
    "accept_plan": "accept_recovery_plan",
    "help": "help_articles",
    "unknown": "help_articles",
}
REFUSALS = ("advice", "other_user", "injection")
# intents the assistant understands but cannot act on yet (their modules have no public API
# for it): it says so and searches the help centre
NOT_YET: tuple[str, ...] = ()


@dataclass
class Reply:
    thread: Thread
    message: Message  # the assistant's
    user_message: Message
    action: PreparedAction | None = None
    tool_calls: list[str] = field(default_factory=list)


def thread_for(actor, thread) -> Thread:
    """The caller's thread (a new one when `thread` is None); another's is ThreadNotFound."""
    if thread is None:
        return Thread.objects.create(user_id=actor.pk, language=(translation.get_language() or "fr")[:2])
    if isinstance(thread, Thread):
        if thread.user_id != actor.pk:
            raise ThreadNotFound()
        return thread
    try:
        key = UUID(str(thread))
    except ValueError:
        raise ThreadNotFound() from None
    row = Thread.objects.filter(user_id=actor.pk, public_id=key).first()
    if row is None:
        raise ThreadNotFound()
    return row


def _language(text: str, thread: Thread) -> str:
    detected = slots.detect_language(text)
    return detected if detected in ("fr", "en") else (thread.language or "fr")


def _keep(thread: Thread, **fields) -> Message:
    row = Message.objects.create(thread=thread, **fields)
    now = timezone.now()
    Thread.objects.filter(pk=thread.pk).update(last_message_at=now, updated_at=now)
    return row


# --- the offline assistant ----------------------------------------------------------------


def _arguments(intent: str, text: str, found) -> dict:
    """The tool's arguments from the slots (only those its schema names)."""
    values = {
        "amount": getattr(found, "amount", None),
        "phone": getattr(found, "phone", None),
        "city": getattr(found, "city", None),
        "neighbourhood": getattr(found, "neighbourhood", None),
        "rooms": getattr(found, "rooms", None),
        "max_budget": getattr(found, "budget", None),
        "date": found.date.isoformat() if getattr(found, "date", None) else None,
        "choice": getattr(found, "ordinal", None),
        "question": text,
        "description": text,
        "query": text,
        "text": text,
    }
    tool = REGISTRY.get(INTENT_TOOLS.get(intent, ""))
    names = (tool.parameters.get("properties") or {}) if tool else {}
    return {k: v for k, v in values.items() if k in names and v not in (None, "")}


def offline_answer(actor, thread: Thread, text: str, *, language: str, fallback: bool = False):
    """(reply text, intent, action, tool names) from the offline assistant."""
    intent, _confidence = classifier.get_model().predict(text)
    if safety.is_injection(text):
        intent = "injection"
    facts: dict = {}
    action = None
    called = []
    if intent in NOT_YET:
        result = call_tool(actor, "help_articles", {"question": text}, thread=thread, engine="offline")
        called.append("help_articles")
        answer = (
            f"{ToolUnavailable.default_message}\n\n{replies.reply('help', result.facts, language=language)}"
        )
        if fallback:
            answer = f"{replies.reply('fallback', {}, language=language)}\n\n{answer}"
        return answer, intent, None, called
    if intent not in REFUSALS and intent in INTENT_TOOLS:
        name = INTENT_TOOLS[intent]
        found = slots.extract(text, language=language)
        arguments = _arguments(intent, text, found)
        result = call_tool(actor, name, arguments, thread=thread, engine="offline")
        facts, action = result.facts, result.action
        if facts.get("refused") == InvalidArguments.code:
            # what the message left out (a phone number, an amount): the reply asks for it
            facts = {key: value for key, value in arguments.items() if key in ("amount", "phone", "date")}
            if "phone" in facts:
                facts["recipient"] = facts.pop("phone")
        called.append(name)
    answer = replies.reply(intent, facts, language=language)
    if fallback:
        answer = f"{replies.reply('fallback', {}, language=language)}\n\n{answer}"
    return answer, intent, action, called


# --- the LLM ------------------------------------------------------------------------------


def _history(thread: Thread, upto: Message) -> list[dict]:
    rows = list(
        Message.objects.filter(thread=thread, id__lt=upto.id, role__in=["user", "assistant"])
        .exclude(text="")
        .order_by("-id")[:HISTORY]
    )
    return [{"role": r.role, "content": r.text} for r in reversed(rows)]


def llm_answer(actor, thread: Thread, user_message: Message, *, language: str, stream: bool = False):
    """A generator: ("delta", text) pieces while the model writes (stream=True), and returns
    (reply text, action, tool names, tokens). LLMUnavailable / LLMMalformed propagate (the
    caller falls back)."""
    client = llm_client()
    messages = [
        {"role": "system", "content": safety.SYSTEM_PROMPT + f"\nLangue de la réponse : {language}."},
        *_history(thread, user_message),
        {"role": "user", "content": user_message.text},
    ]
    specs = tool_specs()
    action = None
    called: list[str] = []
    tokens = 0
    for _round in range(max(1, settings.AI_LLM_MAX_TOOL_ROUNDS)):
        if not stream:
            completion = client.complete(messages, specs)
        else:
            completion = None
            for kind, value in client.stream(messages, specs):
                if kind == "delta":
                    yield "delta", value
                else:
                    completion = value
            if completion is None:
                raise LLMMalformed("the stream ended without its last chunk")
        tokens += completion.tokens
        limits.spend(actor.pk, completion.tokens)
        if not completion.tool_calls:
            if safety.leaks(completion.text):
                raise LLMMalformed("the answer quoted the system prompt")
            return completion.text.strip(), action, called, tokens
        messages.append(
            {
                "role": "assistant",
                "content": completion.text or None,
                "tool_calls": [
                    {
                        "id": call.id,
                        "type": "function",
                        "function": {"name": call.name, "arguments": json.dumps(call.arguments)},
                    }
                    for call in completion.tool_calls
                ],
            }
        )
        for call in completion.tool_calls:
            result = call_tool(actor, call.name, call.arguments, thread=thread, engine="llm")
            called.append(call.name)
            action = result.action or action
            facts = result.facts
            if result.action is not None:
                facts = {**facts, "prepared_action": str(result.action.public_id), "needs_confirmation": True}
            messages.append(
                {"role": "tool", "tool_call_id": call.id, "content": safety.as_tool_output(call.name, facts)}
            )
    raise LLMMalformed("too many tool rounds")


# --- the turn -----------------------------------------------------------------------------


def _use_llm(actor) -> bool:
    return bool(settings.AI_LLM_BASE_URL) and limits.remaining(actor.pk) > 0


def turn(
    *, actor, thread=None, text, voice: bool = False, stream: bool = False
) -> Iterator[tuple[str, object]]:
    """The turn as a generator: ("delta", text) pieces (stream=True: as the model writes them;
    the offline answer in one piece), then ("message", Reply)."""
    text = safety.clean(text)
    with transaction.atomic():
        thread = thread_for(actor, thread)
        if not thread.title:
            Thread.objects.filter(pk=thread.pk).update(title=text[:80])
            thread.title = text[:80]
        user_message = _keep(thread, role=Message.Role.USER, text=text, voice=voice)
    language = _language(text, thread)
    started = time.perf_counter()
    engine, fallback, intent, tokens = Message.Engine.OFFLINE, False, "", 0
    with translation.override(language):
        if not safety.is_injection(text) and _use_llm(actor):
            sent: list[str] = []
            try:
                generator = llm_answer(actor, thread, user_message, language=language, stream=stream)
                while True:
                    try:
                        kind, value = next(generator)
                    except StopIteration as done:
                        answer, action, called, tokens = done.value
                        break
                    sent.append(value)
                    yield kind, value
                engine = Message.Engine.LLM
            except (LLMUnavailable, LLMMalformed) as exc:
                log.warning(
                    "ai_llm_fallback", extra={"why": str(exc)[:200], "user": mask(str(actor.phone or ""))}
                )
                answer, intent, action, called = offline_answer(
                    actor, thread, text, language=language, fallback=True
                )
                fallback = True
                if sent:  # what was shown is withdrawn: the client replaces it with the message
                    yield "reset", ""
        else:
            answer, intent, action, called = offline_answer(actor, thread, text, language=language)
        if engine == Message.Engine.OFFLINE and stream:
            yield "delta", answer
    message = _keep(
        thread,
        role=Message.Role.ASSISTANT,
        text=answer,
        engine=engine,
        fallback=fallback,
        intent=intent,
        tokens=tokens,
        tool_calls=[{"name": name} for name in called],
        voice=voice,
    )
    if action is not None and action.thread_id is None:
        PreparedAction.objects.filter(pk=action.pk).update(thread=thread)
        action.thread = thread
    log.info(
        "ai_answer",
        extra={
            "engine": engine,
            "intent": intent,
            "tools": called,
            "ms": int((time.perf_counter() - started) * 1000),
        },
    )
    yield (
        "message",
        Reply(thread=thread, message=message, user_message=user_message, action=action, tool_calls=called),
    )


def ask(*, actor, thread=None, text, voice: bool = False) -> Reply:
    """The turn, answered whole."""
    reply = None
    for kind, value in turn(actor=actor, thread=thread, text=text, voice=voice):
        if kind == "message":
            reply = value
    return reply
