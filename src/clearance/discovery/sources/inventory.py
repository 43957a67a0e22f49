"""Asset inventories in CSV (any delimiter, any common encoding) or XLSX, with column
auto-detection in English, French and Chinese (``clearance/data/columns/inventory.yml``).

The heading row may sit below title rows; it is the first of the first rows that names at
least two known fields, one of them make, brand, model, make-and-model, MAC, IP or serial. A
column map (``--map``, see :mod:`clearance.discovery.sources.register`) names the field of
headings the synonyms miss. Each row keeps its original columns under ``record``; register
columns (asset tag, location, custodian, status, a combined make-and-model) become facts.

Rows that are not assets are skipped: blank rows, footers and summaries ("Total: 42",
"Grand total", "Sous-total"), and rows with nothing that identifies a device (no make, model,
address, serial, host name or asset tag).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any

import yaml

from clearance.discovery.oui import normalise_mac
from clearance.discovery.sources.register import (
    IGNORE,
    heading_key,
    is_summary_row,
    register_state,
)
from clearance.errors import FormatError, LimitError
from clearance.i18n import gettext as _
from clearance.model import Observation
from clearance.textio import head_lines, open_text, sniff_delimiter
from clearance.xlsx_input import open_workbook, sheet_rows

__all__ = ["detect_columns", "heading_key", "read_inventory_csv", "read_inventory_xlsx"]

_HEADER_SCAN_ROWS = 12
_KEY_FIELDS = {"make", "brand", "model", "make_model", "mac", "ip", "serial"}
# Fields whose value makes a row a device; a row with none of them is not an asset.
_IDENTIFYING = _KEY_FIELDS | {"hostname", "asset_tag"}
_FACTS = (
    "make",
    "brand",
    "model",
    "make_model",
    "serial",
    "firmware",
    "device_type",
    "asset_tag",
    "location",
    "custodian",
    "status",
)
_EXPECTED = (
    "make/manufacturer/fabricant, model/modèle, make/model, serial, MAC, IP, site/emplacement"
)
_MAP_HINT = 'or name them with --map "Heading=field,…"'


@cache
def _synonyms() -> dict[str, tuple[tuple[str, bool], ...]]:
    """Field → (folded synonym, exact only) pairs; "=" before an entry means exact only."""
    text = resources.files("clearance.data.columns").joinpath("inventory.yml").read_text("utf-8")
    raw: dict[str, list[str]] = yaml.safe_load(text)
    return {
        field: tuple((heading_key(str(v)), str(v).startswith("=")) for v in values)
        for field, values in raw.items()
    }


def _field_of(heading: str) -> tuple[str, int] | None:
    """(field, strength) of a heading: 2 for an exact synonym, 1 for a contained one."""
    key = heading_key(heading)
    if not key:
        return None
    best: tuple[str, int, int] | None = None
    padded = f" {key} "
    for field, synonyms in _synonyms().items():
        for syn, exact_only in synonyms:
            if key == syn:
                return field, 2
            if exact_only or len(syn) < 4 or f" {syn} " not in padded:
                continue
            if best is None or len(syn) > best[2]:
                best = (field, 1, len(syn))
    return (best[0], best[1]) if best else None


def detect_columns(
    headings: Sequence[Any], column_map: Mapping[str, str] | None = None
) -> dict[str, int]:
    """Map field → column index for one heading row (exact synonyms win over contained).

    ``column_map`` ({folded heading: field}, from ``--map``) wins over the synonyms. A second
    site column ("Site" and "Location") is read as the location within the site.
    """
    chosen: dict[str, tuple[int, int]] = {}
    for index, heading in enumerate(headings):
        if heading is None:
            continue
        mapped = (column_map or {}).get(heading_key(str(heading)))
        if mapped == IGNORE:
            continue
        found = (mapped, 3) if mapped is not None else _field_of(str(heading))
        if found is None:
            continue
        field, strength = found
        held = chosen.get(field)
        if held is None or strength > held[1]:
            if held is not None and field == "site" and "location" not in chosen:
                chosen["location"] = held
            chosen[field] = (index, strength)
        elif field == "site" and "location" not in chosen:
            chosen["location"] = (index, strength)
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


def _check_map(headings: list[str], column_map: Mapping[str, str], path: Path, line: int) -> None:
    """Every heading ``--map`` names is in the heading row (a typo must not pass unseen)."""
    present = {heading_key(h) for h in headings}
    missing = [h for h in column_map if h not in present]
    if missing:
        raise FormatError(
            _("--map names {missing}, not a heading of this file (headings: {headings})").format(
                missing=", ".join(repr(h) for h in missing),
                headings=", ".join(h for h in headings if h),
            ),
            path=str(path),
            line=line,
        )


def _observations(
    rows: Iterable[tuple[int, Sequence[Any]]],
    path: Path,
    site: str | None,
    source: str,
    column_map: Mapping[str, str] | None = None,
) -> Iterator[Observation]:
    headings: list[str] | None = None
    columns: dict[str, int] = {}
    first_line: int | None = None
    for number, row in rows:
        if headings is None:
            if not any(str(c).strip() for c in row if c is not None):
                continue
            first_line = first_line or number
            columns = detect_columns(row, column_map)
            if _is_heading(columns):
                headings = [str(c).strip() if c is not None else "" for c in row]
                if column_map:
                    _check_map(headings, column_map, path, number)
            elif number - first_line >= _HEADER_SCAN_ROWS:
                break
            continue
        if not any(str(c).strip() for c in row if c is not None) or is_summary_row(row):
            continue
        record = {
            (headings[i] if i < len(headings) and headings[i] else f"column {i + 1}"): _cell(v)
            for i, v in enumerate(row)
        }

        values = {f: _value(row, columns, f) for f in columns}
        if not any(values.get(f) for f in _IDENTIFYING):
            continue  # a note, a signature line, a row with only a site: not a device
        get = values.get
        mac_text = get("mac")
        facts = {f: v for f in _FACTS if (v := get(f)) is not None}
        state = register_state(facts.get("status"))
        if state is not None:
            facts["register_state"] = state
        obs = Observation(
            source,
            ip=get("ip"),
            mac=normalise_mac(mac_text) or mac_text,
            hostname=get("hostname"),
            site=get("site") or site,
            facts=facts,
            record=record,
        )
        yield obs
    if headings is None:
        mapped = f"; --map names {', '.join(map(repr, column_map))}" if column_map else ""
        raise FormatError(
            _(
                "no recognisable columns (expected headings such as {EXPECTED}; {MAP_HINT}{mapped})"
            ).format(EXPECTED=_EXPECTED, MAP_HINT=_MAP_HINT, mapped=mapped),
            path=str(path),
            line=first_line or 1,
        )


def read_inventory_csv(
    path: Path, site: str | None = None, column_map: Mapping[str, str] | None = None
) -> Iterator[Observation]:
    """Observations from a CSV/TSV inventory in any common encoding (UTF-8/16, GBK, cp1252 …).

    ``column_map``: {folded heading: field} from ``--map`` (see :func:`detect_columns`)."""
    with open_text(path) as fh:
        try:
            head = head_lines(fh)
        except UnicodeDecodeError as exc:
            raise FormatError(
                _("cannot decode text ({reason})").format(reason=exc.reason), path=str(path)
            ) from exc
        reader = csv.reader(chain(head, fh), delimiter=sniff_delimiter(head))

        def rows() -> Iterator[tuple[int, Sequence[Any]]]:
            try:
                for row in reader:
                    yield reader.line_num, row
            except (csv.Error, UnicodeDecodeError) as exc:
                raise FormatError(
                    _("cannot read CSV: {exc}").format(exc=exc),
                    path=str(path),
                    line=reader.line_num + 1,
                ) from exc

        yield from _observations(rows(), path, site, "inventory", column_map)


def read_inventory_xlsx(
    path: Path, site: str | None = None, column_map: Mapping[str, str] | None = None
) -> Iterator[Observation]:
    """Observations from the first sheet of an XLSX workbook that has recognisable columns."""
    with open_workbook(path) as book:
        last_error: FormatError | None = None
        for sheet in book.worksheets:
            try:
                rows = sheet_rows(sheet, path)
                yield from _observations(rows, path, site, "inventory", column_map)
                return
            except LimitError:
                raise
            except FormatError as exc:
                last_error = FormatError(
                    f"sheet {sheet.title!r}: {exc.reason}", path=str(path), line=exc.line
                )
        if last_error is not None:
            raise last_error
