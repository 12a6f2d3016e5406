"""HokweValuation: a rent estimate and a sale price estimate per unit, with a range.

For bench (bench/scoring.py, valuation p99): `services.valuation.estimate(unit_id)`
(unit_id: the unit's public UUID; unscoped, returns contracts.Valuation). The same for other
modules: `api.valuation_for(unit_id)`. Scoped reads for pages and transports:
`estimate_for(actor, unit_id)` (NotFound for another organization's unit) and
`estimates_for_property(actor, property_id)`.

How an estimate is made (docs/scoring.md « HokweValuation »):
1. comparables: the platform's leases (every organization's: only the figure is shown, never
   the lease) agreed in the last SCORING_VALUATION_COMPARABLE_MONTHS, within
   SCORING_VALUATION_RADIUS_KM (or, without a GPS point, the same neighbourhood / city), of
   the same or a neighbouring kind; ranked by a dissimilarity of distance, kind, rooms,
   surface, furnishing and age; the k nearest kept, each one's rent adjusted to the unit by
   the hedonic model (its prediction for the unit today minus its prediction for the
   comparable when agreed), weighted by 1 / (0.5 + dissimilarity)^2;
2. the hedonic model (services/valuation_model.py) predicts the unit's rent today;
3. blend in log space: n_eff / (n_eff + 3) on the comparables (n_eff the weights' effective
   count), the rest on the model; the range is the held-out log-residual quantiles (10 % and
   90 %) of the method used, stored with the model version;
4. sale price: 12 x rent / the kind's gross yield (SCORING_VALUATION_GROSS_YIELD_BPS, range
   with SCORING_VALUATION_YIELD_SPREAD_BPS).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

import numpy as np
from django.conf import settings
from django.utils import timezone

from apps.core.errors import NotFound
from apps.estate import api as estate

from ..contracts import Valuation
from .valuation_model import LoadedModel, Rows, active_model, lease_rows, unit_rows

# Residential kinds on one ladder (a neighbouring rung is comparable, with a penalty); shops and
# offices only compare with their own kind.
KIND_RUNG = {
    "entrer_coucher": 0,
    "chambre_salon": 1,
    "studio": 1,
    "apartment": 2,
    "villa": 3,
    "shop": 10,
    "office": 20,
}
POOL_LIMIT = 600  # the newest comparable leases read per estimate (the k nearest are kept)
PRIOR = 3.0  # the model counts as this many comparables in the blend
FURNISHED_LOG = math.log(1.25)  # without a model: a furnished unit's premium
EARTH_KM = 6371.0


def haversine_km(lat, lon, lats, lons) -> np.ndarray:
    p1, p2 = np.radians(lat), np.radians(lats)
    dp, dl = p2 - p1, np.radians(lons - lon)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def kind_rungs(rows: Rows) -> np.ndarray:
    return np.array([KIND_RUNG.get(x, 99) for x in rows.kind], dtype=float)


@dataclass(frozen=True)
class CompResult:
    log_rent: float | None
    count: int
    n_eff: float
    spread: tuple[float, float] | None  # weighted 10 %/90 % of the adjusted log rents


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    order = np.argsort(values)
    v, w = values[order], weights[order]
    cum = np.cumsum(w) - 0.5 * w
    return float(np.interp(q * w.sum(), cum, v))


def nearest(
    pool: Rows, target: Rows, i: int, *, radius_km: float, k: int, rungs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The k comparables of `target`'s i-th unit in `pool` (indices, dissimilarities), by
    distance, kind, rooms, surface, furnishing and age (numpy over the whole pool)."""
    if len(pool) == 0:
        return np.zeros(0, dtype=int), np.zeros(0)
    rung = KIND_RUNG.get(target.kind[i], 99)
    kind_gap = np.abs(rungs - rung)
    kind_pen = np.where(pool.kind == target.kind[i], 0.0, np.where(kind_gap <= 1, 1.5, np.inf))
    lat, lon = target.latitude[i], target.longitude[i]
    both = ~np.isnan(pool.latitude) & ~np.isnan(lat)
    dist = np.full(len(pool), np.inf)
    if not np.isnan(lat):
        dist[both] = haversine_km(lat, lon, pool.latitude[both], pool.longitude[both])
        dist[both & (dist > radius_km)] = np.inf
    # without a GPS point on either side: the same neighbourhood counts as 1 km, the same city as 4
    city = target.city[i]
    same_city = (pool.city == city) & (city != "")
    hood = target.neighbourhood[i]
    same_hood = same_city & (pool.neighbourhood == hood) & (hood != "")
    dist = np.where(~both & same_hood, 1.0, np.where(~both & same_city, 4.0, dist))
    rooms = np.abs(np.log(np.maximum(pool.rooms, 1) / max(target.rooms[i], 1)))
    s = target.surface_m2[i]
    surface = np.where(
        np.isnan(pool.surface_m2) | np.isnan(s),
        0.5,
        np.abs(np.log(np.maximum(pool.surface_m2, 1) / max(s if not np.isnan(s) else 1, 1))),
    )
    furnished = (pool.furnished != target.furnished[i]).astype(float)
    d = dist / 1.5 + kind_pen + 2 * rooms + 2 * surface + furnished + pool.months_ago / 24
    if len(pool.units) and len(target.units) and target.units[i] is not None:
        d[pool.units == target.units[i]] = np.inf  # the market's view, not the unit's own lease
    finite = np.flatnonzero(np.isfinite(d) & ~np.isnan(pool.log_rent))
    chosen = finite[np.argsort(d[finite], kind="stable")[:k]]
    return chosen, d[chosen]


def combine(
    pool: Rows,
    target: Rows,
    i: int,
    chosen: np.ndarray,
    d: np.ndarray,
    *,
    model_pool: np.ndarray | None,
    model_target: float | None,
    drift: float,
) -> CompResult:
    """The comparables' estimate of the unit's log rent today: each comparable's rent adjusted
    to the unit (by the model, else by the drift and the furnished premium), weighted by
    1 / (0.5 + dissimilarity)^2."""
    if len(chosen) == 0:
        return CompResult(None, 0, 0.0, None)
    if model_pool is not None and model_target is not None:
        adjusted = pool.log_rent[chosen] + (model_target - model_pool)
    else:
        adjusted = (
            pool.log_rent[chosen]
            + pool.months_ago[chosen] / 12 * math.log1p(drift)
            + FURNISHED_LOG * (float(target.furnished[i]) - pool.furnished[chosen].astype(float))
        )
    w = 1.0 / (0.5 + d) ** 2
    n_eff = float(w.sum() ** 2 / (w**2).sum())
    spread = (_weighted_quantile(adjusted, w, 0.1), _weighted_quantile(adjusted, w, 0.9))
    return CompResult(float((w * adjusted).sum() / w.sum()), len(chosen), n_eff, spread)


@dataclass(frozen=True)
class LogEstimate:
    log_rent: float | None
    method: str
    comparables: int
    low: float | None  # log
    high: float | None


def estimate_logs(pool: Rows, targets: Rows, model: LoadedModel | None) -> list[LogEstimate]:
    """Every target's log-rent estimate and log range (used live and by the held-out
    measurement, so the figures in the docs are the code's)."""
    radius = settings.SCORING_VALUATION_RADIUS_KM
    k = settings.SCORING_VALUATION_COMPARABLES
    drift = settings.SCORING_VALUATION_ANNUAL_DRIFT
    rungs = kind_rungs(pool)
    found = [nearest(pool, targets, i, radius_km=radius, k=k, rungs=rungs) for i in range(len(targets))]
    model_targets = model_pool = None
    if model is not None:
        # one prediction for the targets (today) and the comparables kept (when agreed): a
        # prediction costs one pass per tree, whatever the rows
        used = np.unique(np.concatenate([c for c, _d in found])) if found else np.zeros(0, dtype=int)
        position = {int(j): n for n, j in enumerate(used)}
        both = _stack(targets, pool.take(used))
        months = np.concatenate([np.zeros(len(targets)), pool.months_ago[used]])
        predicted = model.predict_log(Rows(**{**both.__dict__, "months_ago": months}), at_months=None)
        model_targets, model_pool = predicted[: len(targets)], predicted[len(targets) :]
    out = []
    for i, (chosen, d) in enumerate(found):
        m = None if model_targets is None else float(model_targets[i])
        comp = combine(
            pool,
            targets,
            i,
            chosen,
            d,
            model_pool=None if model_pool is None else model_pool[[position[int(j)] for j in chosen]],
            model_target=m,
            drift=drift,
        )
        if comp.log_rent is not None and m is not None:
            share = comp.n_eff / (comp.n_eff + PRIOR)
            value = share * comp.log_rent + (1 - share) * m
            lo, hi = model.residuals.get("blend") or model.residuals["model"]
            out.append(LogEstimate(value, "blend", comp.count, value + lo, value + hi))
        elif m is not None:
            lo, hi = model.residuals["model"]
            out.append(LogEstimate(m, "model", 0, m + lo, m + hi))
        elif comp.log_rent is not None:
            # no model: the comparables' own spread, at least ±15 %
            lo, hi = comp.spread
            value = comp.log_rent
            out.append(
                LogEstimate(
                    value,
                    "comparables",
                    comp.count,
                    min(lo, value + math.log(0.85)),
                    max(hi, value + math.log(1.15)),
                )
            )
        else:
            out.append(LogEstimate(None, "none", 0, None, None))
    return out


def _stack(a: Rows, b: Rows) -> Rows:
    names = ("latitude", "longitude", "kind", "rooms", "surface_m2", "furnished", "country", "city")
    names += ("neighbourhood", "months_ago", "log_rent")
    return Rows(**{n: np.concatenate([getattr(a, n), getattr(b, n)]) for n in names})


def round3(value: float) -> int:
    """Three significant figures (87 345 → 87 300): an estimate is not precise to the franc."""
    if value <= 0:
        return 0
    digits = int(math.floor(math.log10(value))) - 2
    step = 10 ** max(digits, 0)
    return int(round(value / step) * step)


def _valuation(unit, est: LogEstimate, model: LoadedModel | None, today: date) -> Valuation:
    if est.log_rent is None:
        return Valuation(
            unit=unit.unit,
            currency=unit.currency,
            rent=None,
            rent_low=None,
            rent_high=None,
            price=None,
            price_low=None,
            price_high=None,
            method="none",
            comparables=0,
            model_version=model.version if model else "",
            current_rent=unit.current_rent,
            computed_on=today,
        )
    rent, low, high = math.exp(est.log_rent), math.exp(est.low), math.exp(est.high)
    yields = settings.SCORING_VALUATION_GROSS_YIELD_BPS
    y = yields.get(unit.kind, 900) / 10_000
    spread = settings.SCORING_VALUATION_YIELD_SPREAD_BPS / 10_000
    return Valuation(
        unit=unit.unit,
        currency=unit.currency,
        rent=round3(rent),
        rent_low=round3(low),
        rent_high=round3(high),
        price=round3(12 * rent / y),
        price_low=round3(12 * low / (y + spread)),
        price_high=round3(12 * high / max(y - spread, 0.01)),
        method=est.method,
        comparables=est.comparables,
        model_version=model.version if model else "",
        current_rent=unit.current_rent,
        computed_on=today,
    )


def _pool_for(units, today: date) -> Rows:
    """The comparable leases around these units: one estate read (a box around their GPS
    points, and their cities for leases without one), same currency."""
    radius = settings.SCORING_VALUATION_RADIUS_KM
    located = [u for u in units if u.latitude is not None and u.longitude is not None]
    box = None
    if located:
        dlat = radius / 111.0
        lat_min = min(u.latitude for u in located) - dlat
        lat_max = max(u.latitude for u in located) + dlat
        dlon = radius / (111.0 * max(math.cos(math.radians(max(abs(lat_min), abs(lat_max)))), 0.1))
        box = (
            lat_min,
            lat_max,
            min(u.longitude for u in located) - dlon,
            max(u.longitude for u in located) + dlon,
        )
    cities = sorted({u.city for u in units if u.city})
    rungs = {KIND_RUNG.get(u.kind, 99) for u in units}
    kinds = sorted(k for k, r in KIND_RUNG.items() if any(abs(r - x) <= 1 for x in rungs))
    leases = estate.valuation_leases(
        since=today - timedelta(days=int(settings.SCORING_VALUATION_COMPARABLE_MONTHS * 30.4375)),
        currency=units[0].currency,
        kinds=kinds or None,  # the same or a neighbouring kind: the others never compare
        box=box,
        cities=cities,
        limit=POOL_LIMIT,
    )
    return lease_rows(leases, today=today)


def estimate_units(units, *, today: date | None = None) -> dict[UUID, Valuation]:
    """Valuations of estate's ValuationUnit rows, set-based: one comparables read per
    currency, the model's predictions vectorised."""
    today = today or timezone.localdate()
    model = active_model()
    out: dict[UUID, Valuation] = {}
    by_currency: dict[str, list] = {}
    for unit in units:
        by_currency.setdefault(unit.currency, []).append(unit)
    for group in by_currency.values():
        pool = _pool_for(group, today)
        targets = unit_rows(group, today=today)
        for unit, est in zip(group, estimate_logs(pool, targets, model), strict=True):
            out[unit.unit] = _valuation(unit, est, model, today)
    return out


def estimate(unit_id: UUID) -> Valuation:
    """One unit's valuation, unscoped (the bench, other modules through api.valuation_for).
    NotFound when there is no such unit."""
    units = estate.valuation_units(units=[unit_id])
    if not units:
        raise NotFound()
    return estimate_units(units)[units[0].unit]


def estimate_for(actor, unit_id: UUID) -> Valuation:
    """A unit's valuation for a manager of its organization (NotFound for anyone else)."""
    units = estate.valuation_units(actor=actor, units=[unit_id])
    if not units:
        raise NotFound()
    return estimate_units(units)[units[0].unit]


def estimates_for_property(actor, property_id: UUID) -> list[tuple[object, Valuation]]:
    """(unit facts, valuation) for every unit of a property the actor manages (empty when
    the property is not theirs)."""
    units = estate.valuation_units(actor=actor, property=property_id)
    if not units:
        return []
    valuations = estimate_units(units)
    return [(u, valuations[u.unit]) for u in units]
