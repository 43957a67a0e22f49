"""The HTML report: one self-contained page from a Jinja2 template, with inline CSS and SVG.

The same HTML is the source of the PDF (:mod:`clearance.reports.pdf`). Autoescaping is on, so
text from inventories and supplier files (``<script>``, ``=HYPERLINK(...)``) shows as text.

The template's texts are marked for translation (``jinja2.ext.i18n``: ``_()``, ``{% trans %}``)
and looked up in the ``reports`` domain of :mod:`clearance.i18n` when the page is rendered, so
one cached environment serves both languages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from clearance import __version__
from clearance.matching import ALGORITHM
from clearance.reports.charts import bar_chart, progress_chart
from clearance.reports.data import ReportData
from clearance.reports.wording import (
    _r,
    _rn,
    _rp,
    count_label,
    decimal,
    isodate,
    label,
    number,
    report_lang,
    stamp,
)
from clearance.templating import translated_environment

__all__ = ["charts_for", "clip", "render_html"]

_TEMPLATE = "report.html.j2"
# Evidence items shown per device in HTML and PDF (XLSX and JSON keep every one).
MAX_EVIDENCE = 10


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (full text stays in JSON/XLSX)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def generated(value: datetime) -> str:
    """When the report was made, as the cover says it (``2026-11-28 07:00 UTC``; in French
    ``28 novembre 2026 à 07 h 00 UTC``)."""
    # Translators: a CLDR date pattern; French writes "28 novembre 2026 à 07 h 00 UTC".
    return stamp(value, _r("yyyy-MM-dd HH:mm 'UTC'"))


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal, safe inside a ``<style>`` element."""
    escaped = re.sub(r'["\\<>\n]', lambda m: f"\\{ord(m.group()):x} ", text)
    return f'"{escaped}"'


def page_counter() -> Markup:
    """The PDF's page footer as CSS ``content``: ``"page " counter(page) " of " …``."""
    words = re.split(r"(\{page\}|\{pages\})", _r("page {page} of {pages}"))
    parts = [
        f"counter({w[1:-1]})" if w in ("{page}", "{pages}") else _css_string(w) for w in words if w
    ]
    return Markup(" ".join(parts))  # noqa: S704  (each text part escaped as a CSS string)


@cache
def _environment() -> Environment:
    filters: dict[str, Callable[..., Any]] = {
        "clip": clip,
        "label": label,
        "number": number,
        "decimal": decimal,
        "isodate": isodate,
        "stamp": stamp,
        "generated": generated,
    }
    env = translated_environment(
        "clearance.reports", gettext=_r, ngettext=_rn, pgettext=_rp, filters=filters
    )
    env.globals["count_label"] = count_label
    return env


def charts_for(data: ReportData) -> list[str]:
    """The summary's SVG charts: by site, by restricted party, by list, and progress, in the
    language in force."""
    return [
        bar_chart(data.counts_by("site"), title=_r("By site")),
        bar_chart(data.counts_by("vendor"), title=_r("By restricted party")),
        bar_chart(data.counts_by("list"), title=_r("By list")),
        progress_chart(data.progress),
    ]


def render_html(data: ReportData, lang: str | None = None) -> str:
    """Render ``data`` as one HTML document that makes no network request, in ``lang`` (``en``
    or ``fr``; default: the language in force)."""
    if not data.counts:
        data.summarise()
    template = _environment().get_template(_TEMPLATE)
    with report_lang(lang) as chosen:
        # The charts escape every label themselves (clearance.reports.charts).
        charts = [Markup(svg) for svg in charts_for(data)]  # noqa: S704
        return template.render(
            data=data,
            charts=charts,
            version=__version__,
            algorithm=ALGORITHM,
            max_evidence=MAX_EVIDENCE,
            lang=chosen,
            page_counter=page_counter(),
        )
