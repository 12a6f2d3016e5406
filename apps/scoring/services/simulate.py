"""A simulated tenant population to train the scorecard on before Hokwe has its own history
(docs/scoring.md « The model », « The simulated population »).

The process, month by month for each tenant (numpy over all tenants at once, seeded):

* A behaviour type, drawn once: steady 55 %, stretched 25 % (pays, but often after the due
  date), volatile 13 % (irregular income), distressed 7 % (rarely able to pay in full). Each type
  has monthly chances of paying late, in part or not at all, a chance of a shock starting, and
  a chance of clearing arrears; each tenant's chances are the type's times a personal factor
  (log-normal, sigma 0.35), so two tenants of the same type differ.
* Shocks (job loss, illness, a funeral): they start with the type's monthly chance and last
  1 to 6 months; during a shock, late x3, partial x3 and unpaid x6 (at least 35 %: a shock can
  put anyone behind).
* Seasonality: the festive months (December, January) and the school-fees months (September,
  October) make late and missed payments 1.5 times as likely.
* Month-end: salaried tenants (60 %) are paid at the month's end, so a late rent is paid at the
  next pay day (25 to 30 days late); informal earners pay a few days to three weeks late.
* Arrears: an unpaid month adds a month of arrears; each month the tenant clears one with the
  type's chance (not during a shock). Arrears of 3 months mean a due 90 days past due.
* Observed history: each tenant has 1 to 24 months on Hokwe (the last ones of a 24-month
  window); the features are computed from it exactly as the platform computes them
  (ScoreFeatures), including recovery cases (an arrears episode opens one 70 % of the time),
  promises, the tontine, HokweSplit, wallet use and the KYC tier, all related to the type.
* The outcome: a 90-day serious delinquency (arrears of 3 months or more) in the 12 months
  that follow the observation date.

The type is never a feature: the model has to find it in the behaviour, as on the platform.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..contracts import ScoreFeatures
from .model import FEATURE_FIELDS
from .model import columns as feature_columns
from .sources import registered, registered_specs

__all__ = ["TYPES", "Population", "simulate", "simulated_rows"]

HISTORY = 24  # months of observation window
PERFORMANCE = 12  # months after the observation date where the outcome is read

# type: (share, late, partial, unpaid, shock start, clears arrears, moves, tontine on time,
#        tontine default, split discipline, wallet activity)
TYPES = {
    "steady": (0.55, 0.04, 0.010, 0.004, 0.008, 0.80, 0.20, 0.95, 0.01, 0.85, 0.80),
    "stretched": (0.25, 0.18, 0.040, 0.015, 0.015, 0.55, 0.30, 0.85, 0.03, 0.70, 0.70),
    "volatile": (0.13, 0.25, 0.080, 0.050, 0.035, 0.40, 0.40, 0.70, 0.08, 0.55, 0.60),
    "distressed": (0.07, 0.30, 0.120, 0.120, 0.060, 0.18, 0.50, 0.55, 0.15, 0.40, 0.50),
}
SEASON = {12: 1.5, 1: 1.5, 9: 1.5, 10: 1.5}  # festive and school-fees months
ON_TIME, LATE, PARTIAL, UNPAID = 0, 1, 2, 3


@dataclass
class Population:
    X: np.ndarray  # (n, len(model.columns())) features: the FEATURE_FIELDS, then the sources' features
    y: np.ndarray  # (n,) True = a 90-day serious delinquency in the next 12 months
    kind: np.ndarray  # (n,) behaviour type index (for the docs' tables only, never a feature)

    def features(self) -> list[ScoreFeatures]:
        ints = {
            name for name in FEATURE_FIELDS if name != "avg_days_late_12"
        }  # ScoreFeatures types: all int but one
        specs = registered_specs()
        extra = feature_columns()[len(FEATURE_FIELDS) :]
        width = len(FEATURE_FIELDS)
        return [
            ScoreFeatures(
                **{k: (int(v) if k in ints else float(v)) for k, v in zip(FEATURE_FIELDS, row, strict=False)},
                extra=tuple(
                    sorted(
                        (name, int(v))
                        for name, v in zip(extra, row[width:], strict=True)
                        if v != specs[name].default
                    )
                ),
            )
            for row in self.X.tolist()
        ]


def simulate(n: int, *, seed: int = 20, start_month: int = 1) -> Population:
    """n tenants (features and outcome), reproducible for a seed."""
    rng = np.random.default_rng(seed)
    names = list(TYPES)
    params = np.array([TYPES[t] for t in names])
    kind = rng.choice(len(names), size=n, p=params[:, 0] / params[:, 0].sum())
    P = params[kind]
    personal = rng.lognormal(0.0, 0.35, size=n)
    p_late, p_partial, p_unpaid = (np.minimum(P[:, i] * personal, 0.6) for i in (1, 2, 3))
    p_shock = P[:, 4] * personal
    p_clear = np.clip(P[:, 5] / personal, 0.05, 0.95)
    salaried = rng.random(n) < 0.6

    months_total = HISTORY + PERFORMANCE
    status = np.zeros((n, months_total), dtype=np.int8)
    days_late = np.zeros((n, months_total), dtype=np.int16)
    arrears_hist = np.zeros((n, months_total), dtype=np.int8)
    arrears = np.zeros(n, dtype=np.int8)
    shock_left = np.zeros(n, dtype=np.int8)
    for m in range(months_total):
        season = SEASON.get((start_month + m - 1) % 12 + 1, 1.0)
        starts = (shock_left == 0) & (rng.random(n) < p_shock)
        shock_left[starts] = rng.integers(1, 7, size=int(starts.sum()))
        shocked = shock_left > 0
        mult = np.where(shocked, 3.0, 1.0) * season
        unpaid_p = np.minimum(np.where(shocked, np.maximum(p_unpaid * 6.0, 0.35), p_unpaid) * season, 0.9)
        partial_p = np.minimum(p_partial * mult, 0.9 - unpaid_p)
        late_p = np.minimum(p_late * mult, 0.95 - unpaid_p - partial_p)
        u = rng.random(n)
        st = np.full(n, ON_TIME, dtype=np.int8)
        st[u < late_p + partial_p + unpaid_p] = LATE
        st[u < partial_p + unpaid_p] = PARTIAL
        st[u < unpaid_p] = UNPAID
        # a tenant already in arrears keeps paying late at best
        st[(arrears > 0) & (st == ON_TIME)] = LATE
        dl = np.where(
            salaried, rng.integers(25, 31, size=n), np.minimum(rng.geometric(0.12, size=n), 29)
        ).astype(np.int16)
        clears = (arrears > 0) & ~shocked & (rng.random(n) < p_clear)
        arrears = arrears + (st == UNPAID) - clears
        arrears = np.maximum(arrears, 0).astype(np.int8)
        dl = np.where(st == UNPAID, 30 * np.maximum(arrears, 1), dl)
        dl = np.where(st == PARTIAL, dl + 15, dl)
        dl = np.where(st == ON_TIME, 0, dl)
        status[:, m], days_late[:, m], arrears_hist[:, m] = st, dl, arrears
        shock_left = np.maximum(shock_left - 1, 0).astype(np.int8)

    y = (arrears_hist[:, HISTORY:] >= 3).any(axis=1)

    # what the platform sees: the last `observed` months of the history window
    observed = np.where(rng.random(n) < 0.35, HISTORY, rng.integers(1, HISTORY + 1, size=n))
    col = np.arange(HISTORY)
    seen = col[None, :] >= (HISTORY - observed)[:, None]
    last12 = seen & (col[None, :] >= HISTORY - 12)
    st_h, dl_h, ar_h = status[:, :HISTORY], days_late[:, :HISTORY], arrears_hist[:, :HISTORY]

    def count(code, mask):
        return ((st_h == code) & mask).sum(axis=1)

    late_12 = count(LATE, last12)
    late_days = np.where((st_h == LATE) & last12, dl_h, 0)
    avg_days_late = np.where(late_12 > 0, np.round(late_days.sum(axis=1) / np.maximum(late_12, 1), 1), 0.0)
    max_days_late = np.where(last12 & (st_h != ON_TIME), dl_h, 0).max(axis=1)

    moved = rng.random(n) < P[:, 6]
    tenure = np.where(moved, np.maximum(1, (observed * rng.random(n)).astype(int)), observed)

    # recovery: an arrears episode (0 -> 1+) seen on Hokwe opens a case 70 % of the time; it is
    # paid when the arrears went back to 0, written off when they reached 4 months
    prev = np.concatenate([np.zeros((n, 1), dtype=np.int8), ar_h[:, :-1]], axis=1)
    episodes = ((prev == 0) & (ar_h > 0) & seen).sum(axis=1)
    opened = rng.binomial(episodes, 0.7)
    ended = ((prev > 0) & (ar_h == 0) & seen).sum(axis=1)
    paid = np.minimum(rng.binomial(ended, 0.7), opened)
    written_off = np.minimum(
        ((ar_h >= 4) & seen).any(axis=1).astype(int) * (rng.random(n) < 0.5), opened - paid
    )
    promises = rng.binomial(opened * 2, 0.6)
    promise_kept_p = np.clip(0.3 + 0.6 * p_clear, 0, 1)
    kept = rng.binomial(promises, promise_kept_p)
    broken = promises - kept

    in_tontine = rng.random(n) < np.where(P[:, 7] > 0.9, 0.4, 0.3)
    contributions = np.where(in_tontine, rng.integers(4, 13, size=n), 0)
    t_on_time = rng.binomial(contributions, np.clip(P[:, 7] / personal**0.5, 0, 1))
    t_late = contributions - t_on_time
    t_defaults = rng.binomial(in_tontine.astype(int), np.minimum(P[:, 8] * personal, 1))

    in_split = rng.random(n) < 0.25
    streak = np.where(in_split, np.minimum(rng.geometric(np.clip(1 - P[:, 9], 0.05, 0.95), size=n), 24), 0)
    in_wallet = rng.random(n) < 0.6
    wallet_months = np.where(in_wallet, rng.binomial(6, P[:, 10]), 0)
    kyc = np.minimum(rng.binomial(3, np.where(kind == 3, 0.35, 0.5)), 3)

    columns = {
        "months_observed": observed,
        "on_time_12": count(ON_TIME, last12),
        "late_12": late_12,
        "partial_12": count(PARTIAL, last12),
        "unpaid_12": count(UNPAID, last12),
        "avg_days_late_12": avg_days_late,
        "max_days_late_12": max_days_late,
        "tenure_months": tenure,
        "recovery_opened": opened,
        "recovery_paid": paid,
        "recovery_written_off": written_off,
        "promises_kept": kept,
        "promises_broken": broken,
        "tontine_on_time": t_on_time,
        "tontine_late": t_late,
        "tontine_defaults": t_defaults,
        "split_streak_max": streak,
        "wallet_active_months_6": wallet_months,
        "kyc_tier": kyc,
    }
    # the higher modules' features (lending's loans): each registered source simulates its own
    # from the same tenants' behaviour (services/sources.py), with its own generator (seeded)
    behaviour = {
        "p_late": p_late,
        "p_partial": p_partial,
        "p_unpaid": p_unpaid,
        "p_clear": p_clear,
        "observed": observed,
        "arrears_max": np.where(seen, ar_h, 0).max(axis=1),
    }
    for i, source in enumerate(registered()):
        values = source.simulate(np.random.default_rng([seed, i + 1]), behaviour) if source.simulate else {}
        for spec in source.features:
            columns[source.variable(spec)] = values.get(spec.name, np.full(n, spec.default))
    X = np.column_stack([np.asarray(columns[name], dtype=np.float64) for name in feature_columns()])
    return Population(X=X, y=y, kind=kind)


def simulated_rows(n: int, *, seed: int = 20) -> list[tuple[ScoreFeatures, bool]]:
    """(ScoreFeatures, outcome) rows: the shape the platform's own data takes."""
    population = simulate(n, seed=seed)
    return list(zip(population.features(), population.y.tolist(), strict=True))
