"""Prices to amounts (docs/billing.md, "Catalog"): flat, per unit and usage prices, with
graduated or volume tiers and included units; a plan version's recurring lines for a period.
Integers only. (Part: catalog.)

- flat: `amount` once per period, whatever the quantity;
- per unit and usage: the quantity less `free_units` (never below zero), then
  - no tiers: × `amount`;
  - graduated: each tier prices the units inside its band (1–10 at a, 11–50 at b, …), and
    adds its `flat_amount` once when the band holds at least one unit;
  - volume: the tier the total falls in prices every unit, plus its `flat_amount`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.utils.translation import gettext as _

from apps.core.money import format_amount

from ..contracts import LineKind, LineSpec, PriceKind, Tier, TierMode
from ..errors import InvalidTiers

__all__ = ["price_amount", "recurring_lines", "tiers_of", "usage_lines"]


def tiers_of(price) -> list[Tier]:
    """The price's tiers, checked: at least one, `up_to` strictly increasing, the last one
    open (None), amounts whole and not negative. Refused with InvalidTiers (field `tiers`)."""
    raw = price.tiers or []
    if not isinstance(raw, list) or not raw:
        raise InvalidTiers(field="tiers")
    tiers: list[Tier] = []
    previous = 0
    for index, row in enumerate(raw):
        if not isinstance(row, dict):
            raise InvalidTiers(field="tiers")
        up_to, unit, flat = row.get("up_to"), row.get("unit_amount", 0), row.get("flat_amount", 0)
        for value in (unit, flat):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidTiers(field="tiers")
        last = index == len(raw) - 1
        if up_to is None:
            if not last:
                raise InvalidTiers(field="tiers")
        elif isinstance(up_to, bool) or not isinstance(up_to, int) or up_to <= previous or last:
            raise InvalidTiers(field="tiers")
        else:
            previous = up_to
        tiers.append(Tier(up_to=up_to, unit_amount=unit, flat_amount=flat))
    return tiers


def _graduated(tiers: list[Tier], quantity: int) -> int:
    total, lower = 0, 0
    for tier in tiers:
        upper = quantity if tier.up_to is None else min(quantity, tier.up_to)
        units = upper - lower
        if units <= 0:
            break
        total += units * tier.unit_amount + tier.flat_amount
        lower = upper
    return total


def _volume(tiers: list[Tier], quantity: int) -> int:
    if quantity <= 0:
        return 0
    for tier in tiers:
        if tier.up_to is None or quantity <= tier.up_to:
            return quantity * tier.unit_amount + tier.flat_amount
    raise AssertionError("the last tier is open")  # tiers_of checked it


def price_amount(price, quantity: int) -> int:
    """What `price` charges for `quantity` in one period (minor units of its currency)."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
        raise ValueError("quantity is a whole number, not negative")
    if price.kind == PriceKind.FLAT:
        return int(price.amount)
    billable = max(0, quantity - int(price.free_units or 0))
    if price.tier_mode == TierMode.GRADUATED:
        return _graduated(tiers_of(price), billable)
    if price.tier_mode == TierMode.VOLUME:
        return _volume(tiers_of(price), billable)
    return billable * int(price.amount)


# --- invoice lines ---------------------------------------------------------------------------


def _period(start: date, end: date) -> str:
    """« du 01/12/2026 au 31/12/2026 » (the end is exclusive: the renewal day)."""
    return _("from %(start)s to %(end)s") % {
        "start": start.strftime("%d/%m/%Y"),
        "end": (end - timedelta(days=1)).strftime("%d/%m/%Y"),
    }


def _unit_amount(price) -> int | None:
    return int(price.amount) if price.tier_mode == TierMode.NONE else None


def _line(price, *, kind, quantity: int, currency: str, start: date, end: date, metric: str = "") -> LineSpec:
    amount = price_amount(price, quantity)
    if price.kind == PriceKind.FLAT:
        description = _("%(name)s, %(period)s") % {"name": price.name, "period": _period(start, end)}
        quantity, unit_amount = 1, amount
    else:
        unit_amount = _unit_amount(price)
        parts = [_("%(name)s: %(quantity)s") % {"name": price.name, "quantity": quantity}]
        if price.free_units:
            parts.append(_("%(free)s included") % {"free": price.free_units})
        if unit_amount is not None:
            parts.append(_("%(amount)s each") % {"amount": format_amount(unit_amount, currency)})
        else:
            parts.append(_("graduated price") if price.tier_mode == TierMode.GRADUATED else _("volume price"))
        description = _("%(details)s, %(period)s") % {
            "details": ", ".join(parts),
            "period": _period(start, end),
        }
    return LineSpec(
        kind=kind,
        description=description,
        amount=amount,
        quantity=quantity,
        unit_amount=unit_amount,
        period_start=start,
        period_end=end,
        metric=metric,
        price=str(price.public_id),
    )


def _prices(owner) -> list:
    cache = getattr(owner, "_prefetched_objects_cache", {})
    if "prices" in cache:
        return list(cache["prices"])
    return list(owner.prices.select_related("metric").order_by("position", "id"))


def recurring_lines(
    version,
    *,
    quantities: dict[str, int],
    period_start: date,
    period_end: date,
    addons: Iterable = (),
) -> list[LineSpec]:
    """The recurring lines of one full period of `version`: its flat prices, its per-unit
    prices × the quantity of their source in `quantities` (a missing source counts 0; a zero
    per-unit line is left out), then each add-on's flat and per-unit prices (`addons`:
    AddOn rows or SubscriptionAddOn rows, whose `quantity` multiplies the add-on's flat fee)."""
    lines: list[LineSpec] = []
    for price in _prices(version):
        if price.kind == PriceKind.FLAT:
            lines.append(
                _line(
                    price,
                    kind=LineKind.RECURRING,
                    quantity=1,
                    currency=version.currency,
                    start=period_start,
                    end=period_end,
                )
            )
        elif price.kind == PriceKind.PER_UNIT:
            quantity = int(quantities.get(price.quantity_source, 0) or 0)
            if quantity <= 0:
                continue
            lines.append(
                _line(
                    price,
                    kind=LineKind.RECURRING,
                    quantity=quantity,
                    currency=version.currency,
                    start=period_start,
                    end=period_end,
                )
            )
    for item in addons:
        addon, count = (item.addon, int(item.quantity or 1)) if hasattr(item, "addon") else (item, 1)
        for price in _prices(addon):
            if price.kind == PriceKind.FLAT:
                line = _line(
                    price,
                    kind=LineKind.ADDON,
                    quantity=1,
                    currency=addon.currency,
                    start=period_start,
                    end=period_end,
                )
                if count > 1:
                    line = LineSpec(
                        kind=LineKind.ADDON,
                        description=_("%(description)s (× %(count)s)")
                        % {"description": line.description, "count": count},
                        amount=line.amount * count,
                        quantity=count,
                        unit_amount=line.amount,
                        period_start=period_start,
                        period_end=period_end,
                        price=line.price,
                    )
                lines.append(line)
            elif price.kind == PriceKind.PER_UNIT:
                quantity = int(quantities.get(price.quantity_source, 0) or 0)
                if quantity > 0:
                    lines.append(
                        _line(
                            price,
                            kind=LineKind.ADDON,
                            quantity=quantity,
                            currency=addon.currency,
                            start=period_start,
                            end=period_end,
                        )
                    )
    return lines


def usage_lines(version, *, usage: dict[str, int], period_start: date, period_end: date) -> list[LineSpec]:
    """The usage lines of a period (in arrears): each usage price × its metric's quantity in
    `usage` (metric code → quantity); a metric without usage gives no line."""
    lines: list[LineSpec] = []
    for price in _prices(version):
        if price.kind != PriceKind.USAGE or price.metric is None:
            continue
        quantity = int(usage.get(price.metric.code, 0) or 0)
        if quantity <= 0:
            continue
        lines.append(
            _line(
                price,
                kind=LineKind.USAGE,
                quantity=quantity,
                currency=version.currency,
                start=period_start,
                end=period_end,
                metric=price.metric.code,
            )
        )
    return lines
