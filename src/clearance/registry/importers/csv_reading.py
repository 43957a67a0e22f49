"""CSV files of official lists: rows with their line numbers, strictly decoded, with errors
that name the line and the column a malformed or truncated record stops in."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from clearance.errors import FormatError
from clearance.i18n import gettext as _
from clearance.registry.importers.base import Limits, bad_line
from clearance.textio import open_text

__all__ = ["csv_dicts", "csv_rows"]


class _Lines:
    """Iterate a text file's lines, remembering those of the record being read."""

    def __init__(self, fh: TextIO) -> None:
        self.fh = fh
        self.current: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.fh.readline()
        if not line:
            raise StopIteration
        self.current.append(line)
        return line


def _open_field(text: str, delimiter: str, header: list[str] | None) -> str:
    """The column a broken record stops in (an unclosed quote, a truncated file)."""
    try:
        cells = next(csv.reader([text + '"'], delimiter=delimiter))
    except (csv.Error, StopIteration):
        cells = [""]
    index = max(len(cells) - 1, 0)
    if header is not None and index < len(header):
        return header[index]
    return f"column {index + 1}"


def csv_rows(
    path: Path, limits: Limits, *, delimiter: str = ",", header: bool = True
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line number, cells)`` of a CSV file; decoding and quoting errors name the
    line and the column they stop in.

    With ``header`` the first row is yielded too (line 1), so callers can map columns.
    """
    limits.check_size(path)
    fh = open_text(path, max_bytes=limits.max_bytes)
    count = 0
    names: list[str] | None = None
    with fh:
        lines = _Lines(fh)
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        while True:
            lines.current = []
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise FormatError(
                    _("bytes that are not valid {encoding}: {reason}").format(
                        encoding=fh.encoding, reason=exc.reason
                    ),
                    path=str(path),
                    line=bad_line(path, fh.encoding),
                ) from exc
            except csv.Error as exc:
                raise FormatError(
                    _("malformed or truncated CSV: {exc}").format(exc=exc),
                    path=str(path),
                    line=reader.line_num - len(lines.current) + 1 if lines.current else None,
                    field=_open_field("".join(lines.current), delimiter, names),
                ) from exc
            if header and names is None:
                names = [c.strip() for c in row]
            count += 1
            limits.check_count(path, count, None)
            yield reader.line_num, row


def csv_dicts(
    path: Path,
    limits: Limits,
    *,
    required: tuple[str, ...],
    what: str,
    preamble: int = 0,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, {column: text})`` for each non-empty row of a CSV file with a header
    (column names lower-cased) that holds ``required``; up to ``preamble`` title rows may
    precede it. Short or long rows fail naming the line and the column."""
    header: list[str] | None = None
    for line, cells in csv_rows(path, limits, header=False):
        if header is None:
            lowered = [c.strip().lower() for c in cells]
            missing = [col for col in required if col not in lowered]
            if not missing:
                header = lowered
            elif line > preamble:
                raise FormatError(
                    _("not {what}: no column {missing!r}").format(what=what, missing=missing[0]),
                    path=str(path),
                    line=line,
                    field=missing[0],
                )
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise FormatError(
                _("expected {expected} columns, found {found} (truncated or malformed row)").format(
                    expected=len(header), found=len(cells)
                ),
                path=str(path),
                line=line,
                field=header[min(len(cells), len(header)) - 1] if cells else header[0],
            )
        yield line, dict(zip(header, cells, strict=True))
    if header is None:
        raise FormatError(
            _("not {what}: the file is empty").format(what=what), path=str(path), line=1
        )
