"""Read names to screen from CSV, XLSX, JSON or JSON-lines files.

Text is read through :mod:`clearance.textio` (encodings detected, reads bounded) and
workbooks through :mod:`clearance.xlsx_input` (every row, zip bombs refused). CSV uses the
standard dialect with only the delimiter guessed; a quote left open across what look like
rows is an error, never a silent merge. The name column is found by its header unless given,
and a file without a single row to screen is an error, never a clean result.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import IO, Any

from clearance.errors import FormatError, InputError
from clearance.i18n import gettext as _
from clearance.textio import check_size, head_lines, open_text, sniff_delimiter
from clearance.xlsx_input import open_workbook, sheet_rows

__all__ = ["NAME_HEADERS", "InputRow", "detect_column", "read_rows"]

#: Header words that name the column to screen, most specific first.
NAME_HEADERS = (
    "supplier",
    "supplier_name",
    "vendor",
    "vendor_name",
    "manufacturer",
    "make",
    "brand",
    "company",
    "company_name",
    "party",
    "entity",
    "organisation",
    "organization",
    "name",
    "供应商",
    "供应商名称",
    "厂商",
    "制造商",
    "公司",
    "公司名称",
    "名称",
)
#: Words that make a header an identifier or code column, never names (``vendor_id``).
_CODE_WORDS = {"id", "code", "no", "nr", "num", "number", "ref", "reference", "key", "编号", "代码"}


@dataclass(slots=True, frozen=True)
class InputRow:
    """One input row: where it came from, the name to screen and the whole record."""

    line: int
    name: str
    record: dict[str, Any]


def _norm_header(value: str) -> str:
    return value.strip().lower().replace(" ", "_").replace("-", "_")


def detect_column(headers: list[str], column: str | None, path: str) -> str:
    """The header to screen: ``column`` if given (must exist), else the best-named one."""
    if column is not None:
        if column in headers:
            return column
        for header in headers:
            if _norm_header(header) == _norm_header(column):
                return header
        raise InputError(
            _("no such column; the file has: {headers}").format(headers=", ".join(headers)),
            path=path,
            field=column,
        )
    normalised = {_norm_header(h): h for h in headers}
    for wanted in NAME_HEADERS:
        if wanted in normalised:
            return normalised[wanted]
    for header in headers:
        key = _norm_header(header)
        if _CODE_WORDS.isdisjoint(key.split("_")) and any(
            word in key for word in ("name", "supplier", "vendor", "名")
        ):
            return header
    if len(headers) == 1 and _CODE_WORDS.isdisjoint(_norm_header(headers[0]).split("_")):
        return headers[0]
    raise InputError(
        _(
            "cannot tell which column holds names (use --column); columns found: "
            "{columns}; expected a header such as supplier, vendor, company, name or "
            "供应商名称"
        ).format(columns=", ".join(headers) or _("none")),
        path=path,
        line=1,
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _merged_rows(
    row: list[str], delimiter: str, width: int, path: str, first: int, last: int
) -> None:
    """Refuse a record whose quoted cell swallowed lines that look like rows of their own
    (a quote opened and not closed where it should be)."""
    if width < 2:
        return
    for cell in row:
        inner = cell.splitlines()[1:]
        if any(line.count(delimiter) >= width - 1 for line in inner):
            raise InputError(
                _(
                    "a quoted cell runs from line {first} to line {last} over lines that "
                    "look like rows of their own: check for a stray '\"'"
                ).format(first=first, last=last),
                path=path,
                line=first,
            )


def _csv_rows(fh: IO[str], path: str, column: str | None) -> Iterator[InputRow]:
    head = head_lines(fh)
    delimiter = sniff_delimiter(head)
    reader = csv.reader(chain(head, fh), delimiter=delimiter)
    headers = next((row for row in reader if any(cell.strip() for cell in row)), None)
    if headers is None:
        return
    headers = [h.strip() for h in headers]
    chosen = detect_column(headers, column, path)
    end = reader.line_num
    for row in reader:
        first, end = end + 1, reader.line_num
        if end > first:
            _merged_rows(row, delimiter, len(headers), path, first, end)
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(headers):
            raise InputError(
                _("{cells} cells but {headers} headers").format(
                    cells=len(row), headers=len(headers)
                ),
                path=path,
                line=first,
            )
        record = {h: (row[i] if i < len(row) else "") for i, h in enumerate(headers)}
        yield InputRow(first, _text(record[chosen]), record)


def _xlsx_rows(path: Path, column: str | None, max_bytes: int) -> Iterator[InputRow]:
    with open_workbook(path, max_bytes=max_bytes) as book:
        rows = sheet_rows(book.worksheets[0], path)
        first = next((row for _, row in rows if any(_text(v) for v in row)), None)
        if first is None:
            return
        headers = [_text(h) or f"column_{i + 1}" for i, h in enumerate(first)]
        chosen = detect_column(headers, column, str(path))
        for number, row in rows:
            if not any(_text(v) for v in row):
                continue
            record = {h: row[i] if i < len(row) else None for i, h in enumerate(headers)}
            yield InputRow(number, _text(record[chosen]), record)


def _object_row(item: Any, line: int, path: str, column: str | None) -> InputRow:
    if isinstance(item, str):
        return InputRow(line, item.strip(), {"name": item})
    if not isinstance(item, dict):
        raise InputError(_("expected an object or a string"), path=path, line=line)
    chosen = detect_column([str(k) for k in item], column, path)
    value = item.get(chosen)
    if value is not None and not isinstance(value, str | int | float):
        raise InputError(_("the name is not text"), path=path, line=line, field=chosen)
    return InputRow(line, _text(value), dict(item))


def _text_rows(fh: IO[str], path: Path, column: str | None) -> Iterator[InputRow]:
    where = str(path)
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(
                    _("invalid JSON ({msg})").format(msg=exc.msg), path=where, line=number
                ) from exc
            yield _object_row(item, number, where, column)
    elif suffix == ".json":
        try:
            data = json.loads(fh.read())
        except json.JSONDecodeError as exc:
            raise InputError(
                _("invalid JSON ({msg})").format(msg=exc.msg), path=where, line=exc.lineno
            ) from exc
        if isinstance(data, dict):
            data = data.get("records", data.get("results"))
        if not isinstance(data, list):
            raise InputError(_("expected a list of records"), path=where)
        for number, item in enumerate(data, start=1):
            yield _object_row(item, number, where, column)
    else:
        yield from _csv_rows(fh, where, column)


def _rows(path: Path, column: str | None, max_bytes: int) -> Iterator[InputRow]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        yield from _xlsx_rows(path, column, max_bytes)
        return
    with open_text(path, max_bytes=max_bytes) as fh:
        rows = _text_rows(fh, path, column)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except (UnicodeDecodeError, csv.Error) as exc:
                raise FormatError(
                    _("cannot read the file ({exc})").format(exc=exc), path=str(path)
                ) from exc
            yield row


def read_rows(path: Path, column: str | None = None, *, max_bytes: int = 0) -> Iterator[InputRow]:
    """Rows of a CSV/TSV, XLSX, JSON (a list, or an object with ``records``) or JSONL file.

    Raises:
        InputError: unreadable rows, a missing column, a file with no row to screen.
        LimitError: a file over ``max_bytes`` (a pipe or device: over what
            :mod:`clearance.textio` allows), a workbook that unpacks too large.
    """
    check_size(path, max_bytes)
    count = 0
    for row in _rows(path, column, max_bytes):
        count += 1
        yield row
    if count == 0:
        raise InputError(
            _("no suppliers in the file (it is empty or has only a header)"), path=str(path)
        )
