"""Entitlements (docs/billing.md, "Entitlements"): what an organization's plan and add-ons
grant, cached, and the dunning restrictions. Read by other modules through
`billing.api.entitlement` / `billing.api.require`. (Part: catalog.)

An organization's grants: `BILLING_DEFAULT_ENTITLEMENTS`, overridden key by key by its live
subscription's plan version, then its live add-ons added (a limit adds up, a feature is
enabled by either; None is no limit and stays so). No live subscription: the defaults. A
restricted (dunning) or paused subscription refuses the features in
`BILLING_RESTRICTED_FEATURES`, never anything else.

The grants are cached per organization in the Django cache for
`BILLING_ENTITLEMENTS_CACHE_SECONDS`, dropped (`drop`) by the handlers of
SubscriptionChanged, AccountRestricted and AccountRestored."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from ..contracts import Entitlement, SubscriptionStatus
from ..errors import AccountRestricted, FeatureNotInPlan, LimitReached
from ..models import Subscription, SubscriptionAddOn
from .quantities import quantity_sources, read_quantities

__all__ = ["drop", "entitlement", "entitlements", "grants", "require"]

KEY = "billing:entitlements:{}"
RESTRICTING = frozenset({SubscriptionStatus.RESTRICTED, SubscriptionStatus.PAUSED})


def _add(current, extra):
    """An add-on's grant on top of the plan's: limits add up, a feature is enabled by either,
    None (no limit) absorbs."""
    if isinstance(extra, bool):
        return True if extra and not current else current
    if extra is None or current is None or current is True:
        return None
    if current is False:  # absent or disabled
        return extra
    return int(current) + int(extra)


def _compute(organization_id: int) -> dict:
    values = dict(settings.BILLING_DEFAULT_ENTITLEMENTS)
    sub = (
        Subscription.objects.filter(customer__organization_id=organization_id)
        .exclude(status=SubscriptionStatus.CANCELED)
        .select_related("version__plan")
        .order_by("-created_at")
        .first()
    )
    if sub is None:
        return {"plan": "", "status": "", "values": values}
    values.update(sub.version.entitlements or {})
    for item in SubscriptionAddOn.objects.filter(subscription=sub, ended_on__isnull=True).select_related(
        "addon"
    ):
        count = int(item.quantity or 1)
        for feature, extra in (item.addon.entitlements or {}).items():
            if isinstance(extra, int) and not isinstance(extra, bool):
                extra = extra * count
            values[feature] = _add(values.get(feature, False), extra)
    return {"plan": sub.version.plan.code, "status": str(sub.status), "values": values}


def grants(organization_id: int) -> dict:
    """{"plan": code or "", "status": subscription status or "", "values": {feature: value}},
    from the cache when there."""
    key = KEY.format(int(organization_id))
    found = cache.get(key)
    if found is None:
        found = _compute(int(organization_id))
        cache.set(key, found, settings.BILLING_ENTITLEMENTS_CACHE_SECONDS)
    return found


def drop(organization_id: int) -> None:
    cache.delete(KEY.format(int(organization_id)))


def _entitlement(feature: str, found: dict) -> Entitlement:
    plan = found["plan"]
    if feature in settings.BILLING_RESTRICTED_FEATURES and found["status"] in RESTRICTING:
        return Entitlement(feature=feature, enabled=False, restricted=True, plan=plan)
    value = found["values"].get(feature, False)
    if value is None or value is True:
        return Entitlement(feature=feature, enabled=True, limit=None, plan=plan)
    if isinstance(value, int) and not isinstance(value, bool):
        return Entitlement(feature=feature, enabled=value > 0, limit=max(0, value), plan=plan)
    return Entitlement(feature=feature, enabled=False, plan=plan)


def entitlement(organization_id: int, feature: str) -> Entitlement:
    """What the organization's plan grants for `feature` (a feature nobody grants is
    disabled)."""
    return _entitlement(feature, grants(organization_id))


def entitlements(organization_id: int) -> list[Entitlement]:
    """Every feature the defaults, the plan or an add-on names, for the billing page."""
    found = grants(organization_id)
    names = sorted(set(found["values"]) | set(settings.BILLING_RESTRICTED_FEATURES))
    return [_entitlement(name, found) for name in names]


def require(organization_id: int, feature: str, *, adding: int = 0) -> Entitlement:
    """Refuse unless the organization may use `feature`, and, for a limited one, add `adding`
    more (the current count read from the quantity source of the same name, e.g.
    `estate.units`). AccountRestricted, LimitReached or FeatureNotInPlan, translated.

    The count is read outside any lock: two creations at the same instant may pass the limit
    by one (a soft limit; the per-unit price bills what exists)."""
    found = grants(organization_id)
    ent = _entitlement(feature, found)
    if ent.restricted:
        if found["status"] == SubscriptionStatus.PAUSED:
            raise AccountRestricted(
                _(
                    "Your Hokwe subscription is paused: this feature is suspended until it is "
                    "resumed. Rent collection, your data and exports keep working."
                )
            )
        raise AccountRestricted()
    if ent.limit is not None and adding > 0:
        current = 0
        if feature in quantity_sources():
            current = read_quantities([organization_id], [feature])[int(organization_id)][feature]
        if current + adding > ent.limit:
            raise LimitReached(
                _(
                    "Your plan allows %(limit)s (%(current)s used): change plan or remove some to "
                    "add %(adding)s more."
                )
                % {"limit": ent.limit, "current": current, "adding": adding},
                limit=ent.limit,
                current=current,
            )
        return ent
    if not ent.enabled:
        raise FeatureNotInPlan()
    return ent
