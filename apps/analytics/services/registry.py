"""The KPIs the modules declare (apps/<module>/kpis.py, the contract in apps/core/kpis.py),
found once by discovery: their metrics, their event sources, their nightly snapshots and their
re-derivation of a day from source rows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from apps.core.discovery import import_parts
from apps.core.kpis import Metric, Source

__all__ = ["Kpis", "kind", "kpis", "metric"]


@dataclass(frozen=True)
class Kpis:
    metrics: dict[str, Metric]
    sources: dict[str, list[Source]]  # event name -> its sources
    snapshots: tuple  # (module label, day -> facts)
    derivers: tuple  # (module label, day -> facts)
    reconcilers: tuple  # (module label, (day, organizations) -> the ledger's facts)


@cache
def kpis() -> Kpis:
    metrics: dict[str, Metric] = {}
    sources: dict[str, list[Source]] = {}
    snapshots, derivers, reconcilers = [], [], []
    for label, module in import_parts("kpis"):
        for m in getattr(module, "METRICS", ()):
            if m.key in metrics:
                raise ValueError(f"Two modules declare the metric {m.key!r}")
            if m.kind not in ("sum", "gauge") or len(m.key) > 40:
                raise ValueError(f"{m.key!r}: kind sum|gauge, a key of 40 characters at most")
            metrics[m.key] = m
        for source in getattr(module, "SOURCES", ()):
            sources.setdefault(source.event.name, []).append(source)
        for snapshot in getattr(module, "SNAPSHOTS", ()):
            snapshots.append((label, snapshot))
        derive = getattr(module, "DERIVE", None)
        if derive is not None:
            derivers.append((label, derive))
        reconcile = getattr(module, "RECONCILE", None)
        if reconcile is not None:
            reconcilers.append((label, reconcile))
    return Kpis(
        metrics=metrics,
        sources=sources,
        snapshots=tuple(snapshots),
        derivers=tuple(derivers),
        reconcilers=tuple(reconcilers),
    )


def metric(key: str) -> Metric:
    found = kpis().metrics.get(key)
    if found is None:
        raise KeyError(f"No module declares the metric {key!r} (apps/<module>/kpis.py)")
    return found


def kind(key: str) -> str:
    return metric(key).kind
