"""What every importer shares: the format record, limits, safe file reading (encodings,
CSV with line numbers, namespace-agnostic streaming XML through defusedxml) and small text
helpers for names, dates and identifiers."""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TextIO
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET
from charset_normalizer import from_bytes

from clearance.errors import FormatError, InputError, LimitError
from clearance.model import Entity, Identifier, ListInfo, Name, NameKind, Relation, detect_script

__all__ = [
    "HEAD_BYTES",
    "ImportFormat",
    "Item",
    "Limits",
    "csv_rows",
    "detect_encoding",
    "local",
    "open_text",
    "parse_date",
    "read_head",
    "split_multi",
    "stable_id",
    "text_of",
    "xml_records",
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
    fh = open_text(path)
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
                    f"bytes that are not valid {fh.encoding}: {exc.reason}",
                    path=str(path),
                    line=bad_line(path, fh.encoding),
                ) from exc
            except csv.Error as exc:
                raise FormatError(
                    f"malformed or truncated CSV: {exc}",
                    path=str(path),
                    line=reader.line_num - len(lines.current) + 1 if lines.current else None,
                    field=_open_field("".join(lines.current), delimiter, names),
                ) from exc
            if header and names is None:
                names = [c.strip() for c in row]
            count += 1
            limits.check_count(path, count, None)
            yield reader.line_num, row


def local(tag: str) -> str:
    """An XML tag without its namespace: ``{urn:x}sdnEntry`` -> ``sdnEntry``."""
    return tag.rsplit("}", 1)[-1]


def text_of(elem: Element | None, *path: str) -> str:
    """The stripped text of the first descendant along ``path`` (local names), or ''."""
    node: Element | None = elem
    for step in path:
        if node is None:
            return ""
        node = next((c for c in node if local(c.tag) == step), None)
    if node is None or node.text is None:
        return ""
    return node.text.strip()


def children(elem: Element, name: str) -> list[Element]:
    """Direct children with local name ``name``."""
    return [c for c in elem if local(c.tag) == name]


def _entity_line(path: Path) -> int | None:
    """The line of the first entity declaration, to point at it in an error."""
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            if b"<!ENTITY" in line:
                return number
            if number > 10000:
                break
    return None


def xml_records(
    path: Path, record_tags: set[str], limits: Limits, drop: frozenset[str] = frozenset()
) -> Iterator[tuple[int, Element]]:
    """Stream the elements whose local name is in ``record_tags`` (with their record number),
    parsing with defusedxml (no entity expansion, no external references) and freeing each
    record once the caller has handled it, so memory stays flat on large files. Elements
    named in ``drop`` are freed unread."""
    limits.check_size(path)
    stack: list[Element] = []
    count = 0
    current = "(document)"
    try:
        for event, elem in SafeET.iterparse(str(path), events=("start", "end")):
            if event == "start":
                stack.append(elem)
                current = local(elem.tag)
                continue
            stack.pop()
            name = local(elem.tag)
            if name in drop and stack:
                stack[-1].remove(elem)
                continue
            if name in record_tags:
                count += 1
                limits.check_count(path, count, str(count))
                yield count, elem
                if stack:
                    stack[-1].remove(elem)
                elem.clear()
    except defusedxml.DefusedXmlException as exc:
        raise FormatError(
            f"XML entity or DTD declarations are refused (entity-expansion protection): {exc}",
            path=str(path),
            line=_entity_line(path),
            field="<!DOCTYPE>",
        ) from exc
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise FormatError(
            f"malformed or truncated XML: {exc}",
            path=str(path),
            line=line,
            record=str(count + 1),
            field=current,
        ) from exc
    except UnicodeDecodeError as exc:  # pragma: no cover - expat decodes itself
        raise FormatError(f"bad encoding: {exc}", path=str(path)) from exc


_SPLIT = re.compile(r"\s*;\s*")


def split_multi(value: str | None, sep: re.Pattern[str] = _SPLIT) -> list[str]:
    """Split a multi-valued cell (``a; b; and c``) into clean, non-empty values."""
    if not value:
        return []
    out = []
    for part in sep.split(value):
        part = part.strip()
        if part.lower().startswith("and "):
            part = part[4:].strip()
        if part and part != "-0-":
            out.append(part)
    return out


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d %b %Y",
    "%d %B %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%Y%m%d",
)


def parse_date(value: str | None) -> date | None:
    """A date in any of the formats the official lists use, or None when empty or unreadable."""
    if not value:
        return None
    text = value.strip()
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def stable_id(prefix: str, *parts: str) -> str:
    """A short id that is the same whenever the same parts are imported."""
    digest = hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()
    return f"{prefix}-{digest[:12]}"


def name_of(value: str, kind: NameKind, source_url: str | None = None) -> Name:
    """A :class:`Name` with its script; ASCII names skip the per-character script scan."""
    script = "latin" if value.isascii() else detect_script(value)
    return Name(value, kind, script, None, source_url)


def slug(value: str) -> str:
    """Lower-case ASCII-ish slug for ids."""
    return re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-")


def identifier(scheme: str, value: str) -> Identifier:
    return Identifier(scheme, value.strip())


def require(path: Path, record: str, field_name: str, value: str | None) -> str:
    """Return ``value`` or raise an InputError naming the file, record and field."""
    if value is None or not value.strip():
        raise InputError(
            "required value is missing", path=str(path), record=record, field=field_name
        )
    return value.strip()


_SCHEMES = (
    ("unified social credit code", "uscc"),
    ("uscc", "uscc"),
    ("legal entity number", "lei"),
    ("lei", "lei"),
    ("isin", "isin"),
    ("swift/bic", "swift_bic"),
    ("swift", "swift_bic"),
    ("vessel registration identification", "imo"),
    ("imo", "imo"),
    ("d-u-n-s", "duns"),
    ("duns", "duns"),
    ("business registration", "registration"),
    ("registration", "registration"),
    ("company number", "registration"),
    ("tax id", "tax_id"),
    ("inn", "tax_id"),
    ("passport", "passport"),
    ("national id", "national_id"),
    ("equity ticker", "ticker"),
    ("ticker", "ticker"),
)


@lru_cache(maxsize=4096)
def scheme_for(label: str) -> str | None:
    """The identifier scheme an official label names (``Tax ID No.`` -> ``tax_id``), or None."""
    text = label.strip().casefold()
    if not text:
        return None
    for needle, scheme in _SCHEMES:
        if text.startswith(needle):
            return scheme
    return None


def clean_identifier(scheme: str, value: str) -> str:
    value = value.strip()
    if scheme == "imo" and value.upper().startswith("IMO"):
        value = value[3:].strip()
    return value


# Country names as the US lists spell them, for lists that give no ISO code.
COUNTRY_CODES = {
    "china": "cn",
    "hong kong": "hk",
    "russia": "ru",
    "iran": "ir",
    "north korea": "kp",
    "korea, north": "kp",
    "syria": "sy",
    "cuba": "cu",
    "venezuela": "ve",
    "belarus": "by",
    "united states": "us",
    "united kingdom": "gb",
    "canada": "ca",
    "germany": "de",
    "france": "fr",
    "turkey": "tr",
    "united arab emirates": "ae",
    "india": "in",
    "pakistan": "pk",
    "iraq": "iq",
    "lebanon": "lb",
    "singapore": "sg",
    "malaysia": "my",
    "taiwan": "tw",
    "japan": "jp",
    "switzerland": "ch",
    "cyprus": "cy",
    "netherlands": "nl",
    "panama": "pa",
    "colombia": "co",
    "mexico": "mx",
}


def country_code(value: str) -> str | None:
    """An ISO 3166 alpha-2 code (lower case) from a code or a common country name."""
    text = value.strip()
    if len(text) == 2 and text.isalpha():
        return text.lower()
    return COUNTRY_CODES.get(text.casefold())


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
                    f"not {what}: no column {missing[0]!r}",
                    path=str(path),
                    line=line,
                    field=missing[0],
                )
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise FormatError(
                f"expected {len(header)} columns, found {len(cells)} (truncated or malformed row)",
                path=str(path),
                line=line,
                field=header[min(len(cells), len(header)) - 1] if cells else header[0],
            )
        yield line, dict(zip(header, cells, strict=True))
    if header is None:
        raise FormatError(f"not {what}: the file is empty", path=str(path), line=1)


def date_field(
    raw: str | None,
    path: Path,
    field_name: str,
    *,
    line: int | None = None,
    record: str | None = None,
) -> date | None:
    """Parse a date cell; a non-empty cell that is not a date raises naming where it is."""
    value = parse_date(raw)
    if raw and raw.strip() and value is None:
        raise InputError(
            f"not a date: {raw!r}", path=str(path), line=line, record=record, field=field_name
        )
    return value
