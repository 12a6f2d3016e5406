"""PUBLIC: the functions other modules call. They return plain values or frozen dataclasses
from contracts.py, never querysets. Each part appends its own section and names in
`__all__` (the README's table lists exactly these)."""

from __future__ import annotations

__all__: list[str] = [
    # --- subscriptions ---
    "subscription_of",
]


# --- subscriptions ---
from .contracts import SubscriptionInfo  # noqa: E402
from .services import subscriptions as _subscriptions  # noqa: E402


def subscription_of(organization_id: int) -> SubscriptionInfo | None:
    """The organization's subscription (trialing, active, overdue, restricted or paused), or
    None when it has none (it is then on BILLING_DEFAULT_ENTITLEMENTS). `usage` is left empty
    here: the billing page reads the live usage from metering."""
    return _subscriptions.subscription_info(organization_id)
