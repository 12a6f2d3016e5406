"""PUBLIC: the functions other modules call. They return plain values or frozen dataclasses
from contracts.py, never querysets. Each part appends its own section and names in
`__all__` (the README's table lists exactly these)."""

from __future__ import annotations

__all__: list[str] = [
    # --- subscriptions ---
    "subscription_of",
    # --- catalog ---
    "entitlement",
    "register_quantity_source",
    "require",
]


# --- subscriptions ---
from .contracts import SubscriptionInfo
from .services import subscriptions as _subscriptions


def subscription_of(organization_id: int) -> SubscriptionInfo | None:
    """The organization's subscription (trialing, active, overdue, restricted or paused), or
    None when it has none (it is then on BILLING_DEFAULT_ENTITLEMENTS). `usage` is left empty
    here: the billing page reads the live usage from metering."""
    return _subscriptions.subscription_info(organization_id)


# --- catalog: entitlements and quantity sources ---
from .contracts import Entitlement  # noqa: E402
from .services import entitlements as _entitlements  # noqa: E402
from .services import quantities as _quantities  # noqa: E402


def entitlement(organization_id: int, feature: str) -> Entitlement:
    """What the organization's plan grants for `feature` (e.g. `estate.units`,
    `estate.new_leases`): enabled, its limit (None: none), restricted by dunning. Cached per
    organization; no subscription = BILLING_DEFAULT_ENTITLEMENTS."""
    return _entitlements.entitlement(organization_id, feature)


def require(organization_id: int, feature: str, *, adding: int = 0) -> Entitlement:
    """Refuse (AccountRestricted, LimitReached or FeatureNotInPlan, translated DomainErrors)
    unless the organization may use `feature` and, for a limited one, add `adding` more.
    Never call it on rent collection, payments, data reads or exports."""
    return _entitlements.require(organization_id, feature, adding=adding)


def register_quantity_source(name: str, reader) -> None:
    """The module owning a figure registers its reader from its AppConfig.ready():
    reader(org_ids: list[int]) -> {org_id: quantity}, one set-based query. `name` is what
    per-unit prices and limited entitlements name (e.g. `estate.units`)."""
    _quantities.register_quantity_source(name, reader)
