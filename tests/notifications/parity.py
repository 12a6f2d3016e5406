"""notifications' REST/GraphQL parity (checked by tests/core/test_transport_parity.py)."""

BOTH = {
    "POST /api/v1/notifications/inbox/{message_id}/read": "markInboxMessageRead",
    "POST /api/v1/notifications/inbox/read-all": "markAllInboxMessagesRead",
    "POST /api/v1/notifications/devices": "registerPushDevice",
    "DELETE /api/v1/notifications/devices/{device_id}": "unregisterPushDevice",
    "PATCH /api/v1/notifications/preferences": "notificationsUpdatePreferences",
}

REST_ONLY = {
    "POST /api/v1/notifications/callbacks/twilio": (
        "Twilio's signed SMS delivery receipts: the provider calls it, no app does"
    ),
    "POST /api/v1/notifications/callbacks/africastalking/{token}": (
        "Africa's Talking SMS delivery receipts (secret token in the URL): the provider calls it, no app does"
    ),
    "POST /api/v1/notifications/callbacks/orange/{token}": (
        "Orange SMS delivery receipts (secret token in the URL): the provider calls it, no app does"
    ),
}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple] = {}
