"""The rent scorecard at run time (docs/scoring.md « The model »).

A scorecard is a logistic regression on binned features: each model variable is cut into bins,
each bin carries a weight of evidence (WoE = ln(share of goods / share of bads) in the bin, so a
higher WoE is a safer bin) and the regression gives one coefficient per variable on its WoE.
With the target "bad" (a 90-day serious delinquency), a coefficient is never positive, and the
points of a bin are  -factor * coef * woe : the points a user gets, relative to the average
user (WoE 0), from that variable. The score is  offset - factor * intercept + sum(points),
rounded and clipped to 300-850 (factor = pdo / ln 2, offset = base_score - factor * ln base_odds:
680 points at odds 19 good for 1 bad, i.e. a 5 % chance of a serious delinquency, and 50 more
points each time those odds double).

Monotonic constraints are written down in VARIABLES (the direction of each variable) and are
enforced twice: training merges bins until the WoE moves in the stated direction, and `load`
refuses a spec whose points do not (or where a coefficient is missing or positive). A refused
spec is never activated and the previous active version stays in use.

`score_many` is vectorised with numpy: one matrix of features, one `searchsorted` per variable,
the reasons picked with `argpartition`; only the texts of the (at most four) reasons are built
per user, from a cache keyed by (variable, value).
"""

from __future__ import annotations

import logging
import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..contracts import Reason, ScoreBand, ScoreFeatures
from ..errors import ModelRejected
from .sources import registered_specs

log = logging.getLogger(__name__)

__all__ = [
    "FEATURE_FIELDS",
    "LOYALTY_TIERS",
    "SCORE_MAX",
    "SCORE_MIN",
    "VARIABLES",
    "LoadedModel",
    "ScoreResult",
    "activate",
    "active_model",
    "band_for",
    "check_spec",
    "columns",
    "design_matrix",
    "features_matrix",
    "forget_loaded",
    "load",
    "loyalty_label",
    "loyalty_tier",
    "loyalty_tiers",
    "provisional_spec",
    "save_model",
    "score_many",
    "thin_file_months",
    "variable",
]

SPEC_FORMAT = 1
SCORE_MIN, SCORE_MAX = 300, 850
RAISES, LOWERS = "raises", "lowers"
MAX_REASONS = 4
MIN_REASON_POINTS = 1.0  # a factor worth less than a point is not a reason

FEATURE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ScoreFeatures) if f.name != "extra")
_COL = {name: i for i, name in enumerate(FEATURE_FIELDS)}
_getter = operator.attrgetter(*FEATURE_FIELDS)


@dataclass(frozen=True)
class Variable:
    """A model variable: how it is computed from ScoreFeatures (vectorised) and its written-down
    monotonic constraint: `raises` = a higher value never lowers the score."""

    name: str
    direction: str
    why: str

    default: float = 0.0  # a higher module's feature: the value of a user its source knows nothing of

    def column(self, X: np.ndarray) -> np.ndarray:
        if self.name == "recovery_unresolved":
            # cases not closed by a payment (still open or written off): paying a case off
            # can only raise the score
            return np.maximum(X[:, _COL["recovery_opened"]] - X[:, _COL["recovery_paid"]], 0.0)
        if self.name in _COL:
            return X[:, _COL[self.name]]
        # a registered source's feature: its column after the ScoreFeatures fields (columns());
        # a source not registered (or a matrix built without it) gives everyone the default
        extra = columns()
        j = extra.index(self.name) if self.name in extra else -1
        if 0 <= j < X.shape[1]:
            return X[:, j]
        return np.full(X.shape[0], float(self.default))


# The written-down constraints (docs/scoring.md has the same table). Not used as variables:
# recovery_opened and recovery_paid enter through recovery_unresolved; promises_kept only
# happens inside a recovery case, so its share of the information is in recovery_unresolved.
VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in (
        Variable("months_observed", RAISES, "a longer verified rent record"),
        Variable("on_time_12", RAISES, "more on-time months never lowers the score"),
        Variable("late_12", LOWERS, "more late months never raises it"),
        Variable("partial_12", LOWERS, "more partly paid months never raises it"),
        Variable("unpaid_12", LOWERS, "more unpaid months never raises it"),
        Variable("avg_days_late_12", LOWERS, "later payments never raise it"),
        Variable("max_days_late_12", LOWERS, "a longer worst delay never raises it"),
        Variable("tenure_months", RAISES, "a longer stay never lowers it"),
        Variable("recovery_unresolved", LOWERS, "a case not settled by payment never raises it"),
        Variable("recovery_written_off", LOWERS, "a written-off debt never raises it"),
        Variable("promises_broken", LOWERS, "a broken promise never raises it"),
        Variable("tontine_on_time", RAISES, "tontine contributions on time never lower it"),
        Variable("tontine_late", LOWERS, "late tontine contributions never raise it"),
        Variable("tontine_defaults", LOWERS, "a tontine default never raises it"),
        Variable("split_streak_max", RAISES, "a longer HokweSplit streak never lowers it"),
        Variable("wallet_active_months_6", RAISES, "a regularly used wallet never lowers it"),
        Variable("kyc_tier", RAISES, "a higher verified identity level never lowers it"),
    )
}


def is_source_variable(name) -> bool:
    """ "<source>.<feature>": a feature a higher module registers (services/sources.py)."""
    return isinstance(name, str) and name.count(".") == 1 and all(p.isidentifier() for p in name.split("."))


def columns() -> tuple[str, ...]:
    """The raw feature matrix's columns: the ScoreFeatures fields, then every registered
    source's variables ("lending.loans_repaid", …) in registration order."""
    return FEATURE_FIELDS + tuple(registered_specs())


def variable(name: str, *, default: float = 0.0) -> Variable | None:
    """A built-in variable, or a registered source's (its written-down direction), or None."""
    if name in VARIABLES:
        return VARIABLES[name]
    spec = registered_specs().get(name)
    if spec is not None:
        return Variable(name, spec.direction, spec.why, float(spec.default))
    return None


def model_variables() -> list[str]:
    """What training considers: the built-in variables, then the registered sources'."""
    return list(VARIABLES) + list(registered_specs())


class ScoreResult(NamedTuple):
    score: int | None  # None for a thin file
    band: ScoreBand
    reasons: tuple[Reason, ...]


def thin_file_months() -> int:
    return int(getattr(settings, "SCORING_THIN_FILE_MONTHS", 6))


# --------------------------------------------------------------------------------------------
# Features → matrices


def features_matrix(features: Sequence[ScoreFeatures]) -> np.ndarray:
    """(n, len(columns())) float matrix of the raw features: the ScoreFeatures fields, then the
    registered sources' features (their default where a source returned nothing)."""
    specs = registered_specs()
    if not features:
        return np.zeros((0, len(FEATURE_FIELDS) + len(specs)))
    X = np.array(list(map(_getter, features)), dtype=np.float64)
    if not specs:
        return X
    index = {name: j for j, name in enumerate(specs)}
    E = np.tile(np.array([float(spec.default) for spec in specs.values()]), (len(features), 1))
    for i, f in enumerate(features):
        for name, value in f.extra:  # only users a source knows: most rows have none
            j = index.get(name)
            if j is not None:
                E[i, j] = value
    return np.hstack([X, E])


def design_matrix(X: np.ndarray, names: Sequence[str], defaults: dict | None = None) -> np.ndarray:
    """(n, len(names)) matrix of the model variables computed from the raw features. A source
    variable that is not registered takes its `defaults` value (the spec's)."""
    if not len(names):
        return np.zeros((X.shape[0], 0))
    defaults = defaults or {}
    return np.column_stack(
        [
            (variable(name) or Variable(name, RAISES, "", float(defaults.get(name, 0.0)))).column(X)
            for name in names
        ]
    )


# --------------------------------------------------------------------------------------------
# The spec: checks at load


def _finite(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def check_spec(spec) -> list[str]:
    """Everything wrong with a spec (empty when it may be loaded)."""
    if not isinstance(spec, dict):
        return ["the spec is not an object"]
    problems = []
    if spec.get("format") != SPEC_FORMAT:
        problems.append(f"unknown format {spec.get('format')!r}")
    scaling = spec.get("scaling")
    if not isinstance(scaling, dict) or not all(
        _finite(scaling.get(k)) for k in ("base_score", "base_odds", "pdo")
    ):
        problems.append("scaling needs base_score, base_odds and pdo")
    elif scaling["pdo"] <= 0 or scaling["base_odds"] <= 0:
        problems.append("pdo and base_odds must be positive")
    if not _finite(spec.get("intercept")):
        problems.append("missing intercept")
    variables = spec.get("variables")
    if not isinstance(variables, list) or not variables:
        return [*problems, "no variables"]
    seen = set()
    for i, var in enumerate(variables):
        if not isinstance(var, dict):
            problems.append(f"variable {i} is not an object")
            continue
        name = var.get("name")
        known = variable(name) if isinstance(name, str) else None
        if known is None and not is_source_variable(name):
            problems.append(f"unknown variable {name!r}")
            continue
        if name in seen:
            problems.append(f"{name}: listed twice")
        seen.add(name)
        # a source variable whose source is not registered keeps the direction it was trained
        # with (still checked below) and scores at its default
        direction = known.direction if known else var.get("direction")
        if known is None and (direction not in (RAISES, LOWERS) or not _finite(var.get("default", 0))):
            problems.append(f"{name}: a source variable needs a direction and a numeric default")
            continue
        if var.get("direction") != direction:
            problems.append(f"{name}: direction must be {direction!r} (docs/scoring.md)")
        if "coef" not in var or not _finite(var.get("coef")):
            problems.append(f"{name}: missing coefficient")
            continue
        cuts, woe = var.get("cuts"), var.get("woe")
        if not isinstance(cuts, list) or not all(_finite(c) for c in cuts):
            problems.append(f"{name}: cuts must be numbers")
            continue
        if not isinstance(woe, list) or len(woe) != len(cuts) + 1 or not all(_finite(w) for w in woe):
            problems.append(f"{name}: one weight of evidence per bin ({len(cuts) + 1})")
            continue
        if len(cuts) > 50:
            problems.append(f"{name}: at most 50 cuts")
        if any(b <= a for a, b in zip(cuts, cuts[1:], strict=False)):
            problems.append(f"{name}: cuts must increase")
        if var["coef"] > 0:
            problems.append(f"{name}: positive coefficient (the WoE would count against its evidence)")
        points = [-var["coef"] * w for w in woe]
        steps = [b - a for a, b in zip(points, points[1:], strict=False)]
        if direction == RAISES and any(s < -1e-9 for s in steps):
            problems.append(f"{name}: monotonicity violated (points must not decrease)")
        if direction == LOWERS and any(s > 1e-9 for s in steps):
            problems.append(f"{name}: monotonicity violated (points must not increase)")
    return problems


class LoadedModel:
    """A checked spec, ready to score matrices."""

    def __init__(self, spec: dict, version: str):
        self.version = version
        self.spec = spec
        scaling = spec["scaling"]
        self.factor = scaling["pdo"] / math.log(2)
        self.offset = scaling["base_score"] - self.factor * math.log(scaling["base_odds"])
        self.base = self.offset - self.factor * spec["intercept"]
        self.names = tuple(v["name"] for v in spec["variables"])
        self.defaults = {v["name"]: float(v.get("default", 0)) for v in spec["variables"] if "default" in v}
        self.cuts = [np.asarray(v["cuts"], dtype=np.float64) for v in spec["variables"]]
        self.points = [
            -self.factor * v["coef"] * np.asarray(v["woe"], dtype=np.float64) for v in spec["variables"]
        ]

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """(n, variables) points of each variable, relative to the average user."""
        D = design_matrix(X, self.names, self.defaults)
        out = np.empty_like(D)
        for j in range(D.shape[1]):
            out[:, j] = self.points[j][np.searchsorted(self.cuts[j], D[:, j], side="right")]
        return out

    def raw_scores(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(scores as integers in 300-850, contributions) for a raw feature matrix."""
        C = self.contributions(X)
        raw = self.base + C.sum(axis=1)
        return np.clip(np.rint(raw), SCORE_MIN, SCORE_MAX).astype(np.int64), C

    def probability_bad(self, X: np.ndarray) -> np.ndarray:
        """The model's chance of a 90-day serious delinquency (unclipped)."""
        C = self.contributions(X)
        log_odds_good = (self.base + C.sum(axis=1) - self.offset) / self.factor
        return 1.0 / (1.0 + np.exp(log_odds_good))


def load(spec: dict, *, version: str = "") -> LoadedModel:
    """Check a spec and prepare it; ModelRejected (nothing changes) when a check fails."""
    problems = check_spec(spec)
    if problems:
        raise ModelRejected(
            gettext_lazy("This scoring model fails its checks and was not loaded: %(problems)s")
            % {"problems": "; ".join(problems)},
            problems=problems,
        )
    return LoadedModel(spec, version)


# --------------------------------------------------------------------------------------------
# The provisional spec (hand-set, used only until a trained version is active)


def _var(name, cuts, woe, coef=-1.0):
    return {"name": name, "direction": VARIABLES[name].direction, "cuts": cuts, "woe": woe, "coef": coef}


def provisional_spec() -> dict:
    """A hand-set scorecard (plausible weights, not trained): what scores until
    `manage.py scoring_train` stores and activates a trained version."""
    return {
        "format": SPEC_FORMAT,
        "target": "bad_90d",
        "scaling": {"base_score": 680, "base_odds": 19, "pdo": 50},
        "intercept": -2.6,
        "variables": [
            _var("months_observed", [12, 24], [-0.2, 0.1, 0.3]),
            _var("on_time_12", [4, 8, 11, 12], [-1.2, -0.6, 0.0, 0.35, 0.6]),
            _var("late_12", [1, 3, 5], [0.4, -0.2, -0.7, -1.1]),
            _var("partial_12", [1, 2], [0.2, -0.5, -0.9]),
            _var("unpaid_12", [1, 2], [0.35, -1.0, -1.6]),
            _var("avg_days_late_12", [1, 10, 30], [0.3, 0.0, -0.4, -0.9]),
            _var("max_days_late_12", [30, 60], [0.15, -0.5, -1.0]),
            _var("tenure_months", [12, 36], [-0.25, 0.1, 0.3]),
            _var("recovery_unresolved", [1, 2], [0.2, -0.8, -1.3]),
            _var("recovery_written_off", [1], [0.05, -1.5]),
            _var("promises_broken", [1, 2], [0.1, -0.5, -0.9]),
            _var("tontine_on_time", [6, 12], [0.0, 0.15, 0.3]),
            _var("tontine_late", [1, 3], [0.05, -0.2, -0.5]),
            _var("tontine_defaults", [1], [0.05, -0.9]),
            _var("split_streak_max", [4, 8], [0.0, 0.15, 0.3]),
            _var("wallet_active_months_6", [3, 6], [-0.05, 0.05, 0.15]),
            _var("kyc_tier", [1, 2], [-0.1, 0.0, 0.1]),
            # the registered sources' features (lending's loans), with their own hand-set bins
            *(
                {
                    "name": name,
                    "direction": spec.direction,
                    "default": spec.default,
                    "cuts": [float(c) for c in spec.provisional[0]],
                    "woe": [float(w) for w in spec.provisional[1]],
                    "coef": -1.0,
                }
                for name, spec in registered_specs().items()
                if spec.provisional[0]
            ),
        ],
    }


PROVISIONAL_VERSION = "provisional-0"

# --------------------------------------------------------------------------------------------
# The active version (one query per call to see which is active; loaded once per version)

_loaded: dict = {"key": None, "model": None, "last_good": None}


def forget_loaded() -> None:
    """Drop what this process loaded (as a fresh worker would start)."""
    _loaded.update(key=None, model=None, last_good=None)


def active_model() -> LoadedModel:
    """The active scorecard. A stored active spec that fails its checks (edited in the database)
    is refused: the last good version this process loaded stays in use, else the latest stored
    version that passes, else the provisional one."""
    from ..models import ScoreModel

    row = ScoreModel.objects.filter(active=True).values_list("pk", "updated_at", "version").first()
    if row is None:
        key = (PROVISIONAL_VERSION, tuple(registered_specs()))  # the sources' bins are part of it
        if _loaded["key"] != key:
            _loaded["key"], _loaded["model"] = key, load(provisional_spec(), version=PROVISIONAL_VERSION)
        return _loaded["model"]
    key = (row[0], row[1])
    if _loaded["key"] == key:
        return _loaded["model"]
    spec = ScoreModel.objects.values_list("spec", flat=True).get(pk=row[0])
    try:
        model = load(spec, version=row[2])
    except ModelRejected as refused:
        log.error("scoring model %s refused at load: %s", row[2], refused.params.get("problems"))
        model = _loaded["last_good"] or _latest_passing(exclude=row[0])
        # not cached under this key: a corrected row (new updated_at) is loaded again
        return model
    _loaded.update(key=key, model=model, last_good=model)
    return model


def _latest_passing(*, exclude) -> LoadedModel:
    from ..models import ScoreModel

    for version, spec in (
        ScoreModel.objects.exclude(pk=exclude).order_by("-created_at").values_list("version", "spec")
    ):
        if not check_spec(spec):
            return LoadedModel(spec, version)
    return load(provisional_spec(), version=PROVISIONAL_VERSION)


def save_model(spec: dict, *, version: str, trained_on: str, metrics: dict, make_active: bool = False):
    """Store a trained version (refused, nothing stored, when its spec fails the checks)."""
    from ..models import ScoreModel

    load(spec, version=version)
    with transaction.atomic():
        row = ScoreModel.objects.create(
            version=version, trained_on=trained_on[:200], spec=spec, metrics=metrics
        )
        if make_active:
            activate(version)
            row.refresh_from_db()
    return row


def activate(version: str, *, actor=None):
    """Make a stored version the active one. Its spec is checked first: a refused spec raises
    ModelRejected and the previous active version stays."""
    from apps.core.audit import AuditCategory, audit_record

    from ..models import ScoreModel

    with transaction.atomic():
        row = ScoreModel.objects.select_for_update().get(version=version)
        load(row.spec, version=row.version)  # raises before anything changes
        previous = (
            ScoreModel.objects.filter(active=True)
            .exclude(pk=row.pk)
            .values_list("version", flat=True)
            .first()
        )
        ScoreModel.objects.filter(active=True).exclude(pk=row.pk).update(active=False)
        if not row.active:
            row.active = True
            row.save(update_fields=["active", "updated_at"])
        audit_record(
            action="scoring.model.activated",
            category=AuditCategory.SETTINGS,
            actor=actor,
            target=row,
            target_label=row.version,
            before={"active": previous},
            after={"active": row.version},
        )
    return row


# --------------------------------------------------------------------------------------------
# Scoring


_BAND_EDGES = (
    (760, ScoreBand.EXCELLENT),
    (680, ScoreBand.GOOD),
    (600, ScoreBand.FAIR),
    (500, ScoreBand.WEAK),
)


def band_for(score: int | None) -> ScoreBand:
    if score is None:
        return ScoreBand.THIN_FILE
    for edge, band in _BAND_EDGES:
        if score >= edge:
            return band
    return ScoreBand.POOR


def score_many(
    features: Sequence[ScoreFeatures], *, model: LoadedModel | None = None, language: str | None = None
) -> list[ScoreResult]:
    """Score many users at once: [(score | None, band, reasons)] in the order given.

    A thin file (fewer than SCORING_THIN_FILE_MONTHS months of rent history) gets no number,
    the band THIN_FILE and one reason: how many more months build a score. The reasons are the
    (at most 4) variables that move the score most from the average user's, each « lowers » or
    « raises », with its signed points, in `language` (default: the active language)."""
    model = model or active_model()
    X = features_matrix(features)
    n = X.shape[0]
    if n == 0:
        return []
    scores, C = model.raw_scores(X)
    months = X[:, _COL["months_observed"]]
    thin = months < thin_file_months()
    k = min(MAX_REASONS, C.shape[1])
    top = (
        np.argpartition(-np.abs(C), k - 1, axis=1)[:, :k] if k < C.shape[1] else np.tile(np.arange(k), (n, 1))
    )
    order = np.argsort(-np.abs(np.take_along_axis(C, top, axis=1)), axis=1, kind="stable")
    top = np.take_along_axis(top, order, axis=1)
    # The reasons of a row are fully determined by its top variables, their bins and their
    # (rounded) values: rows are grouped by that key and each group's reasons built once.
    D = design_matrix(X, model.names, model.defaults)
    bins = (
        np.column_stack([np.searchsorted(model.cuts[j], D[:, j], side="right") for j in range(D.shape[1])])
        if D.shape[1]
        else np.zeros((n, 0), dtype=np.int64)
    )
    values = np.clip(np.rint(np.take_along_axis(D, top, axis=1)), 0, 9_999).astype(np.int64)
    if "on_time_12" in model.names:
        # a low on-time count is explained by the late months when there are some: its slot
        # carries both counts (on time + 100 x late, each at most 12)
        on_time = np.asarray(model.names)[top] == "on_time_12"
        late = np.clip(X[:, _COL["late_12"]], 0, 12).astype(np.int64)[:, None]
        values = np.where(on_time, np.minimum(values, 99) + 100 * late, values)
    keys = top.astype(np.int64) * 1_000_000 + np.take_along_axis(bins, top, axis=1) * 10_000 + values
    keys[thin] = -1
    keys[thin, 0] = -1 - np.maximum(thin_file_months() - months[thin], 1).astype(np.int64)
    # slot keys → compact ids, four ids (15 bits each) → one exact int64 key per row
    slot_keys, slot_ids = np.unique(keys.reshape(-1), return_inverse=True)
    slot_ids = slot_ids.reshape(n, k).astype(np.int64)
    if len(slot_keys) < 2**15:
        packed = np.zeros(n, dtype=np.int64)
        for c in range(k):
            packed = packed * 2**15 + slot_ids[:, c]
        _unique, first, inverse = np.unique(packed, return_index=True, return_inverse=True)
    else:  # too many distinct facts to pack: one group per row (slower, still exact)
        first = inverse = np.arange(n)
    weights = np.round(np.take_along_axis(C, top, axis=1), 1)
    with translation.override(language) if language else _nothing():
        lang = translation.get_language()
        slot_reason = [_slot_reason(model, key, lang) for key in slot_keys.tolist()]
    groups = [
        _group_reasons([slot_reason[s] for s in slot_ids[i].tolist()], weights[i].tolist())
        for i in first.tolist()
    ]
    score_band = np.select(
        [scores >= edge for edge, _band in _BAND_EDGES], list(range(len(_BAND_EDGES))), len(_BAND_EDGES)
    )
    band_list = [band for _edge, band in _BAND_EDGES] + [ScoreBand.POOR]
    out: list[ScoreResult] = []
    append = out.append
    thin_result = {}
    for is_thin, score, band, g in zip(
        thin.tolist(), scores.tolist(), score_band.tolist(), inverse.reshape(-1).tolist(), strict=True
    ):
        if is_thin:
            result = thin_result.get(g)
            if result is None:
                result = thin_result[g] = ScoreResult(None, ScoreBand.THIN_FILE, groups[g])
            append(result)
        else:
            append(ScoreResult(score, band_list[band], groups[g]))
    return out


_TEXTS: dict = {}  # (language, variable, value) -> text: gettext's plural lookup is slow


def _slot_reason(model: LoadedModel, key: int, lang) -> tuple[str, str] | None:
    """(variable, text) of one slot key (variable, bin, value), or a thin file's count."""
    if key < -1:
        name, value, lowers = "thin_file", -1 - key, False
    elif key == -1:
        return None
    else:
        j, value = key // 1_000_000, key % 10_000
        name, lowers = model.names[j], model.points[j][(key // 10_000) % 100] < 0
    cached = _TEXTS.get((lang, name, value, lowers))
    if cached is None:
        if len(_TEXTS) > 200_000:
            _TEXTS.clear()
        cached = _TEXTS[(lang, name, value, lowers)] = _reason_text(name, value, lowers=lowers)
    return name, cached


def _group_reasons(slots, weights) -> tuple[Reason, ...]:
    if slots[0] is not None and slots[0][0] == "thin_file":  # how many more months build a score
        return (Reason("thin_file", RAISES, slots[0][1], 0.0),)
    reasons, texts = [], set()
    for slot, weight in zip(slots, weights, strict=True):
        if slot is None or abs(weight) < MIN_REASON_POINTS or slot[1] in texts:
            continue
        texts.add(slot[1])
        reasons.append(Reason(slot[0], LOWERS if weight < 0 else RAISES, slot[1], weight))
    return tuple(reasons)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _reason_text(name: str, n: int, *, lowers: bool = False) -> str:
    """The fact behind a variable, in plain words (the caller's language)."""
    if name == "thin_file":
        return ngettext(
            "Not enough rent history yet: pay %(n)d more month of rent through Hokwe to get a score",
            "Not enough rent history yet: pay %(n)d more months of rent through Hokwe to get a score",
            n,
        ) % {"n": n}
    if name == "months_observed":
        return ngettext("%(n)d month of rent history", "%(n)d months of rent history", n) % {"n": n}
    if name == "on_time_12":
        n, late = n % 100, n // 100
        if lowers and late:  # why the on-time count is low: the late months
            return ngettext(
                "%(n)d rent paid late in the last 12 months",
                "%(n)d rents paid late in the last 12 months",
                late,
            ) % {"n": late}
        if n == 0:
            return _("No rent paid on time in the last 12 months")
        if lowers:
            return ngettext(
                "Only %(n)d rent paid on time in the last 12 months",
                "Only %(n)d rents paid on time in the last 12 months",
                n,
            ) % {"n": n}
        return ngettext(
            "%(n)d rent paid on time in the last 12 months",
            "%(n)d rents paid on time in the last 12 months",
            n,
        ) % {"n": n}
    if name == "late_12":
        if n == 0:
            return _("No rent paid late in the last 12 months")
        return ngettext(
            "%(n)d rent paid late in the last 12 months", "%(n)d rents paid late in the last 12 months", n
        ) % {"n": n}
    if name == "partial_12":
        if n == 0:
            return _("No rent paid only in part in the last 12 months")
        return ngettext(
            "%(n)d rent paid only in part in the last 12 months",
            "%(n)d rents paid only in part in the last 12 months",
            n,
        ) % {"n": n}
    if name == "unpaid_12":
        if n == 0:
            return _("No unpaid rent in the last 12 months")
        return ngettext(
            "%(n)d unpaid rent in the last 12 months", "%(n)d unpaid rents in the last 12 months", n
        ) % {"n": n}
    if name == "avg_days_late_12":
        if n == 0:
            return _("No rent paid late in the last 12 months")
        return ngettext(
            "Late rents paid %(n)d day late on average", "Late rents paid %(n)d days late on average", n
        ) % {"n": n}
    if name == "max_days_late_12":
        if n == 0:
            return _("No rent paid late in the last 12 months")
        return ngettext(
            "A rent paid %(n)d day late in the last 12 months",
            "A rent paid %(n)d days late in the last 12 months",
            n,
        ) % {"n": n}
    if name == "tenure_months":
        return ngettext("%(n)d month in the current home", "%(n)d months in the current home", n) % {"n": n}
    if name == "recovery_unresolved":
        if n == 0:
            return _("No recovery case left unsettled")
        return ngettext(
            "%(n)d recovery case not settled by payment", "%(n)d recovery cases not settled by payment", n
        ) % {"n": n}
    if name == "recovery_written_off":
        if n == 0:
            return _("No debt written off")
        return ngettext("%(n)d debt written off", "%(n)d debts written off", n) % {"n": n}
    if name == "promises_broken":
        if n == 0:
            return _("No broken payment promise")
        return ngettext("%(n)d broken payment promise", "%(n)d broken payment promises", n) % {"n": n}
    if name == "tontine_on_time":
        if n == 0:
            return _("No tontine contribution paid on time yet")
        return ngettext(
            "%(n)d tontine contribution paid on time", "%(n)d tontine contributions paid on time", n
        ) % {"n": n}
    if name == "tontine_late":
        if n == 0:
            return _("No tontine contribution paid late")
        return ngettext(
            "%(n)d tontine contribution paid late", "%(n)d tontine contributions paid late", n
        ) % {"n": n}
    if name == "tontine_defaults":
        if n == 0:
            return _("No tontine default")
        return ngettext("%(n)d tontine default", "%(n)d tontine defaults", n) % {"n": n}
    if name == "split_streak_max":
        if n == 0:
            return _("No HokweSplit savings streak yet")
        return ngettext(
            "A HokweSplit streak of %(n)d instalment on time",
            "A HokweSplit streak of %(n)d instalments on time",
            n,
        ) % {"n": n}
    if name == "wallet_active_months_6":
        if n == 0:
            return _("No wallet activity in the last 6 months")
        return ngettext(
            "Wallet active %(n)d month out of the last 6", "Wallet active %(n)d months out of the last 6", n
        ) % {"n": n}
    if name == "kyc_tier":
        if n == 0:
            return _("Identity not verified")
        return _("Identity verified at level %(n)d") % {"n": n}
    spec = registered_specs().get(name)
    if spec is not None:  # a higher module's feature: its words, translated by that module
        return str(spec.text(n, lowers))
    return name


# --------------------------------------------------------------------------------------------
# Loyalty

LOYALTY_TIERS = ("bronze", "silver", "gold")
# (tier, minimum tenure in months, minimum on-time share of the last 12 months): a tier also
# needs no unpaid month, no recovery case left unsettled and no written-off debt.
_LOYALTY_RULES = (("gold", 36, 0.95), ("silver", 24, 0.90), ("bronze", 12, 0.80))


def loyalty_tier(features: ScoreFeatures) -> str:
    """« gold », « silver », « bronze » or "" (none): long and regular tenants, a tier a
    landlord can reward (a lower deposit on renewal). Documented in docs/scoring.md."""
    return loyalty_tiers([features])[0]


def loyalty_tiers(features: Sequence[ScoreFeatures]) -> list[str]:
    X = features_matrix(features)
    if X.shape[0] == 0:
        return []
    months12 = np.minimum(X[:, _COL["months_observed"]], 12)
    share = np.where(months12 > 0, X[:, _COL["on_time_12"]] / np.maximum(months12, 1), 0.0)
    clean = (
        (X[:, _COL["unpaid_12"]] == 0)
        & (np.maximum(X[:, _COL["recovery_opened"]] - X[:, _COL["recovery_paid"]], 0) == 0)
        & (X[:, _COL["recovery_written_off"]] == 0)
    )
    tenure = X[:, _COL["tenure_months"]]
    tiers = np.full(X.shape[0], "", dtype=object)
    for tier, months, min_share in reversed(_LOYALTY_RULES):
        tiers[clean & (tenure >= months) & (share >= min_share)] = tier
    return tiers.tolist()


def loyalty_label(tier: str) -> str:
    """The tier's name in the caller's language (« or », « argent », « bronze »)."""
    return {"gold": _("gold"), "silver": _("silver"), "bronze": _("bronze")}.get(tier, "")
