"""hokwe.com's pricing table reads billing's catalog (registered with cms in BillingConfig.ready:
cms sits below billing and never imports it). The public plans' newest published versions in
XOF, as cms shows them: a name, a formatted price per period, a few lines."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

from apps.core.money import format_amount

from . import selectors
from .contracts import Interval, PriceKind


@dataclass(frozen=True)
class SitePlan:
    name: str
    price: str
    points: tuple[str, ...]


# the public sites are French first: the page's language, not billing's catalogue
_PERIODS = {"fr": ("an", "mois"), "en": ("year", "month")}
_TRIAL = {"fr": "%(days)s jours d'essai", "en": "%(days)s days' trial"}


def site_plans() -> list[SitePlan]:
    language = (get_language() or "fr")[:2]
    plans = []
    for version in selectors.plans_offered("XOF"):
        flat = sum(p.amount for p in version.prices.all() if p.kind == PriceKind.FLAT)
        period = _PERIODS[language if language in _PERIODS else "fr"][version.interval == Interval.MONTH]
        price = f"{format_amount(int(flat), version.currency, language)} / {period}"
        lines = [line.strip() for line in (version.plan.description or "").splitlines() if line.strip()]
        if version.trial_days:
            lines.append(_TRIAL[language if language in _TRIAL else "fr"] % {"days": version.trial_days})
        plans.append(SitePlan(name=version.plan.name, price=price, points=tuple(lines[:5])))
    return plans


def register() -> None:
    from apps.cms import api as cms

    cms.register_pricing_source(site_plans)
