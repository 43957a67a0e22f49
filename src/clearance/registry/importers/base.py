"""What every importer shares: the format record, limits, and reading a text file in its
detected encoding. CSV and XML reading, dates, identifiers and cell values have their own
modules (``csv_reading``, ``xml_reading``, ``dates``, ``identifiers``, ``cell_values``)."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from charset_normalizer import from_bytes

from clearance.errors import FormatError, LimitError
from clearance.model import Entity, ListInfo, Relation

__all__ = [
    "HEAD_BYTES",
    "ImportFormat",
    "Item",
    "Limits",
    "bad_line",
    "detect_encoding",
    "open_text",
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
                f"file is {path.stat().st_size} bytes, above the limit of {self.max_bytes}",
                path=str(path),
            )

    def check_count(self, path: Path, count: int, record: str | None = None) -> None:
        if self.max_records and count > self.max_records:
            raise LimitError(f"more than {self.max_records} records", path=str(path), record=record)


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
    with path.open("rb") as fh:
        raw = fh.read(size)
    try:
        encoding = detect_encoding(raw, path)
    except FormatError:
        return raw
    if encoding in {"utf-8", "utf-8-sig", "ascii"}:
        return raw
    return raw.decode(encoding, errors="replace").encode("utf-8")


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_encoding(head: bytes, path: Path | None = None) -> str:
    """The text encoding of a file from its first bytes: a BOM, valid UTF-8, or a detected
    legacy encoding (GB18030, Windows-1252 …) via charset-normalizer; refuse binary data."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        pass
    else:
        if b"\x00" not in head:
            return "utf-8"
    best = from_bytes(head).best()
    if best is None or (b"\x00" in head and not best.encoding.startswith("utf_16")):
        raise FormatError(
            "cannot tell the text encoding (binary data, or UTF-16/32 without a byte-order mark)",
            path=str(path) if path else None,
            line=1,
        )
    name = best.encoding
    # Chinese legacy encodings: GB18030 is a superset of GB2312 and GBK.
    return "gb18030" if name in {"gb2312", "gbk", "gb18030"} else name


def open_text(path: Path) -> TextIO:
    """Open a text file with its detected encoding (strict decoding: bad bytes raise)."""
    with path.open("rb") as fh:
        raw = fh.read(HEAD_BYTES)
    encoding = detect_encoding(raw, path)
    return path.open("r", encoding=encoding, errors="strict", newline="")


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
