"""A preview of an asset register before it is saved: its headings, the field each is read
as (the synonyms of ``inventory.yml`` and a column map over them), and its first devices as
``clearance identify`` would read them with that map — what the upload page shows so that a
person can map odd headings (a combined "Make/Model" column …) before anything is stored."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from clearance.discovery.sources import detect_format, read_observations
from clearance.discovery.sources.inventory import detect_columns
from clearance.errors import FormatError, InputError
from clearance.i18n import gettext as _
from clearance.model import Observation
from clearance.textio import head_lines, open_text, sniff_delimiter
from clearance.xlsx_input import open_workbook, sheet_rows

__all__ = ["RegisterPreview", "is_register", "preview_register", "renamed"]

#: Rows looked at for the heading row (as the inventory reader does).
_HEADER_SCAN_ROWS = 12
_REGISTERS = ("inventory-csv", "inventory-xlsx")


@dataclass(slots=True)
class RegisterPreview:
    """The register as it would be read.

    Attributes:
        headings: the heading row's cells (the first row naming known fields, else the first
            row with text), empty cells as "".
        fields: heading → the field it is read as (absent: not read).
        rows: the first devices as read with the map.
        error: why the register cannot be read with this map (file, line and field named),
            or "".
    """

    headings: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    rows: list[Observation] = field(default_factory=list)
    error: str = ""


def is_register(path: Path) -> bool:
    """Whether ``path`` reads as an asset register (CSV or XLSX inventory), not a scan file."""
    return detect_format(path) in _REGISTERS


def _raw_rows(path: Path, max_bytes: int) -> Iterator[Sequence[Any]]:
    if detect_format(path) == "inventory-xlsx":
        with open_workbook(path, max_bytes=max_bytes) as book:
            for sheet in book.worksheets[:1]:
                for _number, row in sheet_rows(sheet, path):
                    yield row
        return
    with open_text(path, max_bytes=max_bytes) as fh:
        head = head_lines(fh)
        try:
            yield from csv.reader(chain(head, fh), delimiter=sniff_delimiter(head))
        except csv.Error as exc:
            raise FormatError(_("cannot read CSV: {exc}").format(exc=exc), path=str(path)) from exc


def _heading_row(path: Path, column_map: Mapping[str, str], max_bytes: int) -> list[str]:
    first: list[str] | None = None
    seen = 0
    for row in _raw_rows(path, max_bytes):
        cells = ["" if c is None else str(c).strip() for c in row]
        if not any(cells):
            continue
        first = first if first is not None else cells
        columns = detect_columns(cells, column_map)
        if len(columns) >= 2:
            return cells
        seen += 1
        if seen >= _HEADER_SCAN_ROWS:
            break
    return first or []


def preview_register(
    path: Path,
    column_map: Mapping[str, str] | None = None,
    *,
    shown_as: str | None = None,
    limit: int = 10,
    max_bytes: int = 0,
) -> RegisterPreview:
    """The headings of the register at ``path``, their fields under ``column_map``
    ({folded heading: field}) and its first ``limit`` devices read with it; an input error
    becomes the preview's ``error`` with the file named ``shown_as`` (the uploaded name)."""
    preview = RegisterPreview()
    mapping = dict(column_map or {})
    try:
        preview.headings = _heading_row(path, mapping, max_bytes)
        by_index = detect_columns(preview.headings, mapping)
        preview.fields = {
            preview.headings[i]: f for f, i in by_index.items() if preview.headings[i]
        }
        preview.rows = list(
            islice(
                read_observations(path, None, max_bytes=max_bytes, column_map=mapping),
                limit,
            )
        )
    except InputError as exc:
        preview.error = str(renamed(exc, shown_as)) if shown_as else str(exc)
    return preview


def renamed(exc: InputError, name: str | None) -> InputError:
    """``exc`` naming the file ``name`` (the name it was uploaded as) rather than its path."""
    if name is None or exc.path is None:
        return exc
    return type(exc)(exc.reason, path=name, line=exc.line, record=exc.record, field=exc.field)
