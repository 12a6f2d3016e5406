"""Notification use cases, by area: `sending` (send, deliver, retry, receipts, cancel),
`recipients` (inbox, push devices, preferences, erasure) and `templates` (back-office
versions, previews). Other modules call api.py, never this."""

from .recipients import (
    device_register,
    device_unregister,
    inbox_mark_all_read,
    inbox_mark_read,
    preference_update,
    user_data_erase,
)
from .sending import (
    LANGUAGE_CODES,
    MANDATORY_CATEGORIES,
    Recipient,
    enqueue,
    messages_cancel,
    messages_deliver,
    messages_release_due,
    messages_requeue,
    messages_send,
    normalize_phone,
    receipt_record,
)
from .templates import (
    Preview,
    template_activate,
    template_preview,
    template_reset_to_default,
    template_save_version,
)

__all__ = [
    "LANGUAGE_CODES",
    "MANDATORY_CATEGORIES",
    "Preview",
    "Recipient",
    "device_register",
    "device_unregister",
    "enqueue",
    "inbox_mark_all_read",
    "inbox_mark_read",
    "messages_cancel",
    "messages_deliver",
    "messages_release_due",
    "messages_requeue",
    "messages_send",
    "normalize_phone",
    "preference_update",
    "receipt_record",
    "template_activate",
    "template_preview",
    "template_reset_to_default",
    "template_save_version",
    "user_data_erase",
]
