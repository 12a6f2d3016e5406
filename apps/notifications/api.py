"""PUBLIC: how every module talks to people.

    from apps.notifications import api as notifications
    from .messages import PAYMENT_RECEIPT       # your module's own keys (apps/<m>/messages.py)

    notifications.send(
        tenant.public_id,                       # a user's public id, or "+229…" / "a@b.c"
        PAYMENT_RECEIPT,
        {"payer_name": …, "amount": {"amount": 75000, "currency": "XOF"}, …},
        idempotency_key=f"receipt:{payment.public_id}",   # same key + recipient: sent once
    )

Call it inside your service's transaction: the messages are written with your change and
sent after commit (never if you roll back). The context is checked against the template's
declared variables before anything is written: a missing or unknown variable raises
`TemplateVariableMissing` / `TemplateVariableUnknown`, an invalid phone `InvalidRecipient`.
"""

from __future__ import annotations

from collections.abc import Iterable

from apps.core.bulk import collector_paused

from . import services
from .contracts import Channel, Priority, SendRequest, SendResult, TemplateDef, TemplateKey
from .errors import (
    InvalidChannel,
    InvalidInput,
    InvalidPriority,
    InvalidRecipient,
    TemplateVariableInvalid,
    TemplateVariableMissing,
    TemplateVariableUnknown,
    UnknownTemplate,
)

__all__ = [
    "InvalidChannel",
    "InvalidInput",
    "InvalidPriority",
    "InvalidRecipient",
    "TemplateVariableInvalid",
    "TemplateVariableMissing",
    "TemplateVariableUnknown",
    "UnknownTemplate",
    "cancel_pending",
    "erase_user_data",
    "register_templates",
    "send",
    "send_many",
    "template_keys",
]


def send(
    recipient,
    template_key: TemplateKey | str,
    context: dict,
    *,
    channels: Iterable[Channel | str] | None = None,
    priority: Priority | str | None = None,
    idempotency_key: str = "",
    language: str | None = None,
    organization=None,
) -> SendResult:
    """Send one notification on the template's channels (or `channels`).

    recipient: a user public id (str or UUID) — reaches their phone, e-mail, devices and
    in-app inbox, in their language, honouring their preferences; or a raw phone number /
    e-mail address for someone without an account (SMS / e-mail only).
    priority: defaults to the template's (OTP codes always go on the OTP queue).
    organization: the public id of the organization sending it (its SMS are metered for its
    billing through `notifications.MessageSent`); None for Hokwe's own messages.
    """
    request = SendRequest(
        recipient=str(recipient) if not isinstance(recipient, str) else recipient,
        template_key=str(template_key),
        context=context,
        channels=tuple(str(c) for c in channels) if channels is not None else None,
        priority=str(priority) if priority is not None else None,
        idempotency_key=idempotency_key or "",
        language=language,
        organization=str(organization) if organization else None,
    )
    return services.messages_send([request])[0]


def send_many(requests: Iterable[SendRequest], *, chunk_size: int = 2000) -> list[SendResult]:
    """Bulk send (the monthly rent notices): the same checks as send(), a few queries per
    chunk instead of per message, and delivery tasks batched per queue. Every request is
    checked before its chunk is written."""
    results: list[SendResult] = []
    chunk: list[SendRequest] = []
    with collector_paused():  # a bulk run allocates no cycles: refcounting frees it all
        for request in requests:
            chunk.append(request)
            if len(chunk) >= chunk_size:
                results.extend(services.messages_send(chunk))
                chunk = []
        if chunk:
            results.extend(services.messages_send(chunk))
    return results


def cancel_pending(*, idempotency_key_prefix: str, reason: str) -> int:
    """Withdraw queued messages (not yet sent) whose idempotency key starts with the prefix;
    returns how many. Messages already sent, or being sent, are not affected."""
    return services.messages_cancel(idempotency_key_prefix=idempotency_key_prefix, reason=reason)


def erase_user_data(*, user_public_id: str) -> int:
    """Forget a closed account's addresses, texts, devices and preferences."""
    return services.user_data_erase(user_public_id=user_public_id)


def register_templates(*templates: TemplateDef) -> None:
    """Declare a module's messages (called from its messages.py, which core imports at
    start-up): keys, variables and default texts in French and English. A module never
    edits notifications to add one."""
    from . import catalog

    catalog.register(*templates)


def template_keys() -> list[str]:
    from . import catalog

    return sorted(catalog.CATALOG)
