"""HokweValuation's hedonic model: a scikit-learn HistGradientBoostingRegressor on log rent,
trained on agreed rents (the platform's leases, or the generator's), versioned in
ValuationModel, checked when stored and when loaded.

Features (FEATURES, in this order): latitude, longitude (NaN when the property has no GPS
point: the trees route missing values), kind, rooms, surface (NaN when unknown), furnished,
country, city (categorical, the vocabulary stored with the model; an unseen city is
missing), months since the rent was agreed (the model learns the drift; an estimate is
made at 0 months: today). Amenities are not recorded by estate yet: they would join here.

Checks (a failure refuses the version: it is kept with the reason, never active, and the
previous active version stays): enough training rows, a held-out median absolute
percentage error under SCORING_VALUATION_MAX_MDAPE, finite predictions; at load, the
stored SHA-256 of the estimator, the same feature list, the same scikit-learn version, and
the probe rows' predictions reproduced."""

from __future__ import annotations

import hashlib
import logging
import pickle
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import sklearn
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from threadpoolctl import ThreadpoolController

from ..errors import ModelRejected
from ..models import ValuationModel

log = logging.getLogger(__name__)

_threads = None


def one_thread():
    """OpenMP limited to one thread around a fit or a predict: the trees' threads fight over
    shared cores (6x slower) and a request's few rows gain nothing. The controller (which
    inspects the loaded libraries, ~20 ms) is made once per process."""
    global _threads
    if _threads is None:
        _threads = ThreadpoolController()
    return _threads.limit(limits=1, user_api="openmp")


FEATURES = (
    "latitude",
    "longitude",
    "kind",
    "rooms",
    "surface_m2",
    "furnished",
    "country",
    "city",
    "months_ago",
)
KINDS = ("entrer_coucher", "chambre_salon", "studio", "apartment", "villa", "shop", "office")
CATEGORICAL = ("kind", "country", "city")
MAX_CITIES = 200  # HistGradientBoosting takes at most 255 categories


@dataclass
class Rows:
    """Rent observations (or units to estimate) as columns: what the comparables and the
    model read. `log_rent` is NaN for units to estimate."""

    latitude: np.ndarray
    longitude: np.ndarray
    kind: np.ndarray  # str
    rooms: np.ndarray
    surface_m2: np.ndarray  # NaN: unknown
    furnished: np.ndarray  # bool
    country: np.ndarray  # str
    city: np.ndarray  # str, normalised (lower case, stripped)
    neighbourhood: np.ndarray  # str, normalised
    months_ago: np.ndarray
    log_rent: np.ndarray
    keys: list = field(default_factory=list)  # lease or unit ids, same order
    units: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))  # each row's unit id

    def __len__(self):
        return len(self.kind)

    def take(self, index) -> Rows:
        keys = [self.keys[i] for i in np.asarray(index)] if self.keys else []
        return Rows(
            **{
                name: getattr(self, name)[index]
                for name in (
                    "latitude",
                    "longitude",
                    "kind",
                    "rooms",
                    "surface_m2",
                    "furnished",
                    "country",
                    "city",
                    "neighbourhood",
                    "months_ago",
                    "log_rent",
                )
            },
            keys=keys,
            units=self.units[index] if len(self.units) else self.units,
        )


def norm(text: str) -> str:
    return " ".join((text or "").lower().split())


def months_between(earlier: date, later: date) -> float:
    return max(0.0, (later - earlier).days / 30.4375)


def rows_from(items, *, today: date, rent=lambda item: None, agreed_on=lambda item: None) -> Rows:
    """Rows from estate's ValuationUnit / ValuationLease (or the generator's records): any
    object with the unit's facts as attributes."""
    items = list(items)

    def col(name, dtype=float, default=np.nan):
        return np.array(
            [default if getattr(i, name) is None else getattr(i, name) for i in items], dtype=dtype
        )

    months = [months_between(agreed_on(i), today) if agreed_on(i) else 0.0 for i in items]
    rents = [rent(i) for i in items]
    return Rows(
        latitude=col("latitude"),
        longitude=col("longitude"),
        kind=np.array([i.kind for i in items], dtype=object),
        rooms=col("rooms", default=1),
        surface_m2=col("surface_m2"),
        furnished=np.array([bool(i.furnished) for i in items], dtype=bool),
        country=np.array([(i.country or "").upper() for i in items], dtype=object),
        city=np.array([norm(i.city) for i in items], dtype=object),
        neighbourhood=np.array([norm(i.neighbourhood) for i in items], dtype=object),
        months_ago=np.array(months, dtype=float),
        log_rent=np.array([np.log(r) if r else np.nan for r in rents], dtype=float),
        keys=[getattr(i, "lease", None) or getattr(i, "unit", None) for i in items],
        units=np.array([getattr(i, "unit", None) for i in items], dtype=object),
    )


def lease_rows(leases, *, today: date) -> Rows:
    return rows_from(
        leases, today=today, rent=lambda lease: lease.rent, agreed_on=lambda lease: lease.agreed_on
    )


def unit_rows(units, *, today: date) -> Rows:
    return rows_from(units, today=today)


@dataclass(frozen=True)
class Vocabulary:
    countries: tuple[str, ...]
    cities: tuple[str, ...]

    @classmethod
    def of(cls, rows: Rows) -> Vocabulary:
        countries = tuple(sorted({c for c in rows.country if c}))
        values, counts = np.unique(rows.city.astype(str), return_counts=True)
        ranked = sorted(zip(counts, values, strict=True), key=lambda p: (-p[0], p[1]))
        return cls(countries=countries, cities=tuple(v for _c, v in ranked[:MAX_CITIES] if v))

    def as_json(self) -> dict:
        return {"countries": list(self.countries), "cities": list(self.cities)}

    @classmethod
    def from_json(cls, data: dict) -> Vocabulary:
        return cls(countries=tuple(data["countries"]), cities=tuple(data["cities"]))


def _codes(values: np.ndarray, vocabulary: tuple[str, ...]) -> np.ndarray:
    index = {v: float(i) for i, v in enumerate(vocabulary)}
    return np.array([index.get(v, np.nan) for v in values], dtype=float)


def matrix(rows: Rows, vocabulary: Vocabulary, *, at_months: float | None = None) -> np.ndarray:
    """The model's input, columns in FEATURES order. `at_months=0` estimates today's rent."""
    months = rows.months_ago if at_months is None else np.full(len(rows), float(at_months))
    return np.column_stack(
        [
            rows.latitude,
            rows.longitude,
            _codes(rows.kind, KINDS),
            rows.rooms.astype(float),
            rows.surface_m2.astype(float),
            rows.furnished.astype(float),
            _codes(rows.country, vocabulary.countries),
            _codes(rows.city, vocabulary.cities),
            months,
        ]
    )


def new_estimator(*, seed: int, max_iter: int = 300):
    from sklearn.ensemble import HistGradientBoostingRegressor

    return HistGradientBoostingRegressor(
        loss="squared_error",
        learning_rate=0.08,
        max_iter=max_iter,
        max_leaf_nodes=31,
        min_samples_leaf=20,
        l2_regularization=1.0,
        categorical_features=[FEATURES.index(c) for c in CATEGORICAL],
        early_stopping=False,
        random_state=seed,
    )


def fit(rows: Rows, *, seed: int, max_iter: int = 300):
    vocabulary = Vocabulary.of(rows)
    estimator = new_estimator(seed=seed, max_iter=max_iter)
    with one_thread():  # OpenMP threads fight over 2 shared cores: 6x slower
        estimator.fit(matrix(rows, vocabulary), rows.log_rent)
    return estimator, vocabulary


@dataclass
class LoadedModel:
    version: str
    estimator: object
    vocabulary: Vocabulary
    residuals: dict  # log-residual quantiles on the held-out part: {"model": [q10, q90], "blend": [...]}

    def predict_log(self, rows: Rows, *, at_months: float | None = 0.0) -> np.ndarray:
        if len(rows) == 0:
            return np.zeros(0)
        with one_thread():
            return self.estimator.predict(matrix(rows, self.vocabulary, at_months=at_months))


def _sha(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


def _probe(estimator, vocabulary: Vocabulary, rows: Rows, n: int = 8) -> dict:
    sample = rows.take(np.arange(min(n, len(rows))))
    x = matrix(sample, vocabulary)
    with one_thread():
        y = estimator.predict(x)
    return {
        "x": [[None if np.isnan(v) else float(v) for v in r] for r in x],
        "y": [float(v) for v in y],
    }


def check_loaded(row: ValuationModel) -> LoadedModel:
    """The version's estimator, after its load checks; ModelRejected (with the reason) when one
    fails."""
    blob = bytes(row.estimator)
    spec = row.spec or {}
    if not blob or _sha(blob) != row.sha256:
        raise ModelRejected(_("The stored estimator does not match its SHA-256."))
    if tuple(spec.get("features", ())) != FEATURES:
        raise ModelRejected(_("The model's features are not the ones this code computes."))
    if spec.get("sklearn") != sklearn.__version__:
        raise ModelRejected(_("The model was trained with another scikit-learn version."))
    residuals = spec.get("residuals") or {}
    if not residuals.get("model"):
        raise ModelRejected(_("The model has no held-out error to give its range."))
    estimator = pickle.loads(blob)  # noqa: S301 - our own blob, checked against its SHA-256 above
    probe = spec.get("probe") or {}
    x = np.array([[np.nan if v is None else v for v in r] for r in probe.get("x", [])], dtype=float)
    with one_thread():
        reproduced = len(x) > 0 and np.allclose(estimator.predict(x), probe.get("y"), rtol=0, atol=1e-9)
    if not reproduced:
        raise ModelRejected(_("The model does not reproduce its probe predictions."))
    return LoadedModel(
        version=row.version,
        estimator=estimator,
        vocabulary=Vocabulary.from_json(spec["vocabulary"]),
        residuals=residuals,
    )


_LOADED: dict[str, LoadedModel] = {}


def active_model() -> LoadedModel | None:
    """The active version, loaded once per process (checked at first load); None when no
    version is active or the active one fails its load checks (estimates then use the
    comparables alone and say so)."""
    head = ValuationModel.objects.filter(active=True).values_list("version", flat=True).first()
    if head is None:
        return None
    loaded = _LOADED.get(head)
    if loaded is None:
        row = ValuationModel.objects.get(version=head)
        try:
            loaded = check_loaded(row)
        except ModelRejected as error:
            log.error("valuation model %s refused at load: %s", head, error)
            return None
        _LOADED.clear()
        _LOADED[head] = loaded
    return loaded


def store(
    *,
    estimator,
    vocabulary: Vocabulary,
    train: Rows,
    metrics: dict,
    residuals: dict,
    source: str,
    activate: bool = True,
    version: str | None = None,
) -> ValuationModel:
    """Store a trained version; activate it if it passes its checks (else keep it refused,
    with the reason, and raise ModelRejected: the previous active version stays)."""
    blob = pickle.dumps(estimator, protocol=pickle.HIGHEST_PROTOCOL)
    version = version or f"val-{timezone.now():%Y%m%d-%H%M%S}-{_sha(blob)[:6]}"
    spec = {
        "features": list(FEATURES),
        "sklearn": sklearn.__version__,
        "vocabulary": vocabulary.as_json(),
        "residuals": residuals,
        "probe": _probe(estimator, vocabulary, train),
        "params": {
            k: v for k, v in estimator.get_params().items() if isinstance(v, int | float | str | bool)
        },
    }
    row = ValuationModel(
        version=version,
        source=source,
        rows=len(train),
        estimator=blob,
        sha256=_sha(blob),
        spec=spec,
        metrics=metrics,
    )
    reason = training_problem(row)
    if reason:
        row.rejected_reason = reason[:300]
        row.save()
        raise ModelRejected(reason)
    row.save()
    if activate:
        activate_version(row.version)
        row.refresh_from_db()
    return row


def training_problem(row: ValuationModel) -> str:
    """Why a freshly trained version is refused ("" when it passes)."""
    if row.rows < settings.SCORING_VALUATION_MIN_ROWS:
        return _("Too few training rows: %(rows)s (at least %(minimum)s).") % {
            "rows": row.rows,
            "minimum": settings.SCORING_VALUATION_MIN_ROWS,
        }
    mdape = (row.metrics.get("model") or {}).get("mdape")
    if mdape is None or not np.isfinite(mdape) or mdape > settings.SCORING_VALUATION_MAX_MDAPE:
        return _("Held-out median error %(mdape)s above the ceiling %(ceiling)s.") % {
            "mdape": "?" if mdape is None else f"{mdape:.3f}",
            "ceiling": f"{settings.SCORING_VALUATION_MAX_MDAPE:.3f}",
        }
    if not all(np.isfinite(row.spec["probe"]["y"])):
        return _("The model predicts non-finite values.")
    return ""


def activate_version(version: str, *, actor=None) -> ValuationModel:
    """Make `version` the active one after its load checks (ModelRejected: nothing changes).
    Audited (`scoring.valuation_model.activated`, who, the previous version)."""
    from apps.core.audit import AuditCategory, audit_record

    row = ValuationModel.objects.get(version=version)
    if row.rejected_reason:
        raise ModelRejected(row.rejected_reason)
    check_loaded(row)
    with transaction.atomic():
        previous = (
            ValuationModel.objects.filter(active=True).exclude(pk=row.pk).values_list("version", flat=True)
        )
        previous = previous.first() or ""
        ValuationModel.objects.filter(active=True).exclude(pk=row.pk).update(active=False)
        ValuationModel.objects.filter(pk=row.pk).update(active=True)
        audit_record(
            action="scoring.valuation_model.activated",
            category=AuditCategory.SETTINGS,
            actor=actor,
            target=row,
            target_label=row.version,
            before={"active": previous},
            after={"active": row.version},
        )
    return row
