"""The tenant's own score (/scoring/…): the score, its band and reasons in plain French, the
history as a server-drawn SVG chart, the rent lines behind it with « Contester » on each,
the dispute form and its follow-up, and the consent to credit bureau reporting.

Every page needs a login (else the tenant login with `next`) and shows only the signed-in
user's data: another's dispute is this module's 404 page; a refusal of a service
(DomainError) is a form error on the page, never a 500. The pages extend the tenant space
(estate/tenant/base.html) through scoring/score_base.html."""

from __future__ import annotations

from datetime import date
from functools import wraps
from uuid import UUID

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from apps.core.errors import DomainError, NotFound
from apps.core.money import format_amount

from ..contracts import ScoreBand
from ..models import RentLineDispute
from ..services import bureau, disputes, tenant_view
from ..services.tenant_view import LINE_LABELS, LINE_TONE, band_label, loyalty_label

SCORE_MIN, SCORE_MAX = 300, 850

# (band, lowest score, colour): the chart's background zones and the gauge
BAND_ZONES = [
    (ScoreBand.POOR, 300, "#f8d7d3"),
    (ScoreBand.WEAK, 500, "#fde7c8"),
    (ScoreBand.FAIR, 600, "#fff4c2"),
    (ScoreBand.GOOD, 680, "#dcefe4"),
    (ScoreBand.EXCELLENT, 760, "#c4e6d3"),
]
# --- helpers ----------------------------------------------------------------------------------


def _lang(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "fr") or "fr"


def _login_url(request) -> str:
    return f"{reverse('estate:tenant-login')}?{urlencode({'next': request.get_full_path()})}"


def score_page(methods=("GET",)):
    """Signed-in users only (else the tenant login with `next`); NotFound → the 404 page."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = HttpResponse(status=405)
                response["Allow"] = ", ".join(methods)
                return response
            if not request.user.is_authenticated:
                return redirect(_login_url(request))
            try:
                return view(request, *args, **kwargs)
            except NotFound:
                return render(request, "scoring/score_not_found.html", {}, status=404)

        wrapper.hokwe_methods = tuple(methods)
        return wrapper

    return decorate


def _month_label(month: str, language: str) -> str:
    from django.utils.formats import date_format
    from django.utils.translation import override

    year, mon = (int(p) for p in month.split("-"))
    with override(language):
        return date_format(date(year, mon, 1), "F Y")


def chart(points: list, *, width: int = 480, height: int = 220) -> dict | None:
    """The history chart's geometry: band zones, the polyline, dots (score points only: a
    thin-file point has no number). None when there is nothing to draw."""
    scored = [p for p in points if p.score is not None]
    if not scored:
        return None
    left, right, top, bottom = 40, 10, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom

    def y(score: float) -> float:
        return round(top + plot_h * (SCORE_MAX - score) / (SCORE_MAX - SCORE_MIN), 1)

    def f(v: float) -> str:  # SVG numbers as text: never localized (« 12,5 » breaks a path)
        return f"{v:.1f}"

    n = len(scored)
    xs = [round(left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2), 1) for i in range(n)]
    zones = []
    bounds = [z[1] for z in BAND_ZONES] + [SCORE_MAX]
    for i, (band, low, colour) in enumerate(BAND_ZONES):
        high = bounds[i + 1]
        zones.append({"y": f(y(high)), "h": f(y(low) - y(high)), "fill": colour, "label": band_label(band)})
    dots = [
        {"x": f(x), "y": f(y(p.score)), "score": p.score, "when": p.computed_at}
        for x, p in zip(xs, scored, strict=True)
    ]
    return {
        "width": str(width),
        "height": str(height),
        "left": f(left),
        "tick_x": f(left - 6),
        "plot_right": f(width - right),
        "plot_w": f(plot_w),
        "zones": zones,
        "ticks": [{"y": f(y(v)), "label": str(v)} for v in (300, 500, 600, 680, 760, 850)],
        "polyline": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
        "first": scored[0].computed_at,
        "last": scored[-1].computed_at,
        "baseline": f(height - 6),
    }


def gauge_percent(score: int | None) -> str:
    if score is None:
        return "0"
    return str(max(0, min(100, round(100 * (score - SCORE_MIN) / (SCORE_MAX - SCORE_MIN)))))


def _line_rows(request) -> list[dict]:
    language = _lang(request)
    rows = []
    for item in tenant_view.my_lines(request.user):
        line, dispute = item["line"], item["dispute"]
        rows.append(
            {
                "line": line,
                "month_label": _month_label(line.month, language),
                "label": LINE_LABELS.get(line.code, line.code),
                "tone": LINE_TONE.get(line.code, ""),
                "amount": format_amount(line.amount, line.currency, language),
                "paid": format_amount(line.paid, line.currency, language),
                "dispute": dispute,
                "can_dispute": item["can_dispute"],
                "dispute_url": f"{reverse('scoring:score-dispute-new')}?{urlencode({'lease': line.lease, 'month': line.month})}",
            }
        )
    return rows


# --- pages --------------------------------------------------------------------------------------


@score_page()
def home(request):
    info = tenant_view.my_score(request.user)
    history = tenant_view.my_history(request.user)
    thin = info.score is None
    consent = bureau.consent_of(request.user)
    context = {
        "info": info,
        "thin": thin,
        "band_label": band_label(info.band),
        "gauge": gauge_percent(info.score),
        "lowers": [r for r in info.reasons if r.direction == "lowers"],
        "raises": [r for r in info.reasons if r.direction == "raises"],
        "loyalty": loyalty_label(info.loyalty_tier) if info.loyalty_tier else "",
        "chart": chart(history),
        "history_count": len(history),
        "thin_months": getattr(settings, "SCORING_THIN_FILE_MONTHS", 6),
        "months_observed": info.features.months_observed,
        "consent": consent,
        "open_disputes": disputes.disputes_of(request.user).filter(status="open").count(),
    }
    return render(request, "scoring/score_home.html", context)


@score_page()
def lines(request):
    return render(
        request,
        "scoring/score_lines.html",
        {"rows": _line_rows(request), "disputes": list(disputes.disputes_of(request.user)[:20])},
    )


def _parse_line_ref(data) -> tuple[UUID, str]:
    try:
        lease = UUID(str(data.get("lease") or ""))
    except ValueError:
        raise NotFound() from None
    month = str(data.get("month") or "")
    if len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit():
        raise NotFound()
    return lease, month


@score_page(methods=("GET", "POST"))
def dispute_new(request):
    """The dispute form for one of my lines (?lease=&month=): another's line is the 404 page."""
    data = request.POST if request.method == "POST" else request.GET
    lease, month = _parse_line_ref(data)
    line = disputes.find_line(request.user, lease=lease, month=month)  # RentLineNotFound is a NotFound
    language = _lang(request)
    errors: list[str] = []
    chosen = ""
    details = ""
    if request.method == "POST":
        chosen = str(request.POST.get("reason") or "")
        details = str(request.POST.get("details") or "")[:2000]
        if chosen not in RentLineDispute.Reason.values:
            errors.append(_("Choose what is wrong with this line."))
        else:
            try:
                dispute = disputes.open_dispute(
                    actor=request.user, lease=lease, month=month, reason=chosen, details=details
                )
            except DomainError as exc:
                errors.append(str(exc.message))
            else:
                return redirect("scoring:score-dispute", dispute_id=dispute.public_id)
    context = {
        "line": line,
        "month_label": _month_label(line.month, language),
        "label": LINE_LABELS.get(line.code, line.code),
        "amount": format_amount(line.amount, line.currency, language),
        "paid": format_amount(line.paid, line.currency, language),
        "reasons": RentLineDispute.Reason.choices,
        "chosen": chosen,
        "details": details,
        "errors": errors,
        "days": settings.SCORING_DISPUTE_DAYS,
    }
    return render(request, "scoring/score_dispute_form.html", context, status=400 if errors else 200)


@score_page()
def dispute_detail(request, dispute_id):
    dispute = disputes.dispute_of(request.user, dispute_id)
    return render(
        request,
        "scoring/score_dispute.html",
        {"dispute": dispute, "month_label": _month_label(dispute.month, _lang(request))},
    )


@score_page(methods=("GET", "POST"))
def bureau_consent(request):
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "give":
            bureau.give_consent(actor=request.user)
        elif action == "withdraw":
            bureau.withdraw_consent(actor=request.user)
        return redirect("scoring:score-bureau")
    return render(request, "scoring/score_bureau.html", {"consent": bureau.consent_of(request.user)})
