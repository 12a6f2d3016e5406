"""Partners' writes: API keys (keys.py), webhook endpoints (endpoints.py), deliveries
(delivery.py), signatures (signing.py)."""

from .delivery import (
    deliver_due,
    deliver_one,
    deliveries_create,
    delivery_replay,
    endpoint_send_test,
    next_attempt_delay,
    retry_schedule,
)
from .endpoints import endpoint_create, endpoint_rotate_secret, endpoint_update
from .keys import CreatedKey, key_authenticate, key_create, key_revoke, key_rotate
from .signing import sign, signature_header, verify

__all__ = [
    "CreatedKey",
    "deliver_due",
    "deliver_one",
    "deliveries_create",
    "delivery_replay",
    "endpoint_create",
    "endpoint_rotate_secret",
    "endpoint_send_test",
    "endpoint_update",
    "key_authenticate",
    "key_create",
    "key_revoke",
    "key_rotate",
    "next_attempt_delay",
    "retry_schedule",
    "sign",
    "signature_header",
    "verify",
]
