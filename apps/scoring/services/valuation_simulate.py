"""HokweValuation's generator and its honest measurement.

The generator draws agreed rents with a KNOWN rent function plus noise, so an estimate's
error can be compared with the noise floor (the error of the true function itself):

    rent = base(city) x kind(kind) x (rooms / kind's usual rooms)^0.30
           x (surface / kind's usual surface)^0.40 x 1.25 if furnished
           x (1 + premium x exp(-distance to the city's prime area / 1.5 km))
           x (1 - 0.25 x min(distance to the centre / 15 km, 1))
           x 1.04^(-years since agreed) x exp(noise), noise ~ Normal(0, sigma)

Cities (centre, prime area, base for a chambre-salon in XOF): Cotonou (Haie Vive),
Abomey-Calavi, Abidjan (Cocody); properties are scattered around the centre (Normal, 4 km),
a few units per property; agreed dates uniform over the last 36 months; about 10 % of units
without a recorded surface and 15 % of properties without a GPS point (as on the platform).

`measure(n, seed=, sigma=)` trains on 80 %, estimates the other 20 % with the comparables from
the training part only and the model trained on it, and reports the median absolute
percentage error and the share within ±10 % for the comparables alone, the model alone, the
blend (what is shown) and the true function (the noise floor), and how often the shown
range (10 %–90 %) holds the agreed rent."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.conf import settings
from django.utils import timezone

from .valuation import estimate_logs
from .valuation_model import LoadedModel, Rows, fit, lease_rows

CITIES = {
    # name: (country, centre lat, lon, prime lat, lon, prime premium, base rent of a chambre-salon)
    "Cotonou": ("BJ", 6.3654, 2.4183, 6.3580, 2.3900, 0.60, 40_000),
    "Abomey-Calavi": ("BJ", 6.4485, 2.3557, 6.4200, 2.3400, 0.25, 28_000),
    "Abidjan": ("CI", 5.3600, -4.0083, 5.3480, -3.9900, 0.70, 65_000),
}
CITY_WEIGHTS = (0.45, 0.2, 0.35)
# kind: (share, rent factor, usual rooms (min, max), usual surface m2)
KINDS = {
    "entrer_coucher": (0.25, 0.45, (1, 1), 14),
    "chambre_salon": (0.30, 1.0, (2, 2), 28),
    "studio": (0.10, 1.15, (1, 1), 25),
    "apartment": (0.25, 2.3, (2, 5), 75),
    "villa": (0.10, 5.0, (3, 7), 180),
}
DRIFT = 0.04


@dataclass(frozen=True)
class SimLease:
    lease: uuid.UUID
    unit: uuid.UUID
    kind: str
    rooms: int
    surface_m2: int | None
    furnished: bool
    latitude: float | None
    longitude: float | None
    city: str
    neighbourhood: str
    country: str
    currency: str
    rent: int
    agreed_on: date
    true_rent: float  # the known function, without the noise


def _km(lat1, lon1, lat2, lon2) -> float:
    dy = (lat2 - lat1) * 111.0
    dx = (lon2 - lon1) * 111.0 * math.cos(math.radians(lat1))
    return math.hypot(dx, dy)


def generate(n: int, *, seed: int = 7, sigma: float = 0.12, today: date | None = None) -> list[SimLease]:
    """`n` agreed rents (about 3 units per property), reproducible from `seed`."""
    today = today or timezone.localdate()
    rng = np.random.default_rng(seed)
    names = list(CITIES)
    kinds = list(KINDS)
    shares = np.array([KINDS[k][0] for k in kinds])
    out: list[SimLease] = []
    while len(out) < n:
        city = names[rng.choice(len(names), p=CITY_WEIGHTS)]
        country, clat, clon, plat, plon, premium, base = CITIES[city]
        lat = clat + rng.normal(0, 4.0 / 111)
        lon = clon + rng.normal(0, 4.0 / 111)
        hood = f"{city}-{int((lat - clat) * 111 // 1.5)}:{int((lon - clon) * 111 // 1.5)}"
        has_gps = rng.random() > 0.15
        location = (1 + premium * math.exp(-_km(lat, lon, plat, plon) / 1.5)) * (
            1 - 0.25 * min(_km(lat, lon, clat, clon) / 15, 1)
        )
        for _unit in range(int(rng.integers(1, 6))):
            kind = kinds[rng.choice(len(kinds), p=shares / shares.sum())]
            _share, factor, (rmin, rmax), usual = KINDS[kind]
            rooms = int(rng.integers(rmin, rmax + 1))
            usual_rooms = (rmin + rmax) / 2
            surface = max(8, int(usual * (rooms / usual_rooms) ** 0.8 * math.exp(rng.normal(0, 0.2))))
            furnished = bool(rng.random() < 0.15)
            age_days = int(rng.integers(0, 36 * 30))
            years = age_days / 365.25
            true = (
                base
                * factor
                * (rooms / usual_rooms) ** 0.30
                * (surface / usual) ** 0.40
                * (1.25 if furnished else 1.0)
                * location
                * (1 + DRIFT) ** (-years)
            )
            rent = int(round(true * math.exp(rng.normal(0, sigma)), -2))
            out.append(
                SimLease(
                    lease=uuid.UUID(int=int(rng.integers(0, 2**63)) << 64 | len(out)),
                    unit=uuid.UUID(int=len(out) + 1),
                    kind=kind,
                    rooms=rooms,
                    surface_m2=surface if rng.random() > 0.10 else None,
                    furnished=furnished,
                    latitude=round(lat, 6) if has_gps else None,
                    longitude=round(lon, 6) if has_gps else None,
                    city=city,
                    neighbourhood=hood,
                    country=country,
                    currency="XOF",
                    rent=max(rent, 1000),
                    agreed_on=today - timedelta(days=age_days),
                    true_rent=true,
                )
            )
            if len(out) >= n:
                break
    return out


def errors(actual_log: np.ndarray, predicted_log: np.ndarray) -> dict:
    """Median absolute percentage error and the share within ±10 % (NaN predictions skipped)."""
    ok = ~np.isnan(predicted_log)
    ape = np.abs(np.exp(predicted_log[ok] - actual_log[ok]) - 1)
    if len(ape) == 0:
        return {"n": 0, "mdape": None, "within_10": None}
    return {"n": int(len(ape)), "mdape": float(np.median(ape)), "within_10": float(np.mean(ape <= 0.10))}


def _quantiles(residuals: np.ndarray) -> list[float]:
    return [float(np.quantile(residuals, 0.1)), float(np.quantile(residuals, 0.9))]


def split(n: int, *, seed: int, holdout: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    order = np.random.default_rng(seed + 1).permutation(n)
    cut = int(round(n * (1 - holdout)))
    return np.sort(order[:cut]), np.sort(order[cut:])


def held_out(train: Rows, test: Rows, *, seed: int, max_iter: int = 300):
    """Fit on `train`, measure on `test`: (estimator, vocabulary, metrics, residuals)."""
    estimator, vocabulary = fit(train, seed=seed, max_iter=max_iter)
    bare = LoadedModel(version="held-out", estimator=estimator, vocabulary=vocabulary, residuals={})
    model_log = bare.predict_log(test, at_months=None)  # the rent when it was agreed
    # the model's residuals give the range of a model-only estimate
    model_res = test.log_rent - model_log
    bare.residuals = {"model": _quantiles(model_res)}
    # estimate each held-out lease as of its agreement date: the pool's ages shift with it, so
    # measure at months_ago = 0 for the target by comparing against the rent de-drifted by the
    # model (the target's own age is the model's to explain)
    at_agreement = Rows(**{**test.__dict__, "months_ago": np.zeros(len(test))})
    logs = estimate_logs(train, at_agreement, bare)
    drift_back = bare.predict_log(test, at_months=None) - bare.predict_log(test, at_months=0.0)
    blend = np.array([np.nan if e.log_rent is None else e.log_rent for e in logs]) + drift_back
    comps_only = estimate_logs(train, at_agreement, None)  # no model: a constant drift back
    comp_log = np.array([np.nan if e.log_rent is None else e.log_rent for e in comps_only]) - (
        test.months_ago / 12 * math.log1p(settings.SCORING_VALUATION_ANNUAL_DRIFT)
    )
    used = np.array([e.method == "blend" for e in logs])
    blend_res = test.log_rent - blend
    residuals = {
        "model": _quantiles(model_res),
        "blend": _quantiles(blend_res[used]) if used.sum() >= 20 else _quantiles(model_res),
    }
    # the range's coverage, honestly: quantiles from one half of the held-out part, coverage
    # counted on the other half (and the other way round)
    halves = np.arange(len(test)) % 2 == 0
    covered = np.zeros(len(test), dtype=bool)
    for calibrate in (halves, ~halves):
        lo_m, hi_m = _quantiles(model_res[calibrate])
        lo_b, hi_b = (
            _quantiles(blend_res[calibrate & used]) if (calibrate & used).sum() >= 10 else (lo_m, hi_m)
        )
        lo = np.where(used, lo_b, lo_m)
        hi = np.where(used, hi_b, hi_m)
        inside = (blend_res >= lo) & (blend_res <= hi)
        covered[~calibrate] = inside[~calibrate]
    metrics = {
        "train_rows": len(train),
        "test_rows": len(test),
        "model": errors(test.log_rent, model_log),
        "comparables": errors(test.log_rent, comp_log),
        "blend": errors(test.log_rent, blend),
        "with_comparables_share": float(used.mean()) if len(used) else 0.0,
        "range_coverage": float(covered.mean()) if len(covered) else None,
    }
    return estimator, vocabulary, metrics, residuals


def measure(n: int, *, seed: int = 7, sigma: float = 0.12, max_iter: int = 300, today: date | None = None):
    """Generate, split, train and measure; returns (estimator, vocabulary, train rows, metrics,
    residuals). Metrics include the noise floor (the true function's error)."""
    today = today or timezone.localdate()
    leases = generate(n, seed=seed, sigma=sigma, today=today)
    rows = lease_rows(leases, today=today)
    train_i, test_i = split(len(rows), seed=seed)
    train, test = rows.take(train_i), rows.take(test_i)
    estimator, vocabulary, metrics, residuals = held_out(train, test, seed=seed, max_iter=max_iter)
    true_log = np.log(np.array([leases[i].true_rent for i in test_i]))
    metrics["noise_floor"] = errors(test.log_rent, true_log)
    metrics["sigma"] = sigma
    metrics["generated"] = n
    metrics["seed"] = seed
    return estimator, vocabulary, train, metrics, residuals
