"""The manager dashboard (also /manager/): this month's figures, history as SVG, arrears."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.core.money import format_amount

from ... import selectors, services
from .common import _lang, page

SHORT_MONTHS = {
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def _bars(series: list[dict], width: int = 560, height: int = 180, language: str = "fr") -> dict:
    top = max([max(s["expected"], s["collected"]) for s in series] + [1])
    slot = width / max(len(series), 1)
    bars = []
    for index, s in enumerate(series):
        x = index * slot + slot * 0.12
        bar = slot * 0.36
        he = round(s["expected"] * (height - 38) / top, 1)
        hc = round(s["collected"] * (height - 38) / top, 1)
        rate = round(s["collected"] * 100 / s["expected"]) if s["expected"] else 0
        bars.append(
            {
                "x1": round(x, 1),
                "x2": round(x + bar, 1),
                "w": round(bar, 1),
                "ye": round(height - 20 - he, 1),
                "he": he,
                "yc": round(height - 20 - hc, 1),
                "hc": hc,
                "label": SHORT_MONTHS["en" if language.startswith("en") else "fr"][s["period"].month - 1],
                "lx": round(x + bar, 1),
                "rate": rate,
            }
        )
    return {"bars": bars, "width": width, "height": height}


def _donut(percent: int) -> dict:
    circumference = 2 * 3.14159 * 40
    return {
        "dash": round(circumference * percent / 100, 1),
        "gap": round(circumference, 1),
        "percent": percent,
    }


@page
@require_GET
def dashboard(request):
    if not selectors.manages_any(request.user):
        if selectors.owner_ids(request.user):
            return redirect("manager:estate-owner-portal")
        return render(request, "manager/home.html", {})  # tenants and newcomers: the welcome page
    data = selectors.dashboard(request.user)
    lang = _lang(request)
    m = lambda amount: format_amount(amount, data["currency"], lang)  # noqa: E731
    return render(
        request,
        "estate/dashboard.html",
        {
            "d": data,
            "period": services.period_label(data["period"], _lang(request)),
            "expected": m(data["expected"]),
            "collected": m(data["collected"]),
            "arrears": m(data["arrears"]),
            "chart": _bars(data["series"], language=_lang(request)),
            "rate_donut": _donut(data["rate"]),
            "occupancy_donut": _donut(data["occupancy"]),
            "recent": [(p, format_amount(p.amount, p.currency, lang)) for p in data["recent"]],
            "worst": [(d, format_amount(d.left, d.currency, lang)) for d in data["worst"]],
            "today": timezone.localdate(),
        },
    )
