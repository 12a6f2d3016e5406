"""ai's REST/GraphQL parity (checked by tests/core/test_transport_parity.py)."""

BOTH: dict[str, str] = {
    "POST /api/v1/ai/threads": "aiAsk",
    "POST /api/v1/ai/threads/{thread_id}/messages": "aiAsk",
    "POST /api/v1/ai/threads/{thread_id}/handoff": "aiHandoff",
    "DELETE /api/v1/ai/threads/{thread_id}": "aiEraseThread",
    "POST /api/v1/ai/messages/{message_id}/rating": "aiRateMessage",
    "POST /api/v1/ai/actions/{action_id}/confirm": "aiConfirmAction",
    "POST /api/v1/ai/actions/{action_id}/cancel": "aiCancelAction",
}

REST_ONLY: dict[str, str] = {
    "POST /api/v1/ai/voice": "an audio upload (multipart): GraphQL carries no files here",
}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple] = {}
