"""The PDF report: the HTML report's own template, printed by WeasyPrint with its print CSS.

WeasyPrint is given a URL fetcher that refuses every URL, so the PDF, like the HTML, is made
without a single request. Chinese names need a CJK font on the machine (Debian:
``fonts-noto-cjk``, installed by ``scripts/system-deps.sh``); without one they print as boxes
but the rest of the report is unaffected.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from clearance.errors import OperationalError
from clearance.reports.data import ReportData
from clearance.reports.html import render_html

__all__ = ["render_pdf"]


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"report resources are inline; refusing to fetch {url}")


def render_pdf(data: ReportData, target: BinaryIO, lang: str | None = None) -> None:
    """Write ``data`` as a PDF in ``lang`` (default: the language in force) into the binary
    file ``target``; its title and language come from the HTML's ``<title>`` and ``lang``."""
    try:
        from weasyprint import HTML  # imported lazily: loading pango takes a moment
    except (ImportError, OSError) as exc:  # OSError: pango's shared library is missing
        raise OperationalError(f"PDF output needs WeasyPrint and pango: {exc}") from exc
    html = render_html(data, lang)
    HTML(string=html, url_fetcher=_refuse).write_pdf(target)
