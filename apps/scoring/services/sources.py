"""Feature sources of higher modules (docs/scoring.md « Feature sources »).

Scoring cannot import the modules above it (lending), so a higher module registers what it
knows about a user from its `AppConfig.ready()`:

    scoring.api.register_feature_source("lending", reader, features=[FeatureSpec(...), ...],
                                        simulate=simulate_loans)

* `reader(user_ids, as_of)` -> {user public id: {feature: int}}: set-based, one query (or a
  fixed few) for the whole list — `features_for` calls it once per chunk, next to estate's,
  recovery's, the wallet's and kyc's reads. A user it returns nothing for gets each feature's
  `default` (no loan: the same score as without the source).
* each FeatureSpec becomes the model variable "<source>.<name>" with its written-down
  direction: training bins it monotonically, `check_spec` refuses points that move the wrong
  way, and its `text` gives the reason's words.
* `simulate(rng, behaviour)` (optional) -> {feature: array}: the source's features for the
  simulated population the first scorecard is trained on (services/simulate.py), from each
  simulated tenant's behaviour (numpy arrays: `p_late`, `p_partial`, `p_unpaid` — the monthly
  chances —, `p_clear`, `observed` months, `arrears_max`: the worst arrears seen, in months).

Without any source registered, scoring works as before: a stored model naming a variable of
a source that is not registered scores it at its default value.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from ..contracts import FeatureReader, FeatureSpec

log = logging.getLogger(__name__)

__all__ = [
    "FeatureSource",
    "read_all",
    "register_feature_source",
    "registered",
    "registered_specs",
    "unregister_feature_source",
]

DIRECTIONS = ("raises", "lowers")


@dataclass(frozen=True)
class FeatureSource:
    name: str
    reader: FeatureReader
    features: tuple[FeatureSpec, ...]
    simulate: Callable | None = None

    def variable(self, spec: FeatureSpec) -> str:
        return f"{self.name}.{spec.name}"


_SOURCES: dict[str, FeatureSource] = {}


def register_feature_source(
    name: str, reader: FeatureReader, *, features: Iterable[FeatureSpec], simulate: Callable | None = None
) -> None:
    """Register (or replace, on a second `ready()`) a higher module's feature source."""
    features = tuple(features)
    if not name or "." in name or not name.isidentifier():
        raise ValueError(f"feature source name {name!r}: an identifier without dots")
    if not features:
        raise ValueError(f"feature source {name!r} declares no feature")
    seen = set()
    for spec in features:
        if not isinstance(spec, FeatureSpec) or not spec.name.isidentifier() or spec.name in seen:
            raise ValueError(f"feature source {name!r}: bad or repeated feature {spec!r}")
        if spec.direction not in DIRECTIONS:
            raise ValueError(f"{name}.{spec.name}: direction must be 'raises' or 'lowers'")
        seen.add(spec.name)
    _SOURCES[name] = FeatureSource(name, reader, features, simulate)


def unregister_feature_source(name: str) -> FeatureSource | None:
    """Take a source out (a module switched off; tests). Returns what was registered."""
    return _SOURCES.pop(name, None)


def registered() -> tuple[FeatureSource, ...]:
    return tuple(_SOURCES.values())


def registered_specs() -> dict[str, FeatureSpec]:
    """{variable "<source>.<feature>": FeatureSpec}, in registration order."""
    return {source.variable(spec): spec for source in _SOURCES.values() for spec in source.features}


def read_all(user_ids: list[UUID], as_of: date) -> dict[UUID, tuple[tuple[str, float], ...]]:
    """{user: sorted (variable, value) pairs} from every registered source (one reader call
    each) — only users a source returned something for, and only features it declared."""
    out: dict[UUID, dict[str, float]] = {}
    for source in _SOURCES.values():
        declared = {spec.name for spec in source.features}
        for user, values in (source.reader(user_ids, as_of) or {}).items():
            row = out.setdefault(UUID(str(user)), {})
            for feature, value in values.items():
                if feature in declared:
                    row[f"{source.name}.{feature}"] = value
    return {user: tuple(sorted(row.items())) for user, row in out.items() if row}
