"""Inline SVG charts for the HTML and PDF reports, drawn here without any library.

Each function returns one ``<svg>`` element as text with every label escaped, so a report stays a
single self-contained file that makes no request. Colours come from CSS classes (``bar-dev``,
``bar-sup``, ``line-open``, ``line-resolved``) so print styles can adjust them.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from clearance.reports.data import Count, ProgressPoint
from clearance.reports.wording import _r, _rp, count_label, isodate, number

__all__ = ["bar_chart", "progress_chart"]

_FONT = 11
# Colours as presentation attributes: WeasyPrint's SVG renderer ignores CSS variables.
_FILL = {
    "bar-dev": "#b3261e",
    "bar-sup": "#e08a00",
    "line-open": "#b3261e",
    "line-resolved": "#1e7b45",
}
_GRID = "#d7dce3"


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _legend(items: Sequence[tuple[str, str]], x: int, y: int) -> str:
    """A row of coloured squares with labels: ``items`` are (css class, label)."""
    parts = []
    for css, label in items:
        parts.append(
            f'<rect class="{css}" fill="{_FILL[css]}" x="{x}" y="{y - 9}" width="10" height="10"/>'
            f'<text x="{x + 14}" y="{y}" font-size="{_FONT}">{escape(label)}</text>'
        )
        x += 24 + 7 * len(label)
    return "".join(parts)


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(counts: Sequence[Count], *, title: str, width: int = 460) -> str:
    """Horizontal stacked bars: findings on devices and on suppliers for each key (``title``
    as given; the labels in the language in force)."""
    row_h, top, label_w = 22, 26, 170
    rows = list(counts)
    height = top + max(1, len(rows)) * row_h + 24
    peak = max((c.total for c in rows), default=0) or 1
    span = width - label_w - 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{_attr(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="14" class="chart-title">{escape(title)}</text>',
    ]
    if not rows:
        parts.append(
            f'<text x="0" y="{top + 14}" class="chart-empty">{escape(_r("Nothing found"))}</text>'
        )
    device_findings = _rp("chart legend", "device findings")
    supplier_findings = _rp("chart legend", "supplier findings")
    for i, count in enumerate(rows):
        y = top + i * row_h
        key = count_label(count.dimension, count.key)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" font-size="{_FONT}">'
            f"{escape(_truncate(key, 26))}</text>"
        )
        x = float(label_w)
        for css, value, what in (
            ("bar-dev", count.devices, device_findings),
            ("bar-sup", count.suppliers, supplier_findings),
        ):
            if value <= 0:
                continue
            w = max(2.0, span * value / peak)
            parts.append(
                f'<rect class="{css}" fill="{_FILL[css]}" x="{x:.1f}" y="{y + 3}" '
                f'width="{w:.1f}" height="{row_h - 7}">'
                f"<title>{escape(key)}: {number(value)} {escape(what)}</title></rect>"
            )
            x += w
        parts.append(
            f'<text x="{x + 5:.1f}" y="{y + 14}" font-size="{_FONT}" class="chart-value">'
            f"{number(count.total)}</text>"
        )
    parts.append(
        _legend((("bar-dev", device_findings), ("bar-sup", supplier_findings)), label_w, height - 8)
    )
    parts.append("</svg>")
    return "".join(parts)


# Width of an ISO date at the axis' font size, with a gap: labels closer than this overlap.
_DATE_W = 64


def _date_labels(pts: Sequence[ProgressPoint], xs: Sequence[float]) -> list[tuple[float, str, str]]:
    """(x, text-anchor, date) of the dates under the axis: the first (anchored at its start)
    and the last (at its end) always, others between them only where they overlap none."""
    if len(pts) == 1:
        return [(xs[0], "middle", isodate(pts[0].day))]
    first, last = xs[0], xs[-1]
    if last - first < _DATE_W:  # too close: the last date alone
        return [(last, "end", isodate(pts[-1].day))]
    chosen = [(first, "start", isodate(pts[0].day))]
    edge = first + _DATE_W  # the right edge of the labels so far
    for x, point in zip(xs[1:-1], pts[1:-1], strict=True):
        if x - _DATE_W / 2 >= edge + 6 and x + _DATE_W / 2 <= last - _DATE_W - 6:
            chosen.append((x, "middle", isodate(point.day)))
            edge = x + _DATE_W / 2
    chosen.append((last, "end", isodate(pts[-1].day)))
    return chosen


def progress_chart(points: Sequence[ProgressPoint], *, width: int = 460, height: int = 200) -> str:
    """Open and resolved findings over time, as two lines with dots and a date axis whose
    labels never overlap (:func:`_date_labels`), in the language in force."""
    title = escape(_r("Remediation progress"))
    left, right, top, bottom = 36, 40, 26, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{title}">',
        f"<title>{title}</title>",
        f'<text x="0" y="14" class="chart-title">{title}</text>',
    ]
    pts = list(points)
    if not pts:
        parts.append(
            f'<text x="{left}" y="{top + 20}" class="chart-empty">{escape(_r("No history yet"))}'
            "</text>"
        )
        parts.append("</svg>")
        return "".join(parts)
    peak = max(max(p.open, p.resolved) for p in pts) or 1
    first, last = pts[0].day.toordinal(), pts[-1].day.toordinal()
    days = max(1, last - first)

    def xy(day_ordinal: int, value: int) -> tuple[float, float]:
        x = left + (plot_w * (day_ordinal - first) / days if len(pts) > 1 else plot_w / 2)
        return x, top + plot_h - plot_h * value / peak

    # axes and grid: 0, half, peak
    for frac in (0.0, 0.5, 1.0):
        y = top + plot_h - plot_h * frac
        parts.append(
            f'<line class="grid" stroke="{_GRID}" x1="{left}" y1="{y:.1f}" '
            f'x2="{left + plot_w}" y2="{y:.1f}"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="{_FONT - 1}">'
            f"{number(round(peak * frac))}</text>"
        )
    for x, anchor, day in _date_labels(pts, [xy(p.day.toordinal(), 0)[0] for p in pts]):
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="{anchor}" '
            f'font-size="{_FONT - 1}">{day}</text>'
        )
    words = {"open": _rp("chart legend", "open"), "resolved": _rp("chart legend", "resolved")}
    for css, attr in (("line-open", "open"), ("line-resolved", "resolved")):
        coords = [xy(p.day.toordinal(), getattr(p, attr)) for p in pts]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(
            f'<polyline class="{css}" fill="none" stroke="{_FILL[css]}" stroke-width="2" '
            f'points="{path}"/>'
        )
        for (x, y), p in zip(coords, pts, strict=True):
            parts.append(
                f'<circle class="{css}" fill="{_FILL[css]}" cx="{x:.1f}" cy="{y:.1f}" r="3">'
                f"<title>{isodate(p.day)}: {number(getattr(p, attr))} {escape(words[attr])}"
                "</title></circle>"
            )
    legend = (("line-open", words["open"]), ("line-resolved", words["resolved"]))
    parts.append(_legend(legend, left, height - 6))
    parts.append("</svg>")
    return "".join(parts)
