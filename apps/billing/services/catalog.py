"""The catalog's use cases (publish, lock on first use, a new version from an old one) and
the demo catalog. (Part: catalog.)

A plan version is a draft (editable, not offered), then published (offered), then locked by
its first subscription (`locked_at`): from then on its prices, entitlements, currency,
interval and trial are frozen (models/catalog.py refuses the save; the admin shows it read
only). A change of terms is a new version (`version_copy`), published in its turn; existing
subscriptions keep theirs until they change plan."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..contracts import PriceKind, TierMode, VersionStatus
from ..errors import InvalidTiers, VersionNotPublished
from ..models import Plan, PlanVersion, Price
from .pricing import tiers_of
from .quantities import quantity_sources

__all__ = ["price_problems", "version_copy", "version_lock", "version_publish", "version_retire"]


def price_problems(price) -> dict[str, str]:
    """{field: message} of what is wrong with a price (the admin shows each on its field)."""
    problems: dict[str, str] = {}
    if price.tier_mode != TierMode.NONE:
        if price.kind == PriceKind.FLAT:
            problems["tier_mode"] = _("A flat fee has no tiers.")
        else:
            try:
                tiers_of(price)
            except InvalidTiers as exc:
                problems["tiers"] = str(exc.message)
    if price.kind == PriceKind.PER_UNIT:
        if price.quantity_source not in quantity_sources():
            problems["quantity_source"] = _("Choose one of: %(names)s.") % {
                "names": ", ".join(quantity_sources()) or "—"
            }
    elif price.quantity_source:
        problems["quantity_source"] = _("Only a per-unit price reads a quantity.")
    if price.kind == PriceKind.USAGE and price.metric_id is None:
        problems["metric"] = _("A usage price needs a billable metric.")
    if price.kind != PriceKind.USAGE and price.metric_id is not None:
        problems["metric"] = _("Only a usage price has a billable metric.")
    return problems


@transaction.atomic
def version_publish(version: PlanVersion) -> PlanVersion:
    """Offer a draft version (its prices checked first). Publishing a published one changes
    nothing; a retired one is not offered again (copy it)."""
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == VersionStatus.PUBLISHED:
        return version
    if version.status == VersionStatus.RETIRED:
        raise VersionNotPublished(_("A retired version is not offered again: make a new version."))
    for price in version.prices.all():
        problems = price_problems(price)
        if problems:
            field, message = next(iter(problems.items()))
            raise InvalidTiers(
                _("%(price)s: %(problem)s") % {"price": price.name, "problem": message}, field=field
            )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at", "updated_at"])
    return version


@transaction.atomic
def version_retire(version: PlanVersion) -> PlanVersion:
    """No new subscriptions on it; those on it keep it."""
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.RETIRED:
        version.status = VersionStatus.RETIRED
        version.save(update_fields=["status", "updated_at"])
    return version


def version_lock(version: PlanVersion) -> PlanVersion:
    """Freeze a published version on its first subscription (subscriptions call it in their
    transaction); later calls change nothing. A draft or retired version is refused: it is
    not offered."""
    if version.locked_at is not None:
        return version
    PlanVersion.objects.filter(pk=version.pk, locked_at__isnull=True, status=VersionStatus.PUBLISHED).update(
        locked_at=timezone.now(), updated_at=timezone.now()
    )
    version.refresh_from_db(fields=["locked_at", "status", "updated_at"])
    if version.locked_at is None:
        raise VersionNotPublished()
    return version


@transaction.atomic
def version_copy(version: PlanVersion) -> PlanVersion:
    """A new draft version of the same plan (the next number) with the same terms and
    prices: what staff edit to change a locked version."""
    Plan.objects.select_for_update().get(pk=version.plan_id)  # numbers in order
    number = (PlanVersion.objects.filter(plan_id=version.plan_id).aggregate(n=Max("number"))["n"] or 0) + 1
    copy = PlanVersion.objects.create(
        plan_id=version.plan_id,
        number=number,
        status=VersionStatus.DRAFT,
        currency=version.currency,
        interval=version.interval,
        trial_days=version.trial_days,
        entitlements=dict(version.entitlements or {}),
    )
    Price.objects.bulk_create(
        [
            Price(
                version=copy,
                kind=price.kind,
                name=price.name,
                metric_id=price.metric_id,
                quantity_source=price.quantity_source,
                amount=price.amount,
                tier_mode=price.tier_mode,
                tiers=list(price.tiers or []),
                free_units=price.free_units,
                position=price.position,
            )
            for price in version.prices.order_by("position", "id")
        ]
    )
    return copy
