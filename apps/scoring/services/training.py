"""Training the rent scorecard (docs/scoring.md « The model »).

1. Split: a stratified held-out part (30 % by default) never seen by binning or the regression.
2. Binning, per model variable (services/model.py VARIABLES): start from one bin per value (up to
   20 values) or from 10 quantile bins,
   merge any bin holding less than 0.5 % of the rows into its neighbour, then, while the weight
   of evidence (WoE = ln(share of goods / share of bads), smoothed by half a row) does not move
   in the variable's written-down direction, merge the adjacent pair that breaks it most. A
   variable left with one bin, or with an information value under 0.02, carries no usable
   evidence and is left out (listed in the spec's `dropped`).
3. Regression: scikit-learn LogisticRegression on the WoE columns (target: a 90-day serious
   delinquency). With WoE as the input every coefficient should be negative; a positive one
   (collinear variables fighting each other) would turn a variable's evidence upside down, so
   the variable with the largest positive coefficient is left out and the model refitted, until
   none is positive.
4. The spec (cuts, WoE, coefficient, per-bin counts and bad rates) passes the same checks as at
   load (services/model.py check_spec): a monotonicity violation refuses the model.
5. Metrics on the held-out part, computed from the stored spec itself (what will score):
   AUC, KS, Gini = 2·AUC − 1, Brier score, a calibration table by deciles of predicted risk and
   the bad rate per score band.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.utils.translation import gettext_lazy as _
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.model_selection import train_test_split

from ..errors import ModelRejected
from .model import (
    FEATURE_FIELDS,
    RAISES,
    SPEC_FORMAT,
    VARIABLES,
    band_for,
    check_spec,
    design_matrix,
    features_matrix,
    load,
    model_variables,
    thin_file_months,
    variable,
)

__all__ = ["TrainingResult", "bin_variable", "metrics_for", "platform_dataset", "train"]

MAX_BINS = 10
MIN_BIN_SHARE = 0.005
MIN_IV = 0.02
SCALING = {"base_score": 680, "base_odds": 19, "pdo": 50}


@dataclass
class TrainingResult:
    spec: dict
    metrics: dict


def _woe(goods: np.ndarray, bads: np.ndarray) -> np.ndarray:
    G, B = goods.sum(), bads.sum()
    return np.log(((goods + 0.5) / (G + 0.5)) / ((bads + 0.5) / (B + 0.5)))


def _counts(x, y, cuts):
    idx = np.searchsorted(np.asarray(cuts, dtype=np.float64), x, side="right")
    k = len(cuts) + 1
    total = np.bincount(idx, minlength=k)
    bads = np.bincount(idx, weights=y.astype(np.float64), minlength=k)
    return total, bads, total - bads


def bin_variable(x: np.ndarray, y: np.ndarray, direction: str, *, max_bins: int = MAX_BINS):
    """(cuts, woe, totals, bads, information value) for one variable, WoE monotone in
    `direction` (non-decreasing for « raises », non-increasing for « lowers »)."""
    values = np.unique(x)
    if len(values) <= 2 * max_bins:  # counts: every value starts its own bin (rare ones too)
        cuts = [float(v) for v in values[1:]]
    else:
        quantiles = np.quantile(x, np.linspace(0, 1, max_bins + 1)[1:-1])
        cuts = [float(c) for c in np.unique(quantiles) if c > x.min()]
    n = len(x)
    while cuts:
        total, _bads, _goods = _counts(x, y, cuts)
        small = np.flatnonzero(total < MIN_BIN_SHARE * n)
        if not len(small):
            break
        i = int(small[0])
        # merge bin i with its smaller neighbour: remove the cut between them
        if i == 0:
            cuts.pop(0)
        elif i == len(cuts):
            cuts.pop()
        else:
            cuts.pop(i - 1 if total[i - 1] <= total[i + 1] else i)
    sign = 1.0 if direction == RAISES else -1.0
    while cuts:
        total, bads, goods = _counts(x, y, cuts)
        woe = _woe(goods, bads) * sign  # now must be non-decreasing
        steps = np.diff(woe)
        worst = int(np.argmin(steps))
        if steps[worst] >= 0:
            break
        cuts.pop(worst)  # merge bins worst and worst+1
    total, bads, goods = _counts(x, y, cuts)
    woe = _woe(goods, bads)
    G, B = goods.sum(), bads.sum()
    iv = float((((goods + 0.5) / (G + 0.5)) - ((bads + 0.5) / (B + 0.5))) @ woe) if cuts else 0.0
    return cuts, woe, total, bads, iv


def _woe_columns(D: np.ndarray, bins: list[dict]) -> np.ndarray:
    out = np.empty((D.shape[0], len(bins)))
    for j, b in enumerate(bins):
        out[:, j] = np.asarray(b["woe"])[np.searchsorted(np.asarray(b["cuts"]), D[:, j], side="right")]
    return out


def train(
    X: np.ndarray,
    y: np.ndarray,
    *,
    seed: int = 20,
    test_share: float = 0.3,
    C: float = 1.0,
    source: str = "",
) -> TrainingResult:
    """Fit a scorecard on a raw feature matrix (model.columns() order: the ScoreFeatures
    fields, then the registered sources' features) and a 0/1 outcome.
    ModelRejected when the result fails the load checks."""
    y = np.asarray(y, dtype=bool)
    if len(y) < 100 or y.sum() < 10 or (~y).sum() < 10:
        raise ModelRejected(_("Not enough rows with both outcomes to train a scorecard."))
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_share, random_state=seed, stratify=y
    )
    names = model_variables()  # the built-in ones, then the registered sources' (lending's loans)
    D_train = design_matrix(X_train, names)
    kept, dropped = [], {}
    for j, name in enumerate(names):
        known = variable(name)
        direction = known.direction
        cuts, woe, total, bads, iv = bin_variable(D_train[:, j], y_train, direction)
        if not cuts:
            dropped[name] = "no monotone split"
            continue
        if iv < MIN_IV:
            dropped[name] = f"information value {iv:.3f} < {MIN_IV}"
            continue
        kept.append(
            {
                "name": name,
                "direction": direction,
                "cuts": cuts,
                "woe": [round(float(w), 6) for w in woe],
                "iv": round(iv, 4),
                **({} if name in VARIABLES else {"default": known.default}),
                "bins": [
                    {"rows": int(t), "bad_rate": round(float(b / t), 4) if t else 0.0}
                    for t, b in zip(total, bads, strict=True)
                ],
            }
        )
    while True:
        if not kept:
            raise ModelRejected(_("No variable carries usable evidence: no scorecard."))
        W = _woe_columns(design_matrix(X_train, [v["name"] for v in kept]), kept)
        fit = LogisticRegression(C=C, max_iter=2000).fit(W, y_train)
        coefs = fit.coef_[0]
        worst = int(np.argmax(coefs))
        if coefs[worst] <= 0:
            break
        dropped[kept[worst]["name"]] = f"positive coefficient {coefs[worst]:.3f} (collinear)"
        kept.pop(worst)
    for v, coef in zip(kept, coefs, strict=True):
        v["coef"] = round(float(coef), 6)
    spec = {
        "format": SPEC_FORMAT,
        "target": "bad_90d",
        "scaling": dict(SCALING),
        "intercept": round(float(fit.intercept_[0]), 6),
        "variables": kept,
        "dropped": dropped,
        "training": {
            "source": source,
            "rows": len(y),
            "train_rows": len(y_train),
            "test_rows": len(y_test),
            "bad_rate": round(float(y.mean()), 4),
            "seed": seed,
            "C": C,
            "solver": "lbfgs",
        },
    }
    problems = check_spec(spec)
    if problems:  # a monotonicity violation (or anything else) refuses the model
        raise ModelRejected(
            _("This scoring model fails its checks and was not loaded: %(problems)s")
            % {"problems": "; ".join(problems)},
            problems=problems,
        )
    model = load(spec, version="training")
    metrics = {
        "held_out": metrics_for(model, X_test, y_test),
        "train": {"auc": round(float(roc_auc_score(y_train, model.probability_bad(X_train))), 4)},
    }
    return TrainingResult(spec=spec, metrics=metrics)


def metrics_for(model, X: np.ndarray, y: np.ndarray) -> dict:
    """AUC, KS, Gini, Brier, calibration by deciles and bad rate per band, on (X, y)."""
    y = np.asarray(y, dtype=bool)
    p = model.probability_bad(X)
    scores, _ = model.raw_scores(X)
    auc = float(roc_auc_score(y, p))
    fpr, tpr, _t = roc_curve(y, p)
    order = np.argsort(p, kind="stable")
    calibration = []
    for chunk in np.array_split(order, 10):
        if len(chunk):
            calibration.append(
                {
                    "rows": len(chunk),
                    "predicted": round(float(p[chunk].mean()), 4),
                    "observed": round(float(y[chunk].mean()), 4),
                }
            )
    thin = X[:, FEATURE_FIELDS.index("months_observed")] < thin_file_months()
    scored = ~thin
    bands = {}
    for score, bad, is_thin in zip(scores.tolist(), y.tolist(), thin.tolist(), strict=True):
        band = band_for(None if is_thin else score).value
        row = bands.setdefault(band, [0, 0])
        row[0] += 1
        row[1] += bad
    out = {
        "rows": len(y),
        "bad_rate": round(float(y.mean()), 4),
        "auc": round(auc, 4),
        "gini": round(2 * auc - 1, 4),
        "ks": round(float(np.max(tpr - fpr)), 4),
        "brier": round(float(np.mean((p - y) ** 2)), 4),
        "calibration": calibration,
        "bands": {b: {"rows": r, "bad_rate": round(k / r, 4)} for b, (r, k) in sorted(bands.items())},
    }
    if scored.sum() and y[scored].any() and (~y[scored]).any():
        out["auc_scored"] = round(float(roc_auc_score(y[scored], p[scored])), 4)
    out["score_mean"] = round(float(scores[scored].mean()), 1) if scored.any() else None
    return out


def platform_dataset(*, today: date, horizon_months: int = 12, chunk: int = 2000):
    """(X, y) from the platform's own history: each tenant's features as they were
    `horizon_months` before today (features_for at that date) and, as outcome, whether a
    rent due after that date went 90 days or more past due (estate's rent lines)."""
    from dateutil.relativedelta import relativedelta

    from apps.estate import api as estate

    from .features import features_for

    cutoff = today - relativedelta(months=horizon_months)
    rows, outcomes = [], []
    after = None
    while True:
        page = estate.tenants_after(after, limit=chunk)
        if not page:
            break
        after = page[-1]
        features = features_for(page, today=cutoff)
        lines = estate.tenant_rent_lines(page, today=today, months=horizon_months + 1)
        for user, f in features.items():
            if f.months_observed == 0:
                continue  # not a tenant yet at the cutoff: nothing to learn from
            rows.append(f)
            outcomes.append(
                any(line.due_date > cutoff and line.days_late >= 90 for line in lines.get(user, ()))
            )
    return features_matrix(rows), np.asarray(outcomes, dtype=bool)


def version_name(source: str, now) -> str:
    """`sim-20261203-155237-3fa2`: when and from what, and a random tail (two trainings within
    the same second are two versions, not a unique-key error)."""
    return f"{source}-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
