"""Quantity sources for per-unit prices and counted entitlements (`estate.units`: the units
under management), registered by the modules that own the figures. (Part: catalog.)

Billing sits below estate and cannot import it: estate registers its reader from its own
`AppConfig.ready()` through `billing.api.register_quantity_source`. A reader takes a list
of organization ids and answers {organization id: quantity} in one set-based query (an
organization it does not name counts 0)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..errors import UnknownQuantitySource

__all__ = ["quantity_sources", "read_quantities", "register_quantity_source"]

Reader = Callable[[list[int]], dict[int, int]]

_SOURCES: dict[str, Reader] = {}


def register_quantity_source(name: str, reader: Reader) -> None:
    """Register (or replace: a reload registers again) the reader of `name`."""
    if not name or "." not in name:
        raise ValueError("a quantity source is named <module>.<figure>, e.g. estate.units")
    _SOURCES[name] = reader


def quantity_sources() -> list[str]:
    return sorted(_SOURCES)


def read_quantities(org_ids: Iterable[int], names: Iterable[str]) -> dict[int, dict[str, int]]:
    """{organization id: {source name: quantity}} for every id and name asked (0 when the
    source names nothing for it); one call per source, whatever the number of ids. An
    unregistered name is refused (UnknownQuantitySource): a price never silently counts 0."""
    ids = sorted({int(i) for i in org_ids})
    wanted = sorted(set(names))
    result: dict[int, dict[str, int]] = {i: {} for i in ids}
    for name in wanted:
        reader = _SOURCES.get(name)
        if reader is None:
            raise UnknownQuantitySource(field="quantity_source", source=name)
        counts = reader(ids) if ids else {}
        for org_id in ids:
            result[org_id][name] = int(counts.get(org_id, 0) or 0)
    return result
