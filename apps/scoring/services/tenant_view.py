"""The tenant's own view of their score, shared by REST, GraphQL, the pages and the
panels: reads scoped to the signed-in user (what the tenant sees is what a landlord they
consent to sees), the French-first labels, and the JSON shapes of both transports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ..contracts import RentLineCode, ScoreBand
from ..models import ScoreHistory
from .disputes import state_by_line

BAND_LABELS = {
    ScoreBand.EXCELLENT: gettext_lazy("Excellent"),
    ScoreBand.GOOD: gettext_lazy("Good"),
    ScoreBand.FAIR: gettext_lazy("Fair"),
    ScoreBand.WEAK: gettext_lazy("Weak"),
    ScoreBand.POOR: gettext_lazy("Poor"),
    ScoreBand.THIN_FILE: gettext_lazy("Not enough history yet"),
}
LINE_LABELS = {
    RentLineCode.ON_TIME: gettext_lazy("Paid on time"),
    RentLineCode.LATE_1_29: gettext_lazy("Paid 1 to 29 days late"),
    RentLineCode.LATE_30_59: gettext_lazy("Paid 30 to 59 days late"),
    RentLineCode.LATE_60_PLUS: gettext_lazy("Paid 60 days late or more"),
    RentLineCode.PARTIAL: gettext_lazy("Partly paid"),
    RentLineCode.UNPAID: gettext_lazy("Not paid"),
}
LINE_TONE = {
    RentLineCode.ON_TIME: "good",
    RentLineCode.LATE_1_29: "late",
    RentLineCode.LATE_30_59: "late",
    RentLineCode.LATE_60_PLUS: "bad",
    RentLineCode.PARTIAL: "bad",
    RentLineCode.UNPAID: "bad",
}
LOYALTY_LABELS = {
    "bronze": gettext_lazy("bronze"),
    "silver": gettext_lazy("silver"),
    "gold": gettext_lazy("gold"),
}


def band_label(band) -> str:
    try:
        return str(BAND_LABELS[ScoreBand(band)])
    except ValueError:
        return str(band)


def loyalty_label(tier: str) -> str:
    return str(LOYALTY_LABELS.get(tier, tier))


# --- reads (the signed-in user's own) -------------------------------------------------------


def my_score(user):
    """The user's ScoreInfo (get_score; the access is logged with why="self")."""
    from .scores import get_score

    return get_score(user.public_id, viewer=user, why="self")


def my_history(user, *, limit: int = 36) -> list[ScoreHistory]:
    """The user's score history, oldest first (at most `limit` points: the chart's)."""
    rows = ScoreHistory.objects.filter(user=user).order_by("-computed_at", "-id")[:limit]
    return list(reversed(list(rows)))


def my_lines(user, *, months: int = 24) -> list[dict]:
    """The data behind the score: the user's rent lines, newest first, each with its latest
    dispute (None when never contested) and whether it may be contested (never yet)."""
    from .features import rent_lines

    disputes = state_by_line(user)
    lines = sorted(
        rent_lines(user.public_id, months=months), key=lambda x: (x.month, str(x.lease)), reverse=True
    )
    out = []
    for line in lines:
        dispute = disputes.get((line.lease, line.month))
        out.append({"line": line, "dispute": dispute, "can_dispute": dispute is None})
    return out


# --- the transports' shapes -----------------------------------------------------------------


def score_json(info) -> dict:
    return {
        "score": info.score,
        "band": str(info.band),
        "band_label": band_label(info.band),
        "reasons": [
            {"code": r.code, "direction": r.direction, "text": r.text, "weight": r.weight}
            for r in info.reasons
        ],
        "loyalty_tier": info.loyalty_tier or "",
        "model_version": info.model_version or "",
        "computed_at": info.computed_at or "",
    }


def line_json(item: dict) -> dict:
    line, dispute = item["line"], item["dispute"]
    return {
        "month": line.month,
        "lease": line.lease,
        "organization": line.organization,
        "due_date": line.due_date,
        "amount": line.amount,
        "paid": line.paid,
        "currency": line.currency,
        "days_late": line.days_late,
        "code": str(line.code),
        "dispute": dispute.public_id if dispute else None,
        "dispute_status": dispute.status if dispute else None,
        "can_dispute": item["can_dispute"],
    }


def consent_json(consent) -> dict:
    if consent is None:
        return {"given": False, "given_at": None, "withdrawn_at": None, "text_version": ""}
    return {
        "given": consent.given,
        "given_at": consent.given_at,
        "withdrawn_at": consent.withdrawn_at,
        "text_version": consent.text_version,
    }
