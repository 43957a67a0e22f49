"""Write a report in any format: html, pdf, xlsx, csv or json."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

from clearance.cells import neutralise_cell
from clearance.errors import OperationalError
from clearance.output_files import replacing
from clearance.reports.data import ReportData
from clearance.reports.html import render_html
from clearance.reports.tables import FINDING_HEADERS, finding_rows, headers
from clearance.reports.wording import report_lang

__all__ = [
    "MEDIA_TYPES",
    "ReportFormat",
    "render_csv",
    "render_json",
    "render_report",
    "write_report",
]


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


#: The media type of each format, as a download announces it.
MEDIA_TYPES: dict[ReportFormat, str] = {
    ReportFormat.HTML: "text/html; charset=utf-8",
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.CSV: "text/csv; charset=utf-8",
    ReportFormat.JSON: "application/json",
}


def render_report(
    data: ReportData, fmt: ReportFormat | str, target: BinaryIO, lang: str | None = None
) -> None:
    """Write ``data`` in ``fmt`` and ``lang`` (``en`` or ``fr``; default: the language in
    force) into the binary file ``target``."""
    fmt = ReportFormat(fmt)
    if fmt is ReportFormat.HTML:
        target.write(render_html(data, lang).encode("utf-8"))
    elif fmt is ReportFormat.JSON:
        target.write(render_json(data, lang).encode("utf-8"))
    elif fmt is ReportFormat.CSV:
        # A BOM lets spreadsheet programs read the UTF-8 (Chinese names) correctly.
        target.write(render_csv(data, lang).encode("utf-8-sig"))
    elif fmt is ReportFormat.XLSX:
        from clearance.reports.xlsx import render_xlsx

        render_xlsx(data, target, lang)
    else:
        from clearance.reports.pdf import render_pdf

        render_pdf(data, target, lang)


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
    with replacing(path) as handle:
        render_report(data, fmt, handle, lang)
    return path
