"""Server-rendered SVG charts (no JavaScript library, no CDN): grouped bars and lines, drawn
the same on a page (the SVG scales to the screen's width) and in a PDF (WeasyPrint lays the
SVG out). Colours are attributes, not CSS, so a PDF and an e-mail draw them too.

    svg = chart(labels=["janv.", "févr."], series=[Series("Encaissé", [120000, 95000])])

Values are integers (minor units, days, counts, basis points); the axis shows the largest
value through `format_value` (the caller formats money in the reader's language)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#0b6e4f", "#d99a21", "#1d4ed8", "#b42318", "#6b4fbb", "#5b6b70", "#0e9384", "#c4320a")
INK, MUTED, GRID = "#1d2a2f", "#5b6b70", "#e3e8ea"


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int]
    kind: str = "bar"  # "bar" or "line"
    color: str = ""


def _nice_top(top: int) -> int:
    """A round axis maximum at or above `top` (1, 2, 2.5 or 5 times a power of ten)."""
    if top <= 0:
        return 1
    power = 1
    while power * 10 <= top:
        power *= 10
    for step in (1, 2, 2.5, 5, 10):
        if top <= step * power:
            return int(step * power) if step * power >= 1 else 1
    return 10 * power


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def chart(
    *,
    labels: Sequence[str],
    series: Sequence[Series],
    width: int = 640,
    height: int = 220,
    format_value: Callable[[int], str] = str,
    title: str = "",
    max_ticks: int = 12,
) -> str:
    """An SVG chart of `series` (bars side by side per label, lines over them) as markup."""
    values = [v for s in series for v in s.values]
    low = min([0, *values])
    top = _nice_top(max([1, *values]))
    bottom_value = -_nice_top(-low) if low < 0 else 0
    span = top - bottom_value or 1
    ticks = [(bottom_value + span * f, format_value(round(bottom_value + span * f))) for f in (0, 0.5, 1)]
    # the axis' values fit left of the plot (about 6 px a character at font-size 10)
    left, right, top_pad, bottom = max(40, 8 + 6 * max(len(t) for _v, t in ticks)), 8, 24, 28
    plot_w, plot_h = width - left - right, height - top_pad - bottom

    def y(v: int) -> float:
        return top_pad + plot_h * (top - v) / span

    n = max(len(labels), 1)
    slot = plot_w / n
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{escape(title)}" '
        f'font-family="DejaVu Sans, sans-serif">',
        f"<title>{escape(title)}</title>" if title else "",
    ]
    for v, text in ticks:  # the grid and its values
        gy = _num(y(v))
        parts.append(f'<line x1="{left}" y1="{gy}" x2="{width - right}" y2="{gy}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{left - 4}" y="{gy}" dy="3" text-anchor="end" font-size="10" fill="{MUTED}">'
            f"{escape(text)}</text>"
        )
    zero = _num(y(0))
    parts.append(f'<line x1="{left}" y1="{zero}" x2="{width - right}" y2="{zero}" stroke="{MUTED}"/>')
    bars = [s for s in series if s.kind == "bar"]
    lines = [s for s in series if s.kind == "line"]
    colors = {id(s): s.color or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)}
    width_bar = slot * 0.8 / max(len(bars), 1)
    for b, s in enumerate(bars):
        for i, v in enumerate(s.values[: len(labels)]):
            x = left + i * slot + slot * 0.1 + b * width_bar
            y0, y1 = sorted((y(0), y(v)))
            parts.append(
                f'<rect x="{_num(x)}" y="{_num(y0)}" width="{_num(max(width_bar - 1, 0.5))}" '
                f'height="{_num(max(y1 - y0, 0))}" fill="{colors[id(s)]}">'
                f"<title>{escape(s.label)} · {escape(str(labels[i]))} : {escape(format_value(v))}</title></rect>"
            )
    for s in lines:
        points = " ".join(
            f"{_num(left + i * slot + slot / 2)},{_num(y(v))}" for i, v in enumerate(s.values[: len(labels)])
        )
        if points:
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{colors[id(s)]}" stroke-width="2.5" '
                f'stroke-linejoin="round"/>'
            )
        for i, v in enumerate(s.values[: len(labels)]):
            parts.append(
                f'<circle cx="{_num(left + i * slot + slot / 2)}" cy="{_num(y(v))}" r="3" fill="{colors[id(s)]}">'
                f"<title>{escape(s.label)} · {escape(str(labels[i]))} : {escape(format_value(v))}</title></circle>"
            )
    every = max(1, -(-len(labels) // max_ticks))  # at most `max_ticks` labels under the axis
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(
                f'<text x="{_num(left + i * slot + slot / 2)}" y="{height - 10}" text-anchor="middle" '
                f'font-size="10" fill="{MUTED}">{escape(str(label)[:14])}</text>'
            )
    x = left
    for s in series:  # the legend, above the plot
        parts.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{colors[id(s)]}"/>')
        parts.append(f'<text x="{x + 14}" y="13" font-size="11" fill="{INK}">{escape(s.label[:40])}</text>')
        x += 24 + 7 * min(len(s.label), 40)
    parts.append("</svg>")
    return "".join(parts)
