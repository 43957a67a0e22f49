"""The overview's trend as an inline SVG drawn on the server (no script): one line of
restricted devices and one of supplier hits still active at each recorded run and now. The
SVG is decoration for the table beside it, which says the same (``aria-hidden``)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from clearance.web.overview_data import TrendPoint

__all__ = ["trend_chart"]

WIDTH, HEIGHT, PAD = 480, 160, 24


def _points(values: Sequence[int], top: int) -> str:
    steps = max(len(values) - 1, 1)
    xs = [PAD + (WIDTH - 2 * PAD) * i / steps for i in range(len(values))]
    ys = [HEIGHT - PAD - (HEIGHT - 2 * PAD) * v / top for v in values]
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))


def trend_chart(trend: Sequence[TrendPoint]) -> Markup:
    """The SVG (empty for fewer than two points: no line to draw)."""
    if len(trend) < 2:
        return Markup("")
    devices = [p.devices for p in trend]
    suppliers = [p.suppliers for p in trend]
    top = max([*devices, *suppliers, 1])
    lines = [
        f'<polyline points="{_points(values, top)}" fill="none" stroke="{colour}" '
        f'stroke-width="3"{dash}/>'
        for values, colour, dash in (
            (devices, "#8a1c1c", ""),
            (suppliers, "#1f4e8c", ' stroke-dasharray="6 4"'),
        )
    ]
    axis = (
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="#555" stroke-width="1"/>'
    )
    svg = (
        f'<svg class="trend" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'aria-hidden="true" focusable="false">{axis}{"".join(lines)}</svg>'
    )
    return Markup(svg)  # noqa: S704  (numbers and fixed text only)
