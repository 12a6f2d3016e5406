"""Analytics' panels on other modules' pages (apps/core/panels.py): the agency's dashboard
gets KPI tiles with the trend against last month and a 12-month chart; the owner portal gets
the owner's own figures. Both read rollups only (services/dashboard.py)."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.core.money import format_amount
from apps.core.panels import Panel

from .chart import Series, chart
from .services.dashboard import Dashboard, dashboard_of, tile_label
from .services.reports import month_label

# estate's own tiles above the panel show this month's dues (billed, paid on them, their rate);
# the panel's figures are the cash received and the trends, not a second, different rate
HIDDEN = frozenset({"expected", "collection_rate"})


def _percent(bps: int, language: str) -> str:
    text = f"{bps / 100:.1f}"  # display only: the figure itself is an integer of basis points
    return (text.replace(".", ",") if language.startswith("fr") else text) + " %"


def _shown(tile, value, language: str) -> str:
    if value is None:
        return "—"
    if tile.unit == "money":
        return format_amount(value, tile.currency, language)
    if tile.unit == "bps":
        return _percent(value, language)
    return _("%(n)d days") % {"n": value}


def _trend(tile, language: str) -> str:
    t = tile.trend
    if t is None or t == 0:
        return ""
    sign = "+" if t > 0 else "−"
    if tile.unit == "bps":
        return f"{sign}{_percent(abs(t), language).replace(' %', '')} pt"
    if tile.unit == "days":
        return _("%(sign)s%(n)d d") % {"sign": sign, "n": abs(t)}
    return f"{sign}{_percent(abs(t), language)}"


def _context(board: Dashboard, *, title: str, reports_url: str | None, hide=HIDDEN) -> dict:
    language = translation.get_language() or "fr"
    tiles = [
        {
            "key": t.key,
            "label": tile_label(t.key),
            "value": _shown(t, t.value, language),
            "previous": _shown(t, t.previous, language),
            "trend": _trend(t, language),
            "good": t.good,
        }
        for t in board.tiles
        if (t.value is not None or t.previous is not None) and t.key not in hide
    ]
    labels = [month_label(m, language) for m in board.months]
    svg = chart(
        labels=labels,
        series=[
            Series(_("Expected"), board.expected, color="#d99a21"),
            Series(_("Collected"), board.collected, color="#0b6e4f"),
        ],
        format_value=lambda v: format_amount(v, board.currency, language),
        title=_("Expected and collected, last 12 months"),
        width=560,
    )
    return {
        "title": title,
        "tiles": tiles,
        "chart": svg,
        "has_data": board.has_data,
        "reports_url": reports_url,
        "month": board.month,
    }


def agency_panel(request, **ids):
    from django.urls import reverse

    try:
        _org, board = dashboard_of(request.user, view="agency", today=timezone.localdate())
    except NotFound:
        return None
    return _context(board, title=_("Trends"), reports_url=reverse("manager:analytics-reports"))


def owner_panel(request, **ids):
    _org, board = dashboard_of(request.user, view="owner", today=timezone.localdate())
    if not board.has_data:
        return None
    return _context(board, title=_("My figures"), reports_url=None)


PANELS = [
    Panel(
        slot="estate.dashboard", template="analytics/panels/dashboard.html", context=agency_panel, order=10
    ),
    Panel(slot="estate.owner", template="analytics/panels/dashboard.html", context=owner_panel, order=10),
]
