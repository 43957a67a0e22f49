"""Reading users' XLSX workbooks safely: every row, and no zip bomb.

openpyxl's read-only mode trusts a sheet's declared ``<dimension>``: rows and columns
outside it would be skipped without a word, so it is ignored and the sheet read to its end.
Before openpyxl opens anything, the ZIP's members are checked: their declared uncompressed
sizes (which :mod:`zipfile` enforces while inflating) and compression ratios must stay
within :class:`WorkbookLimits`, or the file is refused with
:class:`~clearance.errors.LimitError`. No cell may hold more than Excel's own limit of
32,767 characters.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clearance.errors import FormatError, LimitError
from clearance.i18n import gettext as _
from clearance.textio import check_size, read_sample

__all__ = ["WorkbookLimits", "open_workbook", "sheet_rows"]


@dataclass(slots=True, frozen=True)
class WorkbookLimits:
    """What a workbook may expand to.

    Attributes:
        max_unpacked_bytes: the sum of the members' uncompressed sizes.
        max_ratio: uncompressed over compressed size, for members over ``ratio_floor``
            bytes (sheet XML compresses about 10:1; a bomb over 1000:1).
        ratio_floor: members smaller than this are not held to ``max_ratio``.
        max_cell_chars: the longest text a cell may hold (Excel's own limit).
    """

    max_unpacked_bytes: int = 1 << 30
    max_ratio: int = 200
    ratio_floor: int = 1 << 20
    max_cell_chars: int = 32_767


def _check_members(path: Path, limits: WorkbookLimits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise FormatError(
            _("not a readable XLSX workbook ({exc})").format(exc=exc), path=str(path)
        ) from exc
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            raise LimitError(
                _(
                    "member {filename} expands {ratio:.0f} times to {file_size} bytes, over "
                    "the limit of {max_ratio} (a zip bomb?)"
                ).format(
                    filename=member.filename,
                    ratio=ratio,
                    file_size=member.file_size,
                    max_ratio=limits.max_ratio,
                ),
                path=str(path),
            )
    if total > limits.max_unpacked_bytes:
        raise LimitError(
            _("workbook expands to {total} bytes, over the limit of {max_unpacked_bytes}").format(
                total=total, max_unpacked_bytes=limits.max_unpacked_bytes
            ),
            path=str(path),
        )


@contextmanager
def open_workbook(
    path: Path, *, max_bytes: int = 0, limits: WorkbookLimits | None = None
) -> Iterator[Any]:
    """The workbook at ``path``, opened read-only for values once its ZIP passed the limits.

    Raises:
        FormatError: not an XLSX workbook.
        LimitError: over ``max_bytes`` on disk or over ``limits`` once unpacked.
    """
    from openpyxl import load_workbook

    check_size(path, max_bytes)
    if not path.is_file():
        raise FormatError(_("not an XLSX workbook (not a regular file)"), path=str(path))
    if not read_sample(path, 4).startswith(b"PK"):
        raise FormatError(_("not an XLSX workbook (no ZIP signature)"), path=str(path), line=1)
    _check_members(path, limits or WorkbookLimits())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise FormatError(
            _("not a readable XLSX workbook ({exc})").format(exc=exc), path=str(path)
        ) from exc
    try:
        yield book
    finally:
        book.close()


def sheet_rows(
    sheet: Any, path: Path, limits: WorkbookLimits | None = None
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """``(row number, values)`` for every row of a read-only sheet, whatever its declared
    ``<dimension>`` says; a cell over the length limit raises :class:`LimitError`."""
    max_chars = (limits or WorkbookLimits()).max_cell_chars
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # read to the sheet's real end, not its declared one
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        for column, value in enumerate(row, start=1):
            if isinstance(value, str) and len(value) > max_chars:
                raise LimitError(
                    _(
                        "sheet {title!r}: a cell of {count} characters, over the limit of "
                        "{max_chars}"
                    ).format(title=sheet.title, count=len(value), max_chars=max_chars),
                    path=str(path),
                    line=number,
                    field=f"column {column}",
                )
        yield number, tuple(row)
