"""What every importer shares: the format record, limits, and the head of a file for format
detection (text is opened through :mod:`clearance.textio`, as every user file is). CSV and
XML reading, dates, identifiers and cell values have their own modules (``csv_reading``,
``xml_reading``, ``dates``, ``identifiers``, ``cell_values``)."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from clearance.errors import LimitError
from clearance.i18n import gettext as _
from clearance.model import Entity, ListInfo, Relation
from clearance.textio import detect_encoding, read_sample

__all__ = [
    "HEAD_BYTES",
    "ImportFormat",
    "Item",
    "Limits",
    "bad_line",
    "read_head",
]

HEAD_BYTES = 65536

# What an importer yields: its lists first, then entities and the relations between them.
Item = ListInfo | Entity | Relation


@dataclass(slots=True, frozen=True)
class Limits:
    """Refuse files above ``max_bytes`` or with more than ``max_records`` records (0: off)."""

    max_bytes: int = 0
    max_records: int = 0

    def check_size(self, path: Path) -> None:
        if self.max_bytes and path.is_file() and path.stat().st_size > self.max_bytes:
            raise LimitError(
                _("file is {size} bytes, above the limit of {max_bytes}").format(
                    size=path.stat().st_size, max_bytes=self.max_bytes
                ),
                path=str(path),
            )

    def check_count(self, path: Path, count: int, record: str | None = None) -> None:
        if self.max_records and count > self.max_records:
            raise LimitError(
                _("more than {max_records} records").format(max_records=self.max_records),
                path=str(path),
                record=record,
            )


@dataclass(slots=True, frozen=True)
class ImportFormat:
    """One official list format: its name, the list it fills, how to spot and read it.

    Attributes:
        name: the ``--list-format`` value, e.g. ``csl-csv``.
        title: a one-line description for help texts.
        list_id: the id of the list its listings carry (replaced as a whole on re-import).
        url: the official download address used by ``clearance lists update`` (None: the
            format has no single download, e.g. a directory of files).
        detect: ``(path, head bytes) -> bool``; True when the file is in this format.
        read: ``(path, limits) -> items``; yields ListInfo first, then Entity and Relation.
        licence: a licence note shown in help texts (OpenSanctions data is CC BY-NC 4.0).
    """

    name: str
    title: str
    list_id: str
    url: str | None
    detect: Callable[[Path, bytes], bool]
    read: Callable[[Path, Limits], Iterator[Item]]
    licence: str | None = None
    aliases: tuple[str, ...] = field(default=())


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes of a file, transcoded to UTF-8 when the file is in another
    encoding (UTF-16, GB18030 …), so format detection can look for ASCII markers."""
    raw = read_sample(path, size)
    encoding = detect_encoding(raw)
    if encoding is None or encoding in {"utf-8", "utf-8-sig", "ascii"}:
        return raw
    return raw.decode(encoding, errors="replace").encode("utf-8")


def bad_line(path: Path, encoding: str) -> int | None:
    """The 1-based line holding the first bytes that ``encoding`` cannot decode."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                decoder.decode(raw)
            except UnicodeDecodeError:
                return number
    return None
