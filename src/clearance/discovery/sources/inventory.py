"""Asset inventories in CSV (any delimiter, any common encoding) or XLSX, with column
auto-detection in English, French and Chinese (``clearance/data/columns/inventory.yml``).

The heading row may sit below title rows; it is the first of the first rows that names at
least two known fields, one of them make, brand, model, MAC, IP or serial. Each row keeps its
original columns under ``record``.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from functools import cache
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any

import yaml

from clearance.discovery.oui import normalise_mac
from clearance.errors import FormatError, LimitError
from clearance.model import Observation
from clearance.textio import head_lines, open_text, sniff_delimiter
from clearance.xlsx_input import open_workbook, sheet_rows

__all__ = ["detect_columns", "heading_key", "read_inventory_csv", "read_inventory_xlsx"]

_HEADER_SCAN_ROWS = 12
_KEY_FIELDS = {"make", "brand", "model", "mac", "ip", "serial"}
_FACTS = ("make", "brand", "model", "serial", "firmware", "device_type")
_EXPECTED = "make/manufacturer/fabricant, model/modèle, serial, MAC, IP, site/emplacement"


def heading_key(text: str) -> str:
    """A heading folded for comparison: accents and case removed, punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in plain).split())


@cache
def _synonyms() -> dict[str, tuple[str, ...]]:
    text = resources.files("clearance.data.columns").joinpath("inventory.yml").read_text("utf-8")
    raw: dict[str, list[str]] = yaml.safe_load(text)
    return {field: tuple(heading_key(str(v)) for v in values) for field, values in raw.items()}


def _field_of(heading: str) -> tuple[str, int] | None:
    """(field, strength) of a heading: 2 for an exact synonym, 1 for a contained one."""
    key = heading_key(heading)
    if not key:
        return None
    best: tuple[str, int, int] | None = None
    padded = f" {key} "
    for field, synonyms in _synonyms().items():
        for syn in synonyms:
            if key == syn:
                return field, 2
            if len(syn) >= 4 and f" {syn} " in padded and (best is None or len(syn) > best[2]):
                best = (field, 1, len(syn))
    return (best[0], best[1]) if best else None


def detect_columns(headings: Sequence[Any]) -> dict[str, int]:
    """Map field → column index for one heading row (exact synonyms win over contained)."""
    chosen: dict[str, tuple[int, int]] = {}
    for index, heading in enumerate(headings):
        if heading is None:
            continue
        found = _field_of(str(heading))
        if found is None:
            continue
        field, strength = found
        held = chosen.get(field)
        if held is None or strength > held[1]:
            chosen[field] = (index, strength)
    return {field: index for field, (index, _) in chosen.items()}


def _is_heading(columns: dict[str, int]) -> bool:
    return len(columns) >= 2 and bool(_KEY_FIELDS & columns.keys())


def _cell(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _value(row: Sequence[Any], columns: dict[str, int], field: str) -> str | None:
    index = columns.get(field)
    if index is None or index >= len(row) or row[index] is None:
        return None
    text = str(_cell(row[index])).strip()
    return text or None


def _observations(
    rows: Iterable[tuple[int, Sequence[Any]]], path: Path, site: str | None, source: str
) -> Iterator[Observation]:
    headings: list[str] | None = None
    columns: dict[str, int] = {}
    first_line: int | None = None
    for number, row in rows:
        if headings is None:
            if not any(str(c).strip() for c in row if c is not None):
                continue
            first_line = first_line or number
            columns = detect_columns(row)
            if _is_heading(columns):
                headings = [str(c).strip() if c is not None else "" for c in row]
            elif number - first_line >= _HEADER_SCAN_ROWS:
                break
            continue
        if not any(str(c).strip() for c in row if c is not None):
            continue
        record = {
            (headings[i] if i < len(headings) and headings[i] else f"column {i + 1}"): _cell(v)
            for i, v in enumerate(row)
        }

        values = {f: _value(row, columns, f) for f in columns}
        get = values.get
        mac_text = get("mac")
        obs = Observation(
            source,
            ip=get("ip"),
            mac=normalise_mac(mac_text) or mac_text,
            hostname=get("hostname"),
            site=get("site") or site,
            facts={f: v for f in _FACTS if (v := get(f)) is not None},
            record=record,
        )
        yield obs
    if headings is None:
        raise FormatError(
            f"no recognisable columns (expected headings such as {_EXPECTED})",
            path=str(path),
            line=first_line or 1,
        )


def read_inventory_csv(path: Path, site: str | None = None) -> Iterator[Observation]:
    """Observations from a CSV/TSV inventory in any common encoding (UTF-8/16, GBK, cp1252 …)."""
    with open_text(path) as fh:
        try:
            head = head_lines(fh)
        except UnicodeDecodeError as exc:
            raise FormatError(f"cannot decode text ({exc.reason})", path=str(path)) from exc
        reader = csv.reader(chain(head, fh), delimiter=sniff_delimiter(head))

        def rows() -> Iterator[tuple[int, Sequence[Any]]]:
            try:
                for row in reader:
                    yield reader.line_num, row
            except (csv.Error, UnicodeDecodeError) as exc:
                raise FormatError(
                    f"cannot read CSV: {exc}", path=str(path), line=reader.line_num + 1
                ) from exc

        yield from _observations(rows(), path, site, "inventory")


def read_inventory_xlsx(path: Path, site: str | None = None) -> Iterator[Observation]:
    """Observations from the first sheet of an XLSX workbook that has recognisable columns."""
    with open_workbook(path) as book:
        last_error: FormatError | None = None
        for sheet in book.worksheets:
            try:
                yield from _observations(sheet_rows(sheet, path), path, site, "inventory")
                return
            except LimitError:
                raise
            except FormatError as exc:
                last_error = FormatError(
                    f"sheet {sheet.title!r}: {exc.reason}", path=str(path), line=exc.line
                )
        if last_error is not None:
            raise last_error
