"""XLSX output, the one workbook writer: the report (a sheet per section) and any other table
(``clearance screen --format xlsx``), with bold frozen headers, autofilters and wrapped text.

Every text cell is neutralised (:func:`clearance.cells.neutralise_cell`) and stored as a string,
so an inventory or supplier cell such as ``=HYPERLINK(...)`` stays inert text in the workbook.
Control characters XML cannot hold are shown as their Unicode pictures (ESC as ``␛``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from clearance.cells import neutralise_cell
from clearance.reports.data import ReportData
from clearance.reports.tables import Cell, Table, tables
from clearance.reports.wording import report_lang

__all__ = ["render_xlsx", "write_tables"]

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8ECF2")
_WRAP = Alignment(wrap_text=True, vertical="top")
_MAX_WIDTH = 60


def _control_picture(match: re.Match[str]) -> str:
    return chr(0x2400 + ord(match.group()))


def _value(cell: Cell) -> Cell:
    if isinstance(cell, datetime):
        # Excel has no time zones: keep UTC wall time, drop the offset.
        return cell.replace(tzinfo=None)
    if isinstance(cell, str):
        # XML cannot hold most C0 controls (an ESC in a supplier name would stop the whole
        # workbook): show each as its Unicode control picture, ESC as "␛".
        cell = ILLEGAL_CHARACTERS_RE.sub(_control_picture, cell)
    value: Cell = neutralise_cell(cell)
    return value


def _add_sheet(book: Workbook, table: Table) -> None:
    sheet = book.create_sheet(table.name)
    sheet.append(list(table.headers))
    widths = [len(h) for h in table.headers]
    for row in table.rows:
        sheet.append([_value(c) for c in row])
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
                cell.alignment = _WRAP
                longest = max(len(line) for line in cell.value.split("\n"))
                widths[cell.column - 1] = max(widths[cell.column - 1], longest)
            elif cell.value is not None:
                widths[cell.column - 1] = max(widths[cell.column - 1], len(str(cell.value)))
    for cell in sheet[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(_MAX_WIDTH, width + 2)
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(table.headers))
    sheet.auto_filter.ref = f"A1:{last}{max(1, len(table.rows) + 1)}"


def write_tables(sections: Sequence[Table], target: BinaryIO) -> None:
    """Write ``sections`` as a workbook, one sheet each, into the binary file ``target``
    (to replace a file safely, open it with :func:`clearance.output_files.replacing`)."""
    book = Workbook()
    book.remove(book.active)
    for table in sections:
        _add_sheet(book, table)
    book.save(target)


def render_xlsx(data: ReportData, target: BinaryIO, lang: str | None = None) -> None:
    """Write ``data`` as an XLSX workbook (a sheet per section) into ``target``: sheet names,
    headers and labels in ``lang`` (default: the language in force), dates as date cells."""
    with report_lang(lang):
        sections = tables(data)
    write_tables(sections, target)
