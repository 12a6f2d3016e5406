"""The fairness report (docs/scoring.md « Fairness and governance »), shown in the admin.

- the score's distribution per country and per city (users, thin files, mean, 10th/50th/90th
  percentiles, users per band): a city far from its country's distribution is a question for
  the risk team (the features carry no place, so a gap comes from the facts: a market where
  agencies record payments late, a month-end crunch…);
- the approval rates by band from tenant screening (reports recommended accept or accept with
  conditions, and managers' decisions): a band's approval rate should fall as the band falls;
- the features that are never used, and why.

Places are the tenants' most recent lease's country and city (estate.tenant_places), read here
only: they are never a feature. Scores are read in chunks of 5,000 (one query each, plus one
for their places); the screening part is one query.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.estate import api as estate

from ..contracts import ScoreBand
from ..models import Score

UNKNOWN = "—"
BANDS = [b.value for b in ScoreBand]

# What is never a feature, and why (docs/scoring.md has the same list).
EXCLUDED_FEATURES = (
    (
        _("sex"),
        _("a protected attribute: the score would treat women and men differently for the same payments"),
    ),
    (_("ethnicity"), _("a protected attribute; never collected")),
    (_("religion"), _("a protected attribute; never collected")),
    (
        _("age, date of birth"),
        _("a protected attribute in many laws; tenure measures the record, not the person's age"),
    ),
    (_("names, languages spoken"), _("proxies for ethnicity and religion")),
    (
        _("neighbourhood, city, GPS position of the home"),
        _("proxies for ethnicity, religion and wealth (redlining); read only to check the score here"),
    ),
    (_("the landlord or agency"), _("a tenant is judged on their own payments, not on who rents to them")),
    (
        _("declared income, family situation"),
        _("self-declared, not verified facts; screening shows income apart"),
    ),
)


@dataclass
class Distribution:
    country: str
    city: str = ""
    users: int = 0
    thin_file: int = 0
    mean: float | None = None
    p10: int | None = None
    p50: int | None = None
    p90: int | None = None
    bands: dict = field(default_factory=dict)

    @property
    def band_counts(self) -> list[int]:
        return [self.bands.get(b, 0) for b in BANDS]


@dataclass
class BandApproval:
    band: str
    reports: int = 0
    recommended: int = 0  # accept or accept with conditions
    decided: int = 0  # the manager's decision recorded
    accepted: int = 0  # accepted or accepted with conditions

    @property
    def recommended_rate(self) -> float | None:
        return round(100 * self.recommended / self.reports, 1) if self.reports else None

    @property
    def accepted_rate(self) -> float | None:
        return round(100 * self.accepted / self.decided, 1) if self.decided else None


@dataclass
class FairnessReport:
    generated_at: object
    users: int
    by_country: list[Distribution]
    by_city: list[Distribution]
    approvals: list[BandApproval]
    bands: list[str] = field(default_factory=lambda: list(BANDS))
    excluded: tuple = EXCLUDED_FEATURES


def _distribution(country: str, city: str, values: list, bands: Counter) -> Distribution:
    scored = np.array([v for v in values if v is not None], dtype=np.float64)
    out = Distribution(country=country, city=city, users=len(values), thin_file=len(values) - len(scored))
    out.bands = dict(bands)
    if len(scored):
        out.mean = round(float(scored.mean()), 1)
        out.p10, out.p50, out.p90 = (int(round(float(np.percentile(scored, q)))) for q in (10, 50, 90))
    return out


def _band_of(snapshot) -> str | None:
    """The band a screening report showed (its snapshot: "band" at the top or in "score")."""
    if not isinstance(snapshot, dict):
        return None
    score = snapshot.get("score")
    for candidate in (snapshot.get("band"), score.get("band") if isinstance(score, dict) else None):
        if isinstance(candidate, str) and candidate in BANDS:
            return candidate
    return None


def approvals_by_band() -> list[BandApproval]:
    """Screening reports per band: how many were recommended accept (or with conditions), and
    how many of those the managers decided were accepted. Empty before any report."""
    from ..models import ScreeningReport, ScreeningRequest

    rows = ScreeningReport.objects.values_list("snapshot", "recommendation", "request__decision")
    out = {b: BandApproval(band=b) for b in BANDS}
    for snapshot, recommendation, decision in rows.iterator(chunk_size=2000):
        band = _band_of(snapshot)
        if band is None:
            continue
        row = out[band]
        row.reports += 1
        row.recommended += recommendation in (
            ScreeningReport.Recommendation.ACCEPT,
            ScreeningReport.Recommendation.CONDITIONS,
        )
        if decision:
            row.decided += 1
            row.accepted += decision in (
                ScreeningRequest.Decision.ACCEPTED,
                ScreeningRequest.Decision.CONDITIONS,
            )
    return [out[b] for b in BANDS if out[b].reports]


def fairness_report(*, chunk: int = 5000) -> FairnessReport:
    """The whole report (every stored score)."""
    values: dict[tuple[str, str], list] = defaultdict(list)
    bands: dict[tuple[str, str], Counter] = defaultdict(Counter)
    rows = Score.objects.order_by("id").values_list("user__public_id", "score", "band")
    batch: list = []

    def flush():
        places = estate.tenant_places([u for u, _s, _b in batch])
        for user, score, band in batch:
            place = places.get(user)
            key = (place.country or UNKNOWN, place.city or UNKNOWN) if place else (UNKNOWN, UNKNOWN)
            values[key].append(score)
            bands[key][band] += 1
        batch.clear()

    total = 0
    for row in rows.iterator(chunk_size=chunk):
        batch.append(row)
        total += 1
        if len(batch) >= chunk:
            flush()
    if batch:
        flush()

    by_city = [
        _distribution(country, city, values[(country, city)], bands[(country, city)])
        for country, city in sorted(values)
    ]
    countries: dict[str, list] = defaultdict(list)
    country_bands: dict[str, Counter] = defaultdict(Counter)
    for (country, _city), scores in values.items():
        countries[country].extend(scores)
        country_bands[country].update(bands[(country, _city)])
    by_country = [_distribution(c, "", countries[c], country_bands[c]) for c in sorted(countries)]
    return FairnessReport(
        generated_at=timezone.now(),
        users=total,
        by_country=by_country,
        by_city=by_city,
        approvals=approvals_by_band(),
    )
