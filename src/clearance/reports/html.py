"""The HTML report: one self-contained page from a Jinja2 template, with inline CSS and SVG.

The same HTML is the source of the PDF (:mod:`clearance.reports.pdf`). Autoescaping is on, so
text from inventories and supplier files (``<script>``, ``=HYPERLINK(...)``) shows as text.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from clearance import __version__
from clearance.matching import ALGORITHM
from clearance.reports.charts import bar_chart, progress_chart
from clearance.reports.data import ReportData

__all__ = ["charts_for", "clip", "render_html"]

_TEMPLATE = "report.html.j2"
# Evidence items shown per device in HTML and PDF (XLSX and JSON keep every one).
MAX_EVIDENCE = 10


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (full text stays in JSON/XLSX)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("clearance.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["clip"] = clip
    return env


def charts_for(data: ReportData) -> list[str]:
    """The summary's SVG charts: by site, by restricted party, by list, and progress."""
    return [
        bar_chart(data.counts_by("site"), title="By site"),
        bar_chart(data.counts_by("vendor"), title="By restricted party"),
        bar_chart(data.counts_by("list"), title="By list"),
        progress_chart(data.progress),
    ]


def render_html(data: ReportData) -> str:
    """Render ``data`` as one HTML document that makes no network request."""
    if not data.counts:
        data.summarise()
    template = _environment().get_template(_TEMPLATE)
    # The charts escape every label themselves (clearance.reports.charts).
    charts = [Markup(svg) for svg in charts_for(data)]  # noqa: S704
    return template.render(
        data=data,
        charts=charts,
        version=__version__,
        algorithm=ALGORITHM,
        max_evidence=MAX_EVIDENCE,
    )
