"""Write a report in any format: html, pdf, xlsx, csv or json."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from clearance.cells import neutralise_cell
from clearance.errors import OperationalError
from clearance.output_files import replacing, write_text
from clearance.reports.data import ReportData
from clearance.reports.html import render_html
from clearance.reports.tables import FINDING_HEADERS, finding_rows, headers
from clearance.reports.wording import report_lang

__all__ = ["ReportFormat", "render_csv", "render_json", "write_report"]


class ReportFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"
    XLSX = "xlsx"
    CSV = "csv"
    JSON = "json"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def render_json(data: ReportData, lang: str | None = None) -> str:
    """The whole report as one JSON document: keys and values as the data holds them (machine
    values in English; ``lang`` is accepted like the other renderers' and changes nothing)."""
    if not data.counts:
        data.summarise()
    return json.dumps(data.to_json(), ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise_cell(value)


def render_csv(data: ReportData, lang: str | None = None) -> str:
    """Devices and supplier hits as one flat CSV table, formula-like cells neutralised;
    headers and labels in ``lang`` (default: the language in force)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    with report_lang(lang):
        writer.writerow(headers(FINDING_HEADERS))
        for row in finding_rows(data):
            writer.writerow([_csv_cell(v) for v in row])
    return buf.getvalue()


def write_report(
    data: ReportData, fmt: ReportFormat | str, path: Path, lang: str | None = None
) -> Path:
    """Write ``data`` to ``path`` in ``fmt`` and ``lang`` (``en`` or ``fr``; default: the
    language in force); create the parent folder; return the path.

    The file is replaced whole or not at all (:func:`clearance.output_files.replacing`): a
    renderer that fails part-way leaves the previous report as it was.
    """
    fmt = ReportFormat(fmt)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OperationalError(f"cannot create {path.parent}: {exc}") from exc
    if fmt is ReportFormat.HTML:
        write_text(path, render_html(data, lang))
    elif fmt is ReportFormat.JSON:
        write_text(path, render_json(data, lang))
    elif fmt is ReportFormat.CSV:
        # A BOM lets spreadsheet programs read the UTF-8 (Chinese names) correctly.
        write_text(path, render_csv(data, lang), encoding="utf-8-sig")
    elif fmt is ReportFormat.XLSX:
        from clearance.reports.xlsx import render_xlsx

        with replacing(path) as handle:
            render_xlsx(data, handle, lang)
    else:
        from clearance.reports.pdf import render_pdf

        with replacing(path) as handle:
            render_pdf(data, handle, lang)
    return path
