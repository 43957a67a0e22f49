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
from clearance.reports.data import ReportData
from clearance.reports.html import render_html
from clearance.reports.tables import FINDING_HEADERS, finding_rows

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


def render_json(data: ReportData) -> str:
    """The whole report as one JSON document."""
    if not data.counts:
        data.summarise()
    return json.dumps(data.to_json(), ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise_cell(value)


def render_csv(data: ReportData) -> str:
    """Devices and supplier hits as one flat CSV table, formula-like cells neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(FINDING_HEADERS)
    for row in finding_rows(data):
        writer.writerow([_csv_cell(v) for v in row])
    return buf.getvalue()


def _write_text(path: Path, text: str, *, bom: bool = False) -> None:
    try:
        path.write_text(text, encoding="utf-8-sig" if bom else "utf-8", newline="")
    except OSError as exc:
        raise OperationalError(f"cannot write {path}: {exc}") from exc


def write_report(data: ReportData, fmt: ReportFormat | str, path: Path) -> Path:
    """Write ``data`` to ``path`` in ``fmt``; create the parent folder; return the path."""
    fmt = ReportFormat(fmt)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OperationalError(f"cannot create {path.parent}: {exc}") from exc
    if fmt is ReportFormat.HTML:
        _write_text(path, render_html(data))
    elif fmt is ReportFormat.JSON:
        _write_text(path, render_json(data))
    elif fmt is ReportFormat.CSV:
        # A BOM lets spreadsheet programs read the UTF-8 (Chinese names) correctly.
        _write_text(path, render_csv(data), bom=True)
    elif fmt is ReportFormat.XLSX:
        from clearance.reports.xlsx import render_xlsx

        render_xlsx(data, path)
    else:
        from clearance.reports.pdf import render_pdf

        render_pdf(data, path)
    return path
