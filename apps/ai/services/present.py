"""What REST and GraphQL show of the assistant (one place for both transports)."""

from __future__ import annotations

from ..models import Message, PreparedAction, Thread
from .actions import step_up_binding


def thread(row: Thread) -> dict:
    return {
        "id": row.public_id,
        "title": row.title,
        "language": row.language,
        "support_ticket": row.support_ticket,
        "last_message_at": row.last_message_at,
    }


def message(row: Message) -> dict:
    return {
        "id": row.public_id,
        "role": row.role,
        "text": row.text,
        "engine": row.engine,
        "fallback": row.fallback,
        "tools": [call.get("name", "") for call in (row.tool_calls or [])],
        "rating": row.rating,
        "created_at": row.created_at,
    }


def action(row: PreparedAction | None) -> dict | None:
    if row is None:
        return None
    return {
        "id": row.public_id,
        "kind": row.kind,
        "summary": row.summary,
        "amount": {"amount": row.amount, "currency": row.currency} if row.amount is not None else None,
        "status": row.status,
        "expires_at": row.expires_at,
        # the step-up the app starts before confirming: step_up_binding(row) (the amount and
        # currency are the action's)
        "step_up_action": (binding := step_up_binding(row))["action"],
        "step_up_target": binding["target"],
    }


def answer(reply) -> dict:
    return {
        "thread": thread(reply.thread),
        "question": message(reply.user_message),
        "answer": message(reply.message),
        "action": action(reply.action),
    }
